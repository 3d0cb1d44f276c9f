import { createMeterSimulator } from '@linkyrpi/simulator'
import type { MeterSimulator, MeterSimulatorOptions, SimulatedFrame } from '@linkyrpi/simulator'
import { Observable } from 'rxjs'
import { checkSpeed, createPacer, isAbort } from './pace.js'
import type { Speed } from './pace.js'

/** Options of {@link simulatorSource}: the meter's options plus playback. */
export interface SimulatorSourceOptions extends MeterSimulatorOptions {
  /** 1 = real time (default), N = N times faster, `'max'` = as fast as the subscriber consumes. */
  readonly speed?: Speed
  /** Simulated duration in ms after which the source completes (default: never). */
  readonly durationMs?: number
  /** At finite speeds, frames are emitted in slices of this many ms of line time (default 100), as a serial port delivers them. */
  readonly sliceMs?: number
  /** Called with each frame before its bytes are emitted: the simulator's ground truth. */
  readonly onFrame?: (frame: SimulatedFrame, simulator: MeterSimulator) => void
}

/**
 * A source of bytes from a virtual meter (see @linkyrpi/simulator). Cold: each subscription
 * starts a fresh simulator from the same options, so the same seed gives the same bytes.
 * Completes after `durationMs` of simulated time, never otherwise. Throws TypeError at call
 * time for invalid options.
 */
export function simulatorSource(options: SimulatorSourceOptions = {}): Observable<Uint8Array> {
  const speed = checkSpeed(options.speed)
  createMeterSimulator(options) // validates now, not at subscription
  const sliceMs = options.sliceMs ?? 100
  return new Observable<Uint8Array>((subscriber) => {
    const ac = new AbortController()
    const sim = createMeterSimulator(options)
    const start = sim.now
    const end = options.durationMs === undefined ? Infinity : start + options.durationMs
    const run = async (): Promise<void> => {
      const pacer = createPacer(speed, ac.signal)
      while (!subscriber.closed && sim.now < end) {
        const f = sim.next()
        options.onFrame?.(f, sim)
        if (speed === 'max' || f.bytes.length === 0) {
          await pacer.wait(f.at - start)
          if (!subscriber.closed && f.bytes.length > 0) subscriber.next(f.bytes)
          continue
        }
        const lineMs = Math.max(1, f.durationMs - 25)
        const slices = Math.max(1, Math.ceil(lineMs / sliceMs))
        const size = Math.ceil(f.bytes.length / slices)
        for (let o = 0; o < f.bytes.length && !subscriber.closed; o += size) {
          await pacer.wait(f.at - start + (o / f.bytes.length) * lineMs)
          if (!subscriber.closed) subscriber.next(f.bytes.subarray(o, o + size))
        }
      }
    }
    run().then(
      () => subscriber.complete(),
      (error: unknown) => {
        if (ac.signal.aborted && isAbort(error)) return
        subscriber.error(error)
      },
    )
    return () => ac.abort()
  })
}
