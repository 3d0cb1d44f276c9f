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

let lastDay = { dayNumber: NaN, year: 0, month: 0, day: 0, weekday: 0, dayOfYear: 0 }
const summerCache = new Map<number, readonly [number, number]>()

/** `isEuSummerTime` with the year's two switch instants cached (the simulator asks millions of times). */
export function isSummer(epochMs: number): boolean {
  const year = Math.floor(epochMs / 31_556_952_000) + 1970
  let range = summerCache.get(year)
  if (range === undefined) {
    // Find the two switch instants of the year by bisection on tic-core's rule.
    const find = (lo: number, hi: number, to: boolean): number => {
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (isEuSummerTime(mid) === to) hi = mid
        else lo = mid
      }
      return hi
    }
    const jan = Date.UTC(year, 0, 1)
    const jul = Date.UTC(year, 6, 1)
    range = [find(jan, jul, true), find(jul, Date.UTC(year + 1, 0, 1), false)]
    summerCache.set(year, range)
  }
  if (epochMs < Date.UTC(year, 0, 1) || epochMs >= Date.UTC(year + 1, 0, 1)) return isEuSummerTime(epochMs)
  return epochMs >= range[0] && epochMs < range[1]
}

/** Breaks `epochMs` down in French legal time (CET/CEST, EU DST rule). */
export function localTime(epochMs: number): LocalTime {
  const offsetMinutes = isSummer(epochMs) ? 120 : 60
  const shifted = epochMs + offsetMinutes * 60_000
  const dayNumber = Math.floor(shifted / DAY_MS)
  if (dayNumber !== lastDay.dayNumber) {
    const d = new Date(dayNumber * DAY_MS)
    const year = d.getUTCFullYear()
    lastDay = {
      dayNumber,
      year,
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      dayOfYear: Math.floor((dayNumber * DAY_MS - Date.UTC(year, 0, 1)) / DAY_MS),
    }
  }
  const { year, month, day, weekday, dayOfYear } = lastDay
  return { year, month, day, weekday, minuteOfDay: (shifted - dayNumber * DAY_MS) / 60_000, dayNumber, dayOfYear, offsetMinutes }
}

/** The instant of local wall-clock `minuteOfDay` on local day `dayNumber` (DST-aware). */
export function instantOfLocal(dayNumber: number, minuteOfDay: number): number {
  const naive = dayNumber * DAY_MS + minuteOfDay * 60_000
  const guess = naive - 60 * 60_000
  return isSummer(guess) ? naive - 120 * 60_000 : guess
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
