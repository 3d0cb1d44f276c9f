import { isEuSummerTime } from '@linkyrpi/tic-core'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/** Rollup resolutions, finest first. */
export const ROLLUP_RESOLUTIONS = ['1m', '1h', '1d'] as const

/** One rollup resolution: `1m`, `1h` or `1d` (local day, Europe/Paris). */
export type RollupResolution = (typeof ROLLUP_RESOLUTIONS)[number]

/** UTC offset of French legal time at `t`, in ms. */
function offsetAt(t: number): number {
  return isEuSummerTime(t) ? 2 * HOUR : HOUR
}

/** Epoch ms of local midnight (Europe/Paris) of the day containing `t`. */
export function localDayStart(t: number): number {
  const localMidnight = Math.floor((t + offsetAt(t)) / DAY) * DAY
  // The offset at midnight may differ from the offset at `t` on a DST day (the change is at 01:00 UTC).
  const winter = localMidnight - HOUR
  return isEuSummerTime(winter) ? localMidnight - 2 * HOUR : winter
}

/** Epoch ms of the local start (Europe/Paris) of the month containing `t`. */
export function localMonthStart(t: number): number {
  const local = new Date(t + offsetAt(t))
  const first = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1)
  return localDayStart(first + 12 * HOUR)
}

/** Epoch ms of the next local month start after the month containing `t`. */
export function nextLocalMonthStart(t: number): number {
  const start = localMonthStart(t)
  return localMonthStart(start + 32 * DAY)
}

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
      dayFrom = localDayStart(t)
      dayTo = localDayStart(dayFrom + 30 * HOUR)
      return dayFrom
  }
}
