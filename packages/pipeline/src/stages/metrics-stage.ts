import { Observable } from 'rxjs'
import { z } from 'zod'
import type { Ack, PipelineFrame } from '@linkyrpi/tic-core/stage'
import { startMetricsServer } from '../metrics/metrics-server.js'
import type { MetricsServer } from '../metrics/metrics-server.js'
import type { SinkDefinition } from '../stage-definition.js'
import { METRICS } from '../tokens.js'

/** Options of the `metrics` stage. */
export const metricsStageOptions = z.strictObject({
  /** Address to bind (default `127.0.0.1`; `0.0.0.0` lets a Prometheus on the LAN scrape it). */
  host: z.string().min(1).default('127.0.0.1'),
  /** TCP port (default 9464, the usual exporter port range; 0 picks a free one). */
  port: z.number().int().min(0).max(65535).default(9464),
  /** Path of the exposition (default `/metrics`). */
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, "a path such as '/metrics'")
    .default('/metrics'),
})

/**
 * `metrics`: the node's Prometheus exposition on its own HTTP server, for nodes without a
 * dashboard (the dashboard serves the same at its `/metrics`). It reads frames only to be placed
 * in the graph: it acknowledges each at once; the meter gauges come from the node's latest
 * readings, the health from its diagnostics. Subscribing starts the server, completion or
 * unsubscription closes it; errors only when the port cannot be bound.
 */
export const metricsStage: SinkDefinition<z.output<typeof metricsStageOptions>> = {
  role: 'sink',
  summary: 'Prometheus /metrics (meter gauges and pipeline health) on its own port',
  options: metricsStageOptions,
  durable: false,
  buffer: { size: 100, inFlight: 100, overflow: 'drop-oldest' },
  create: (options, ctx, di) => {
    const render = di.resolve(METRICS)
    return (input: Observable<PipelineFrame>) =>
      new Observable<Ack>((subscriber) => {
        let server: MetricsServer | undefined
        let closed = false
        startMetricsServer(options.host, options.port, options.path, render).then(
          (s) => {
            if (closed) void s.close()
            else {
              server = s
              ctx.logger.info('metrics listening', { url: s.url })
            }
          },
          (error: unknown) =>
            subscriber.error(
              new Error(`metrics: cannot listen on ${options.host}:${String(options.port)}`, {
                cause: error,
              }),
            ),
        )
        const subscription = input.subscribe({
          next: (frame) => subscriber.next({ seq: frame.meta.seq, sink: ctx.stage }),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            closed = true
            void (server?.close() ?? Promise.resolve()).then(() => subscriber.complete())
          },
        })
        return () => {
          closed = true
          subscription.unsubscribe()
          void server?.close()
        }
      })
  },
}
