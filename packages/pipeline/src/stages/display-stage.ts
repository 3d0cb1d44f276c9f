import { z } from 'zod'
import { displaySink } from '@linkyrpi/sink-display'
import type { WaitingFor } from '@linkyrpi/sink-display'
import { DEFAULT_HTTP_PORT, portSchema } from '../config/schema.js'
import type { PipelineConfig } from '../config/pipeline-config.js'
import type { SinkDefinition } from '../stage-definition.js'
import { defined } from './defined.js'
import {
  ANALYTICS_SETTINGS,
  AUTOMATION_CONTROLLER,
  CONFIG,
  DASHBOARD_LISTENING,
  DIAGNOSTICS_SNAPSHOT,
  HISTORY_STORE,
  METRICS,
} from '../tokens.js'

/**
 * What feeds stage `id`: its chain of `from` up to the source. A source on another node is
 * `remote` (its frames cross NATS).
 */
export function waitingFor(config: PipelineConfig, id: string): WaitingFor {
  const self = config.stages[id]
  let stage = self
  for (let hops = 0; stage?.from !== undefined && hops < 100; hops++)
    stage = config.stages[stage.from]
  if (stage === undefined || self === undefined) return { kind: 'other' }
  if (stage.node !== self.node) return { kind: 'remote' }
  const path = (stage.options as { path?: unknown } | null)?.path
  if (stage.type === 'serial' || stage.type === 'replay')
    return typeof path === 'string' ? { kind: stage.type, path } : { kind: stage.type }
  return { kind: stage.type === 'simulator' ? 'simulator' : 'other' }
}

/** Options of the `display` sink (see docs/dashboard.md). */
export const displayStageOptions = z.strictObject({
  /** Address to bind (default `127.0.0.1`; `0.0.0.0` serves the LAN). */
  host: z.string().min(1).default('127.0.0.1'),
  /** TCP port (default 8080; 0 picks a free one). */
  port: portSchema.default(DEFAULT_HTTP_PORT),
  /** Default language of the pages (default `fr`). */
  lang: z.enum(['fr', 'en']).default('fr'),
  /** "No data since …" after this long without a frame, ms (default 10 000). */
  staleAfterMs: z.number().int().positive().optional(),
  /** Bearer token for mutating endpoints (automation overrides); at least 16 characters. */
  token: z.string().min(1).optional(),
  /** Time zone of "today" and "this month" (default `Europe/Paris`). */
  timeZone: z.string().min(1).optional(),
  /** Cadence of tariff pushes, ms (default 60 000). */
  tariffIntervalMs: z.number().int().positive().optional(),
  /** Cadence of statistics pushes, ms (default 10 000). */
  statsIntervalMs: z.number().int().positive().optional(),
})

/**
 * `display`: the touch dashboard (`@linkyrpi/sink-display`), fed live frames; it gets the node's
 * {@link HISTORY_STORE} (when a store stage runs on the same node), the configuration's prices
 * ({@link ANALYTICS_SETTINGS}) and the diagnostics provider from the container, and serves the node's Prometheus `/metrics`. Live: an edge to it across nodes uses core NATS; a small buffer that drops
 * the oldest frames (the newest reading is what a screen should show).
 */
export const displayStage: SinkDefinition<z.output<typeof displayStageOptions>> = {
  role: 'sink',
  summary: 'touch dashboard over HTTP (live frames, history, diagnostics)',
  options: displayStageOptions,
  durable: false,
  buffer: { size: 100, inFlight: 100, overflow: 'drop-oldest' },
  create: (options, ctx, di) => {
    return displaySink(
      {
        ...defined(options),
        ...(di.isRegistered(HISTORY_STORE, true) ? { history: di.resolve(HISTORY_STORE) } : {}),
        diagnostics: di.resolve(DIAGNOSTICS_SNAPSHOT),
        ...(di.isRegistered(ANALYTICS_SETTINGS, true)
          ? { analytics: di.resolve(ANALYTICS_SETTINGS) }
          : {}),
        ...(di.isRegistered(METRICS, true) ? { metrics: di.resolve(METRICS) } : {}),
        automation: () =>
          di.isRegistered(AUTOMATION_CONTROLLER, true)
            ? di.resolve(AUTOMATION_CONTROLLER)
            : undefined,
        ...(di.isRegistered(CONFIG, true)
          ? { waitingFor: waitingFor(di.resolve(CONFIG), ctx.stage) }
          : {}),
        onListening: (listening) => {
          if (di.isRegistered(DASHBOARD_LISTENING, true))
            di.resolve(DASHBOARD_LISTENING)(listening.url)
        },
      },
      ctx,
    )
  },
}
