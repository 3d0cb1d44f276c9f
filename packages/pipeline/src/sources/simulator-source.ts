import { createMeterSimulator, simulatedFrames } from '@linkyrpi/simulator'
import type { MeterSimulator, MeterSimulatorOptions, SimulatedFrame } from '@linkyrpi/simulator'
import { stampChunk } from '@linkyrpi/tic-core/stage'
import type { TimedChunk } from '@linkyrpi/tic-core/stage'
import { Observable } from 'rxjs'
import { checkSpeed, createPacer, isAbort } from '@linkyrpi/source-serial'
import type { Speed } from '@linkyrpi/source-serial'

/** The simulator's inter-frame gap, ms: the line is silent for the last 25 ms of a frame's `durationMs`. */
const GAP_MS = 25

/** Options of {@link simulatorSource}: the meter's options plus playback. */
export interface SimulatorSourceOptions extends MeterSimulatorOptions {
  /** 1 = real time (default), N = N times faster, `'max'` = as fast as the subscriber consumes. */
  readonly speed?: Speed
  /** Simulated duration in ms after which the source completes (default: never). */
  readonly durationMs?: number
  /** Number of frames after which the source completes, a positive integer (default: never). */
  readonly frames?: number
  /** At finite speeds, frames are emitted in slices of this many ms of line time (default 100), as a serial port delivers them. */
  readonly sliceMs?: number
  /** Called with each frame before its bytes are emitted: the simulator's ground truth. */
  readonly onFrame?: (frame: SimulatedFrame, simulator: MeterSimulator) => void
}

/**
 * A source of bytes from a virtual meter: the simulator's frames (`simulatedFrames` of
 * @linkyrpi/simulator) paced by the sources' wall-clock pacer (`createPacer` of
 * @linkyrpi/source-serial, shared with `replaySource`), wired here because a stage package
 * imports no other stage. Cold: each subscription
 * starts a fresh simulator from the same options, so the same seed gives the same bytes.
 *
 * At a finite speed each frame is cut into slices of `sliceMs` of line time (the frame's
 * `durationMs` less the 25 ms gap), each emitted when its last byte would arrive on the line
 * (simulated time ÷ speed after subscription); with `'max'` each frame is one chunk, emitted as
 * fast as the subscriber takes them (yielding to the event loop every 64 frames).
 *
 * Every chunk is a {@link TimedChunk} stamped with `receivedAt`, epoch ms of the simulated
 * clock: the instant its last byte arrives, `frame.at + (end offset ÷ frame length) × line time`.
 * The chunk that ends a frame is stamped `frame.at + frame.durationMs - 25` at every speed, so
 * a decoder gives the frame the same receive time at 1×, 60× or `'max'`.
 *
 * Completes after `frames` frames or `durationMs` of simulated time, whichever comes first;
 * never otherwise. Throws TypeError at call time for invalid options.
 */
export function simulatorSource(options: SimulatorSourceOptions = {}): Observable<TimedChunk> {
  const speed = checkSpeed(options.speed)
  if (options.frames !== undefined && !(Number.isInteger(options.frames) && options.frames > 0)) {
    throw new TypeError(`"frames" must be a positive integer, got ${String(options.frames)}`)
  }
  createMeterSimulator(options) // validates now, not at subscription
  const sliceMs = options.sliceMs ?? 100
  return new Observable<TimedChunk>((subscriber) => {
    const ac = new AbortController()
    const sim = createMeterSimulator(options)
    const start = sim.now
    const run = async (): Promise<void> => {
      const pacer = createPacer(speed, ac.signal)
      for (const f of simulatedFrames(sim, {
        durationMs: options.durationMs,
        frames: options.frames,
      })) {
        if (subscriber.closed) break
        options.onFrame?.(f, sim)
        const lineMs = Math.max(1, f.durationMs - GAP_MS)
        if (speed === 'max' || f.bytes.length === 0) {
          await pacer.wait(f.at - start)
          if (!subscriber.closed && f.bytes.length > 0)
            subscriber.next(stampChunk(f.bytes, f.at + lineMs))
          continue
        }
        const slices = Math.max(1, Math.ceil(lineMs / sliceMs))
        const size = Math.ceil(f.bytes.length / slices)
        for (let o = 0; o < f.bytes.length && !subscriber.closed; o += size) {
          const to = Math.min(o + size, f.bytes.length)
          const offsetMs = (to / f.bytes.length) * lineMs
          await pacer.wait(f.at - start + offsetMs)
          if (!subscriber.closed)
            subscriber.next(stampChunk(f.bytes.subarray(o, to), f.at + offsetMs))
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
