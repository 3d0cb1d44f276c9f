import { map } from 'rxjs'
import { z } from 'zod'
import type { SinkDefinition } from '../stage-definition.js'

/** Options of the `log` sink. */
export const logSinkOptions = z.strictObject({
  /** Log level of each reading line (default `info`). */
  level: z.enum(['debug', 'info']).default('info'),
  /** Log one frame out of `every` (default 1: all). */
  every: z.number().int().positive().default(1),
})

/**
 * `log`: writes a one-line summary of each reading to the log (meter, period, power, index).
 * Acknowledges each frame once logged (at most once: the log is not a store).
 */
export const logSink: SinkDefinition<z.output<typeof logSinkOptions>> = {
  role: 'sink',
  summary: 'logs a summary line per reading',
  options: logSinkOptions,
  durable: false,
  buffer: { size: 100 },
  create: (options, ctx) => (input) =>
    input.pipe(
      map((frame) => {
        if (frame.meta.seq % options.every === 0 || options.every === 1) {
          const r = frame.reading
          const fields = {
            seq: frame.meta.seq,
            meter: r.meter.id,
            mode: frame.mode,
            period: r.period.label,
            powerVA: r.power.apparentVA,
            importWh: r.energy.importWh,
            rejected: frame.rejected.length,
          }
          if (options.level === 'debug') ctx.logger.debug('reading', fields)
          else ctx.logger.info('reading', fields)
        }
        return { seq: frame.meta.seq, sink: ctx.stage }
      }),
    ),
}
