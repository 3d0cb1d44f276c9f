import { isEuSummerTime } from '@linkyrpi/tic-core'

/** Metropolitan French legal time of an instant, broken down (what a meter's clock shows). */
export interface LocalTime {
  readonly year: number
  /** 1-12. */
  readonly month: number
  /** 1-31. */
  readonly day: number
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number
  /** Minutes since local midnight, with fractions (0 ≤ x < 1440). */
  readonly minuteOfDay: number
  /** Days since 1970-01-01 of the local calendar date: a key for per-day randomness. */
  readonly dayNumber: number
  /** Day of the year, 0-365. */
  readonly dayOfYear: number
  /** UTC offset in minutes (60 in winter, 120 in summer). */
  readonly offsetMinutes: number
}

const DAY_MS = 86_400_000

/** Breaks `epochMs` down in French legal time (CET/CEST, EU DST rule). */
export function localTime(epochMs: number): LocalTime {
  const offsetMinutes = isEuSummerTime(epochMs) ? 120 : 60
  const shifted = epochMs + offsetMinutes * 60_000
  const dayNumber = Math.floor(shifted / DAY_MS)
  const d = new Date(dayNumber * DAY_MS)
  const year = d.getUTCFullYear()
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    minuteOfDay: (shifted - dayNumber * DAY_MS) / 60_000,
    dayNumber,
    dayOfYear: Math.floor((dayNumber * DAY_MS - Date.UTC(year, 0, 1)) / DAY_MS),
    offsetMinutes,
  }
}

/** The instant of local wall-clock `minuteOfDay` on local day `dayNumber` (DST-aware). */
export function instantOfLocal(dayNumber: number, minuteOfDay: number): number {
  const naive = dayNumber * DAY_MS + minuteOfDay * 60_000
  const guess = naive - 60 * 60_000
  return isEuSummerTime(guess) ? naive - 120 * 60_000 : guess
}

/** Calendar month (1-12) and weekday (0 = Sunday) of a local day number. */
export function dayInfo(dayNumber: number): { readonly month: number; readonly weekday: number; readonly dayOfYear: number } {
  const d = new Date(dayNumber * DAY_MS)
  const year = d.getUTCFullYear()
  return {
    month: d.getUTCMonth() + 1,
    weekday: d.getUTCDay(),
    dayOfYear: Math.floor((dayNumber * DAY_MS - Date.UTC(year, 0, 1)) / DAY_MS),
  }
}
