import {
  civilFromDays,
  daysFromCivil,
  parisDayKey,
  parisDayStart,
  parisInstantOf,
  parisLocalTime,
  parisNextDayStart,
} from '@linkyrpi/tic-core/paris-time'

// Analytics' day vocabulary over tic-core's French-time module (packages/tic-core/src/paris-time.ts,
// imported through its own entry so that loading the analytics does not load the decoder), the
// one home of Europe/Paris local time: the same days as the store's `1d` rollup buckets.

/** One hour, ms. */
export const HOUR_MS = 3_600_000
/** One (24-hour) day, ms. */
export const DAY_MS = 86_400_000

/** Epoch ms of local midnight (Europe/Paris) of the day containing `t`. */
export const localDayStart: (t: number) => number = parisDayStart

/** Local midnight of the day after the one starting at (or containing) `t`: 23, 24 or 25 h later. */
export const nextLocalDay: (t: number) => number = parisNextDayStart

/** `YYYY-MM-DD` of the local day containing `t`. */
export const localDayKey: (t: number) => string = parisDayKey

/** `YYYY-MM` of the local month containing `t`. */
export function localMonthKey(t: number): string {
  return parisDayKey(t).slice(0, 7)
}

/** Local hour of day 0-23 at `t` (the repeated October hour counts twice as 02). */
export function localHour(t: number): number {
  return parisLocalTime(t).hour
}

/** Day of week of the local day containing `t`: 0 Sunday … 6 Saturday. */
export function localWeekday(t: number): number {
  return parisLocalTime(t).weekday
}

/**
 * Epoch ms of local midnight of a `YYYY-MM-DD` date (Europe/Paris); null when the text is not a
 * valid calendar date.
 */
export function parseLocalDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m === null) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1) return null
  const dayNumber = daysFromCivil(y, mo, d)
  const back = civilFromDays(dayNumber)
  if (back.year !== y || back.month !== mo || back.day !== d) return null
  return parisInstantOf(dayNumber, 0)
}

/** Local midnight `n` days after (or before, n < 0) the local day containing `t`. */
export function addLocalDays(t: number, n: number): number {
  return parisInstantOf(parisLocalTime(t).dayNumber + n, 0)
}

/** Every local day start in [from, to), in order. */
export function localDaysBetween(from: number, to: number): number[] {
  const out: number[] = []
  for (let d = parisDayStart(from); d < to; d = parisNextDayStart(d)) if (d >= from) out.push(d)
  return out
}
