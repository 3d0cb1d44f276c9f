import { Observable } from 'rxjs'
import { z } from 'zod'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { stampChunk } from '../operators/timed-chunk.js'
import type { SourceDefinition } from '../stage-definition.js'

/** Options of the `simulator` source. */
export const simulatorSourceOptions = z.strictObject({
  /** TIC mode (default `historique`). */
  mode: z.enum(['historique', 'standard']).default('historique'),
  /** Tariff option (default `hc`). */
  option: z.enum(['base', 'hc', 'ejp', 'tempo']).default('hc'),
  /** 1 or 3 phases (default 1). */
  phases: z.union([z.literal(1), z.literal(3)]).default(1),
  /** PV producer (standard mode, default false). */
  producer: z.boolean().default(false),
  /** Seed: the same seed gives the same meter and the same bytes (default 1). */
  seed: z.number().int().default(1),
  /** Simulated start, epoch ms or ISO date (default: now). */
  start: z.union([z.number(), z.string().transform((s, ctx) => {
    const t = Date.parse(s)
    if (Number.isNaN(t)) ctx.addIssue({ code: 'custom', message: `not a date: '${s}'` })
    return t
  })]).optional(),
  /** Simulated ms between frames (default: the real pace of the mode, about 1.5 s / 1.9 s). */
  intervalMs: z.number().int().positive().optional(),
  /** Pace: 1 = real time (default), 60 = a minute per second, 0 = as fast as possible. */
  speed: z.number().nonnegative().default(1),
  /** Stop after this many frames (default: never). */
  frames: z.number().int().positive().optional(),
  /** Stop after this much simulated time, ms (default: never). */
  durationMs: z.number().int().positive().optional(),
})

/** Frames emitted per event-loop turn when running as fast as possible. */
const BURST = 64

/**
 * `simulator`: a virtual meter from `@linkyrpi/simulator`, emitting one frame's bytes per chunk,
 * each stamped with its simulated time (so `meta.receivedAt` follows the simulated clock).
 * Cold: each subscription starts the same deterministic meter. Completes after `frames` frames
 * or `durationMs` simulated ms; otherwise runs until unsubscribed.
 */
export const simulatorSource: SourceDefinition<z.output<typeof simulatorSourceOptions>> = {
  role: 'source',
  summary: 'a simulated meter (household model, tariff calendar), real time or accelerated',
  options: simulatorSourceOptions,
  create: (options, ctx) =>
    new Observable<Uint8Array>((subscriber) => {
      const sim = createMeterSimulator({
        mode: options.mode,
        option: options.option,
        phases: options.phases,
        producer: options.producer,
        seed: options.seed,
        start: options.start ?? ctx.now(),
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      })
      const end = options.durationMs !== undefined ? sim.now + options.durationMs : Infinity
      const max = options.frames ?? Infinity
      let count = 0
      let timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined
      ctx.diagnostics.report({ kind: 'state', stage: ctx.stage, state: 'simulating', detail: { mode: options.mode, baudRate: options.mode === 'standard' ? 9600 : 1200 } })
      const step = (): void => {
        for (let i = 0; i < (options.speed === 0 ? BURST : 1); i += 1) {
          if (count >= max || sim.now >= end) {
            subscriber.complete()
            return
          }
          const frame = sim.next()
          count += 1
          subscriber.next(stampChunk(frame.bytes, frame.at + frame.durationMs - 25))
          if (subscriber.closed) return
          if (options.speed > 0) {
            timer = setTimeout(step, frame.durationMs / options.speed)
            return
          }
        }
        timer = setImmediate(step)
      }
      timer = setImmediate(step)
      return () => {
        clearTimeout(timer as ReturnType<typeof setTimeout>)
        clearImmediate(timer as ReturnType<typeof setImmediate>)
      }
    }),
}
