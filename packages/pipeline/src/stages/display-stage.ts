import { z } from 'zod'
import { displaySink } from '@linkyrpi/sink-display'
import { DEFAULT_HTTP_PORT, portSchema } from '../config/schema.js'
import type { SinkDefinition } from '../stage-definition.js'
import { defined } from './defined.js'
import { AUTOMATION_CONTROLLER, DASHBOARD_LISTENING, DIAGNOSTICS_SNAPSHOT, HISTORY_STORE, METRICS } from '../tokens.js'

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
 * {@link HISTORY_STORE} (when a store stage runs on the same node) and the diagnostics provider
 * from the container, and serves the node's Prometheus `/metrics`. Live: an edge to it across nodes uses core NATS; a small buffer that drops
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
        ...(di.isRegistered(METRICS, true) ? { metrics: di.resolve(METRICS) } : {}),
        automation: () => (di.isRegistered(AUTOMATION_CONTROLLER, true) ? di.resolve(AUTOMATION_CONTROLLER) : undefined),
        onListening: (listening) => {
          if (di.isRegistered(DASHBOARD_LISTENING, true)) di.resolve(DASHBOARD_LISTENING)(listening.url)
        },
      },
      ctx,
    )
  },
}
