import { allFramesSubject, rawSubject } from './bridge/nats/subjects.js'
import type { PipelineConfig, ResolvedStage } from './config/pipeline-config.js'
import { nodesOf } from './config/pipeline-config.js'
import { ConfigError } from './errors.js'
import type { SinkDefinition } from './stage-definition.js'

/** Bytes or frames arriving at a local stage from a stage of another node. */
export type NatsInbound =
  /** A local decoder reads the raw bytes a remote source publishes (core NATS, live). */
  | {
      readonly kind: 'raw'
      readonly stage: string
      readonly from: string
      readonly subject: string
    }
  /**
   * A local sink reads the frames a remote decoder publishes: from a JetStream durable consumer
   * (`<node>-<sink>`, filtered on `subject`) when the sink is durable, else from core NATS.
   */
  | {
      readonly kind: 'frames'
      readonly stage: string
      readonly from: string
      readonly subject: string
      /** The JetStream durable consumer (`<node>-<sink>`) and its pull batch (`nats.consumer.batch`), for a durable sink. */
      readonly durable: { readonly consumer: string; readonly batch: number } | undefined
    }

/** Bytes or frames a local stage publishes for stages of other nodes. */
export type NatsOutbound =
  /** A local source publishes its raw bytes (core NATS) for a remote decoder. */
  | { readonly kind: 'raw'; readonly from: string; readonly subject: string }
  /**
   * A local decoder publishes its frames (one subject per meter, matching `subject`), through the
   * sink `stage` (`nats:<decoder>`); to JetStream when a remote consumer is durable.
   */
  | {
      readonly kind: 'frames'
      readonly from: string
      readonly stage: string
      readonly subject: string
      readonly durable: boolean
      /** Frames per message, partial-batch wait, JetStream publish timeout (ms) and payload form (`nats.publish`). */
      readonly publish:
        | {
            readonly batchFrames: number
            readonly batchMs: number
            readonly timeoutMs: number
            readonly wire: 'json' | 'compact'
          }
        | undefined
    }

/** What runs on one node: its stages, and what crosses NATS. Pure data, derived from the configuration alone. */
export interface NodePlan {
  readonly node: string
  /** Every node of the configuration, sorted. */
  readonly nodes: readonly string[]
  /** The node's stages, in configuration order. */
  readonly stages: readonly ResolvedStage[]
  /** The node's sources, decoders and sinks, each in configuration order. */
  readonly sources: readonly ResolvedStage[]
  readonly decoders: readonly ResolvedStage[]
  readonly sinks: readonly ResolvedStage[]
  /** Edges into this node. */
  readonly consume: readonly NatsInbound[]
  /** Edges out of this node. */
  readonly publish: readonly NatsOutbound[]
  /** True when any edge crosses NATS here: the node connects (when `nats` is configured). */
  readonly crossesNats: boolean
  /** True when any edge of the configuration is durable across nodes: the JetStream stream must exist. */
  readonly needsStream: boolean
  /** True when one of the node's sinks offers the history the dashboard queries. */
  readonly offersHistory: boolean
}

/** The node a process runs when none is named: the file's only node, else `main`. */
export function chooseNode(config: PipelineConfig, requested?: string): string {
  const nodes = nodesOf(config)
  return requested ?? (nodes.length === 1 ? (nodes[0] as string) : 'main')
}

/**
 * Plans node `node` of a configuration: which stages run here, which edges arrive or leave over
 * NATS and on which subjects. Throws a {@link ConfigError} when the node has no stages, or nothing
 * that consumes its frames (no sink, no outbound edge).
 */
export function planNode(config: PipelineConfig, node: string): NodePlan {
  const nodes = nodesOf(config)
  const stages = Object.values(config.stages)
  const local = stages.filter((s) => s.node === node)
  if (local.length === 0)
    throw new ConfigError([
      {
        path: '(node)',
        message: `node '${node}' has no stages (nodes in this file: ${nodes.join(', ')})`,
      },
    ])
  const byId = (id: string | undefined): ResolvedStage | undefined =>
    id === undefined ? undefined : config.stages[id]
  const remote = (s: ResolvedStage): boolean => s.node !== node
  const downstreamOf = (id: string): ResolvedStage[] => stages.filter((s) => s.from === id)
  const site = config.site

  const consume: NatsInbound[] = []
  for (const s of local) {
    const upstream = byId(s.from)
    if (upstream === undefined || !remote(upstream)) continue
    if (s.role === 'decoder')
      consume.push({
        kind: 'raw',
        stage: s.id,
        from: upstream.id,
        subject: rawSubject(site, upstream.id),
      })
    else if (s.role === 'sink')
      consume.push({
        kind: 'frames',
        stage: s.id,
        from: upstream.id,
        subject: allFramesSubject(site),
        durable: s.durable
          ? { consumer: `${node}-${s.id}`, batch: config.nats?.consumer.batch ?? 256 }
          : undefined,
      })
  }
  const publish: NatsOutbound[] = []
  for (const s of local) {
    const away = downstreamOf(s.id).filter(remote)
    if (away.length === 0) continue
    if (s.role === 'decoder')
      publish.push({
        kind: 'frames',
        from: s.id,
        stage: `nats:${s.id}`,
        subject: allFramesSubject(site),
        durable: away.some((d) => d.role === 'sink' && d.durable),
        publish: config.nats?.publish,
      })
    else if (s.role === 'source')
      publish.push({ kind: 'raw', from: s.id, subject: rawSubject(site, s.id) })
  }
  const sinks = local.filter((s) => s.role === 'sink')
  if (sinks.length === 0 && publish.length === 0)
    throw new ConfigError([
      { path: '(node)', message: `node '${node}' has no sink: nothing would consume its frames` },
    ])
  return {
    node,
    nodes,
    stages: local,
    sources: local.filter((s) => s.role === 'source'),
    decoders: local.filter((s) => s.role === 'decoder'),
    sinks,
    consume,
    publish,
    crossesNats: consume.length > 0 || publish.length > 0,
    needsStream: stages.some(
      (s) =>
        s.role === 'sink' &&
        s.durable &&
        byId(s.from) !== undefined &&
        byId(s.from)?.node !== s.node,
    ),
    offersHistory: sinks.some((s) => (s.definition as SinkDefinition).providesHistory === true),
  }
}
