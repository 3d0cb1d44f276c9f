import { Observable } from 'rxjs'
import { z } from 'zod'
import type { StageContext } from '@linkyrpi/tic-core/stage'
import { simulatorSource as librarySimulatorSource } from '../sources/simulator-source.js'
import type { SimulatorSourceOptions } from '../sources/simulator-source.js'
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
  start: z
    .union([
      z.number(),
      z.string().transform((s, ctx) => {
        const t = Date.parse(s)
        if (Number.isNaN(t)) ctx.addIssue({ code: 'custom', message: `not a date: '${s}'` })
        return t
      }),
    ])
    .optional(),
  /** Simulated ms between frames (default: the real pace of the mode, about 1.5 s / 1.9 s). */
  intervalMs: z.number().int().positive().optional(),
  /** Pace: 1 = real time (default), 60 = a minute per second, 0 = as fast as possible (the library's `'max'`). */
  speed: z.number().nonnegative().default(1),
  /** Stop after this many frames (default: never). */
  frames: z.number().int().positive().optional(),
  /** Stop after this much simulated time, ms (default: never). */
  durationMs: z.number().int().positive().optional(),
})

/** The library options that a `simulator` stage's options stand for, `start` resolved against `ctx.now()`. */
function libraryOptions(
  options: z.output<typeof simulatorSourceOptions>,
  ctx: Pick<StageContext, 'now'>,
): SimulatorSourceOptions {
  return {
    mode: options.mode,
    option: options.option,
    phases: options.phases,
    producer: options.producer,
    seed: options.seed,
    start: options.start ?? ctx.now(),
    speed: options.speed === 0 ? 'max' : options.speed,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.frames !== undefined ? { frames: options.frames } : {}),
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
  }
}

/**
 * `simulator`: a virtual meter, `simulatorSource` (`../sources/simulator-source.ts`) configured from
 * the stage's options (defaults: option `hc`, start `ctx.now()` at subscription, speed 0 = `'max'`).
 * At a finite speed frames come in 100 ms slices of line time, as from a serial port; as fast
 * as possible, one frame per chunk. Every chunk is stamped with its simulated receive time
 * (`TimedChunk`), so `meta.receivedAt` follows the simulated clock: a frame's is its simulated
 * end, `frame.at + frame.durationMs - 25` ms. Cold: each subscription starts the same
 * deterministic meter and reports the `simulating` state. Completes after `frames` frames or
 * `durationMs` simulated ms; otherwise runs until unsubscribed.
 */
export const simulatorSource: SourceDefinition<z.output<typeof simulatorSourceOptions>> = {
  role: 'source',
  summary: 'a simulated meter (household model, tariff calendar), real time or accelerated',
  options: simulatorSourceOptions,
  create: (options, ctx) =>
    new Observable<Uint8Array>((subscriber) => {
      const source = librarySimulatorSource(libraryOptions(options, ctx))
      ctx.diagnostics.report({
        kind: 'state',
        stage: ctx.stage,
        state: 'simulating',
        detail: { mode: options.mode, baudRate: options.mode === 'standard' ? 9600 : 1200 },
      })
      return source.subscribe(subscriber)
    }),
}
