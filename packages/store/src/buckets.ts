import { parisDayStart, parisNextDayStart } from '@linkyrpi/tic-core'

const MINUTE = 60_000
const HOUR = 3_600_000

/** Rollup resolutions, finest first. */
export const ROLLUP_RESOLUTIONS = ['1m', '1h', '1d'] as const

/** One rollup resolution: `1m`, `1h` or `1d` (local day, Europe/Paris). */
export type RollupResolution = (typeof ROLLUP_RESOLUTIONS)[number]

// The local day of consecutive samples rarely changes: remember the last one (hot path of ingest).
let dayFrom = 0
let dayTo = -1

/** Start of the bucket of `t` at a resolution. Hours are the same in UTC and in French time. */
export function bucketOf(res: RollupResolution, t: number): number {
  switch (res) {
    case '1m':
      return Math.floor(t / MINUTE) * MINUTE
    case '1h':
      return Math.floor(t / HOUR) * HOUR
    case '1d':
      if (t >= dayFrom && t < dayTo) return dayFrom
      dayFrom = parisDayStart(t)
      dayTo = parisNextDayStart(t)
      return dayFrom
  }
}
