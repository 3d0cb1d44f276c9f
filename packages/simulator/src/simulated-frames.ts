import type { MeterSimulator } from './meter-simulator.js'
import type { SimulatedFrame } from './simulated-frame.js'

/** When {@link simulatedFrames} stops. */
export interface SimulatedRun {
  /** Simulated ms after the simulator's current time: no frame starts at or after it (default: never stops). */
  readonly durationMs?: number | undefined
  /** Number of frames after which the run stops (default: never). */
  readonly frames?: number | undefined
}

/**
 * The frames of `simulator`, as fast as they are asked for: every frame that starts before
 * `durationMs` of simulated time from now, at most `frames` of them. The one loop behind
 * `linkyrpi simulate --speed max` and the pipeline's `simulatorSource`; stop early by
 * leaving the loop (`break`).
 */
export function* simulatedFrames(
  simulator: MeterSimulator,
  run: SimulatedRun = {},
): Generator<SimulatedFrame, void, undefined> {
  const end = run.durationMs === undefined ? Infinity : simulator.now + run.durationMs
  const max = run.frames ?? Infinity
  for (let count = 0; count < max && simulator.now < end; count++) yield simulator.next()
}
