import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { AnalyticsConfigError, parseAnalyticsConfig } from '@linkyrpi/analytics'
import { ConfigError } from '../errors.js'
import type { ConfigIssue } from '../errors.js'
import { BUILTIN_STAGES, isModuleType } from '../registry.js'
import type { StageRegistry } from '../registry.js'
import type { StageDefinition } from '../stage-definition.js'
import { deepFreeze } from './deep-freeze.js'
import { expandEnv, formatPath } from './expand-env.js'
import { checkGraph } from './graph.js'
import type { GraphStage } from './graph.js'
import { loadStageModule } from './load-module.js'
import type { PipelineConfig, ResolvedStage } from './pipeline-config.js'
import { bufferSchema, configSchema } from './schema.js'

/** Options of {@link loadConfig}, {@link parseConfig} and {@link validateConfig}. */
export interface LoadConfigOptions {
  /** Variables for `${VAR}` expansion (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Directory relative module paths are resolved against (default: the file's, or the cwd). */
  readonly baseDir?: string
  /** Stage types (default {@link BUILTIN_STAGES}). */
  readonly registry?: StageRegistry
  /**
   * Changes the document after `${VAR}` expansion and before validation (the command line's
   * `--data-dir` and `--http-port` overrides). Receives a copy; returns the document to validate.
   */
  readonly transform?: (document: Record<string, unknown>) => Record<string, unknown>
}

const STAGE_KEYS = new Set(['type', 'node', 'from', 'buffer'])

/** Reads, expands, validates and freezes a YAML configuration file; throws {@link ConfigError}. */
export async function loadConfig(
  file: string,
  options: LoadConfigOptions = {},
): Promise<PipelineConfig> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ConfigError(
      [
        {
          path: '(file)',
          message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        },
      ],
      { cause: error },
    )
  }
  return parseConfig(text, { ...options, baseDir: options.baseDir ?? dirname(resolve(file)) })
}

/** Parses YAML text, then {@link validateConfig}. YAML syntax errors are reported with line:column. */
export async function parseConfig(
  text: string,
  options: LoadConfigOptions = {},
): Promise<PipelineConfig> {
  // The YAML parser (some 70 modules) loads only for a configuration file, not for the defaults.
  const { LineCounter, parseDocument } = await import('yaml')
  const lines = new LineCounter()
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines })
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((e) => {
        const at = lines.linePos(e.pos[0])
        return { path: `line ${at.line}:${at.col}`, message: e.message.split('\n')[0] ?? e.message }
      }),
    )
  }
  return validateConfig(document.toJS() as unknown, options)
}

/**
 * Validates a parsed configuration: `${VAR}` expansion, the schema (defaults applied), each
 * stage's type (built-in or module) and options, then the graph. Every problem is collected and
 * thrown together in one {@link ConfigError}; the result is deep-frozen.
 */
export async function validateConfig(
  raw: unknown,
  options: LoadConfigOptions = {},
): Promise<PipelineConfig> {
  const issues: ConfigIssue[] = []
  const registry = options.registry ?? BUILTIN_STAGES
  const baseDir = options.baseDir ?? process.cwd()
  let expanded = expandEnv(raw ?? {}, options.env ?? process.env, issues)
  if (
    options.transform !== undefined &&
    typeof expanded === 'object' &&
    expanded !== null &&
    !Array.isArray(expanded)
  ) {
    expanded = options.transform(expanded as Record<string, unknown>)
  }
  // A value with an unset variable is reported once, for the variable, not again by the schema.
  const unset = new Set(issues.map((i) => i.path))
  const push = (issue: ConfigIssue): void => {
    if (!unset.has(issue.path)) issues.push(issue)
  }
  const parsed = configSchema.safeParse(expanded)
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      push({ path: formatPath(issue.path), message: issue.message })
    // Stage checks still run on what can be read, so that every problem shows at once.
  }
  const rawStages =
    (typeof expanded === 'object' && expanded !== null
      ? (expanded as Record<string, unknown>).stages
      : undefined) ?? {}
  const stages: Record<string, ResolvedStage> = {}
  const graph: Record<string, GraphStage> = {}
  if (typeof rawStages === 'object' && rawStages !== null && !Array.isArray(rawStages)) {
    for (const [id, value] of Object.entries(rawStages as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) continue
      const stage = value as Record<string, unknown>
      const node = typeof stage.node === 'string' ? stage.node : 'main'
      const from = typeof stage.from === 'string' ? stage.from : undefined
      const type = typeof stage.type === 'string' ? stage.type : undefined
      let definition: StageDefinition | undefined
      if (type !== undefined) {
        if (isModuleType(type)) {
          const loaded = await loadStageModule(type, baseDir)
          if (loaded.ok) definition = loaded.definition
          else issues.push({ path: `stages.${id}.type`, message: loaded.message })
        } else {
          definition = (registry as Record<string, StageDefinition | undefined>)[type]
          if (definition === undefined) {
            issues.push({
              path: `stages.${id}.type`,
              message: `unknown stage type '${type}' (built-in: ${Object.keys(registry).sort().join(', ')}; or a module: './file.mjs', 'module:<package>')`,
            })
          }
        }
      }
      graph[id] = { node, from, role: definition?.role }
      if (definition === undefined) continue
      const own: Record<string, unknown> = {}
      for (const [key, v] of Object.entries(stage)) if (!STAGE_KEYS.has(key)) own[key] = v
      const result = definition.options.safeParse(own)
      if (!result.success) {
        for (const issue of result.error.issues)
          push({ path: formatPath(['stages', id, ...issue.path]), message: issue.message })
        continue
      }
      if (definition.role !== 'sink' && stage.buffer !== undefined) {
        issues.push({ path: `stages.${id}.buffer`, message: 'only sinks have a buffer' })
      }
      const bufferParsed = bufferSchema.safeParse({
        ...(definition.role === 'sink' ? definition.buffer : {}),
        ...(stage.buffer as object | undefined),
      })
      const resolved = {
        id,
        type: type as string,
        node,
        from,
        role: definition.role,
        options: result.data,
        buffer: bufferParsed.success ? bufferParsed.data : bufferSchema.parse({}),
        durable: definition.role === 'sink' ? definition.durable !== false : true,
      }
      Object.defineProperty(resolved, 'definition', { value: definition, enumerable: false })
      stages[id] = resolved as ResolvedStage
    }
  }
  if (
    typeof expanded === 'object' &&
    expanded !== null &&
    (expanded as Record<string, unknown>).analytics !== undefined
  ) {
    try {
      parseAnalyticsConfig({ analytics: (expanded as Record<string, unknown>).analytics })
    } catch (error) {
      if (!(error instanceof AnalyticsConfigError)) throw error
      for (const issue of error.issues)
        push({ path: issue.path.replace(/^\$\./u, ''), message: issue.message })
    }
  }
  checkGraph(
    graph,
    parsed.success
      ? parsed.data.nats !== undefined
      : (expanded as { nats?: unknown } | null)?.nats !== undefined,
    issues,
  )
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues)
  return deepFreeze({ ...parsed.data, stages, baseDir })
}
