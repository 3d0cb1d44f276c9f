import type { StageDefinition, StageRole } from '../stage-definition.js'
import type { BufferConfig, ConfigFile } from './schema.js'

/** One stage of a validated configuration. */
export interface ResolvedStage {
  /** Stage id (the key under `stages`). */
  readonly id: string
  /** `type` as written: a built-in type or a module specifier. */
  readonly type: string
  readonly node: string
  readonly from: string | undefined
  readonly role: StageRole
  /** The stage's own options after validation (defaults applied), deep-frozen. */
  readonly options: unknown
  /** Sinks: the isolation buffer (type defaults merged under the stage's `buffer`). */
  readonly buffer: BufferConfig
  /** Sinks: a cross-node edge into this stage goes over JetStream (true) or core NATS (false). */
  readonly durable: boolean
  /** The stage type (not enumerable: `JSON.stringify(config)` shows only data). */
  readonly definition: StageDefinition
}

/**
 * A validated, deep-frozen configuration: the file with defaults applied, every stage's type
 * resolved and options validated, and the graph checked.
 */
export interface PipelineConfig extends Omit<ConfigFile, 'stages'> {
  readonly stages: Readonly<Record<string, ResolvedStage>>
  /** Directory that relative paths in the file (modules) are resolved against. */
  readonly baseDir: string
}

/** The node names used by a configuration, sorted. */
export function nodesOf(config: PipelineConfig): string[] {
  return [...new Set(Object.values(config.stages).map((s) => s.node))].sort()
}
