import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'

/** Playback speed: 1 = real time, N = N times faster, `'max'` = as fast as the consumer takes it. */
export type Speed = number | 'max'

/** Checks a speed option; throws TypeError naming it. */
export function checkSpeed(speed: Speed | undefined): Speed {
  const s = speed ?? 1
  if (s !== 'max' && !(typeof s === 'number' && Number.isFinite(s) && s > 0))
    throw new TypeError(`"speed" must be a positive number or 'max', got ${String(speed)}`)
  return s
}

/**
 * Paces emissions against the wall clock: `wait(offsetMs)` resolves when `offsetMs` of source
 * time (divided by the speed) has elapsed since the pacer started. With speed `'max'` it only
 * yields to the event loop now and then, so that unsubscribing and other I/O still happen.
 */
export function createPacer(
  speed: Speed,
  signal: AbortSignal,
): { wait(offsetMs: number): Promise<void> } {
  const t0 = performance.now()
  let calls = 0
  return {
    async wait(offsetMs: number): Promise<void> {
      if (speed === 'max') {
        if (++calls % 64 === 0) await yieldToLoop(undefined, { signal })
        return
      }
      const delay = t0 + offsetMs / speed - performance.now()
      // Below a millisecond a timer would oversleep: emit now and catch up on the next one.
      if (delay >= 1) await sleep(delay, undefined, { signal })
      else if (++calls % 64 === 0) await yieldToLoop(undefined, { signal })
    },
  }
}

/** True for the rejection of an aborted `node:timers/promises` wait. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError'
}
