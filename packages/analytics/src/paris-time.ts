import { isEuSummerTime } from '@linkyrpi/tic-core'

/** One hour, ms. */
export const HOUR_MS = 3_600_000
/** One (24-hour) day, ms. */
export const DAY_MS = 86_400_000

/** UTC offset of French legal time (Europe/Paris) at `t`, ms. */
export function parisOffsetMs(t: number): number {
  return isEuSummerTime(t) ? 2 * HOUR_MS : HOUR_MS
}

/**
 * Epoch ms of local midnight (Europe/Paris) of the day containing `t`. The same rule as the
 * store's `1d` rollup buckets (packages/store buckets.ts), so day keys agree with the store.
 */
export function localDayStart(t: number): number {
  const localMidnight = Math.floor((t + parisOffsetMs(t)) / DAY_MS) * DAY_MS
  const winter = localMidnight - HOUR_MS
  return isEuSummerTime(winter) ? localMidnight - 2 * HOUR_MS : winter
}

/** Local midnight of the day after the one starting at (or containing) `t`: 23, 24 or 25 h later. */
export function nextLocalDay(t: number): number {
  return localDayStart(localDayStart(t) + 30 * HOUR_MS)
}

/** `YYYY-MM-DD` of the local day containing `t`. */
export function localDayKey(t: number): string {
  return new Date(t + parisOffsetMs(t)).toISOString().slice(0, 10)
}

/** `YYYY-MM` of the local month containing `t`. */
export function localMonthKey(t: number): string {
  return localDayKey(t).slice(0, 7)
}

/** Local hour of day 0-23 at `t` (the repeated October hour counts twice as 02). */
export function localHour(t: number): number {
  return new Date(t + parisOffsetMs(t)).getUTCHours()
}

/** Day of week of the local day containing `t`: 0 Sunday … 6 Saturday. */
export function localWeekday(t: number): number {
  return new Date(t + parisOffsetMs(t)).getUTCDay()
}

/**
 * Epoch ms of local midnight of a `YYYY-MM-DD` date (Europe/Paris); null when the text is not a
 * valid calendar date.
 */
export function parseLocalDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m === null) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const utc = Date.UTC(y, mo - 1, d)
  const back = new Date(utc)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null
  return localDayStart(utc + 12 * HOUR_MS)
}

/** Local midnight `n` days after (or before, n < 0) the local day containing `t`. */
export function addLocalDays(t: number, n: number): number {
  return localDayStart(localDayStart(t) + n * DAY_MS + 12 * HOUR_MS)
}

/** Every local day start in [from, to), in order. */
export function localDaysBetween(from: number, to: number): number[] {
  const out: number[] = []
  for (let d = localDayStart(from); d < to; d = nextLocalDay(d)) if (d >= from) out.push(d)
  return out
}
