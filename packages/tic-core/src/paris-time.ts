/**
 * Metropolitan French legal time (Europe/Paris): CET (UTC+1) in winter, CEST (UTC+2) from the
 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (the EU rule, in force
 * since 1996 and applied here to every year). The one home of French local time in LinkyRPi:
 * plain arithmetic, no `Intl`, so it is fast and needs no ICU data.
 */

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** The IANA name of the zone this module computes. */
export const PARIS_TIME_ZONE = 'Europe/Paris'

/** Metropolitan French legal time of an instant, broken down. */
export interface ParisLocalTime {
  /** Local calendar year. */
  readonly year: number
  /** 1-12. */
  readonly month: number
  /** 1-31. */
  readonly day: number
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number
  /** 0-23 (the repeated October hour reads 02 twice). */
  readonly hour: number
  /** 0-59. */
  readonly minute: number
  /** 0-59. */
  readonly second: number
  /** Minutes since local midnight, with fractions (0 ≤ x < 1440). */
  readonly minuteOfDay: number
  /** Days since 1970-01-01 of the local calendar date. */
  readonly dayNumber: number
  /** Day of the year, 0-365. */
  readonly dayOfYear: number
  /** UTC offset in minutes: 60 in winter, 120 in summer. */
  readonly offsetMinutes: number
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12); any integer year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** Calendar date (month 1-12) of a day number (days since 1970-01-01). */
export function civilFromDays(dayNumber: number): {
  readonly year: number
  readonly month: number
  readonly day: number
} {
  const z = dayNumber + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day }
}

/** 0 = Sunday … 6 = Saturday of a day number (days since 1970-01-01, a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7
}

/** 01:00 UTC of the last Sunday of `month` (1-12) of `year`, epoch ms. */
function lastSundayOneUtc(year: number, month: number): number {
  const last = daysFromCivil(year, month + 1, 1) - 1
  return (last - weekdayOf(last)) * DAY_MS + HOUR_MS
}

// The summer-time range of the last year asked (callers ask about nearby instants, in order).
let rangeYear = NaN
let rangeStart = 0
let rangeEnd = 0
// The UTC year span [yearFrom, yearTo) of rangeYear, to find it again without a division.
let yearFrom = 0
let yearTo = -1

function loadYearOf(epochMs: number): void {
  if (epochMs >= yearFrom && epochMs < yearTo) return
  const year = civilFromDays(Math.floor(epochMs / DAY_MS)).year
  rangeYear = year
  rangeStart = lastSundayOneUtc(year, 3)
  rangeEnd = lastSundayOneUtc(year, 10)
  yearFrom = daysFromCivil(year, 1, 1) * DAY_MS
  yearTo = daysFromCivil(year + 1, 1, 1) * DAY_MS
}

/**
 * EU summer time of `year`: [start, end) in epoch ms, the last Sundays of March and October at
 * 01:00 UTC.
 */
export function euSummerTimeRange(year: number): readonly [start: number, end: number] {
  if (year === rangeYear) return [rangeStart, rangeEnd]
  return [lastSundayOneUtc(year, 3), lastSundayOneUtc(year, 10)]
}

/** True when EU summer time (CEST, UTC+2) is in force at `epochMs`. */
export function isEuSummerTime(epochMs: number): boolean {
  loadYearOf(epochMs)
  return epochMs >= rangeStart && epochMs < rangeEnd
}

/** UTC offset of French legal time at `epochMs`, in ms: 3 600 000 in winter, 7 200 000 in summer. */
export function parisOffsetMs(epochMs: number): number {
  return isEuSummerTime(epochMs) ? 2 * HOUR_MS : HOUR_MS
}

// The calendar fields of the last local day broken down (consecutive instants share it).
let lastDay = { dayNumber: NaN, year: 0, month: 0, day: 0, weekday: 0, dayOfYear: 0 }

/** Breaks `epochMs` down in French legal time. */
export function parisLocalTime(epochMs: number): ParisLocalTime {
  const offsetMinutes = isEuSummerTime(epochMs) ? 120 : 60
  const shifted = epochMs + offsetMinutes * MINUTE_MS
  const dayNumber = Math.floor(shifted / DAY_MS)
  if (dayNumber !== lastDay.dayNumber) {
    const { year, month, day } = civilFromDays(dayNumber)
    lastDay = {
      dayNumber,
      year,
      month,
      day,
      weekday: weekdayOf(dayNumber),
      dayOfYear: dayNumber - daysFromCivil(year, 1, 1),
    }
  }
  const { year, month, day, weekday, dayOfYear } = lastDay
  const msOfDay = shifted - dayNumber * DAY_MS
  const secondOfDay = Math.floor(msOfDay / 1000)
  return {
    year,
    month,
    day,
    weekday,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor(secondOfDay / 60) % 60,
    second: secondOfDay % 60,
    minuteOfDay: msOfDay / MINUTE_MS,
    dayNumber,
    dayOfYear,
    offsetMinutes,
  }
}

/**
 * The instant of local wall-clock `minuteOfDay` on local day `dayNumber`. In the skipped March
 * hour the winter offset is used; in the repeated October hour, the first (summer) occurrence.
 */
export function parisInstantOf(dayNumber: number, minuteOfDay: number): number {
  const naive = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS
  const winter = naive - HOUR_MS
  return isEuSummerTime(winter) ? naive - 2 * HOUR_MS : winter
}

/** Epoch ms of local midnight of the day containing `epochMs`. */
export function parisDayStart(epochMs: number): number {
  const dayNumber = Math.floor((epochMs + parisOffsetMs(epochMs)) / DAY_MS)
  // The offset at midnight may differ from the one at `epochMs` on a DST day (the change is at 01:00 UTC).
  return parisInstantOf(dayNumber, 0)
}

/** Epoch ms of the local midnight ending the day containing `epochMs`: 23, 24 or 25 h after its start. */
export function parisNextDayStart(epochMs: number): number {
  const dayNumber = Math.floor((epochMs + parisOffsetMs(epochMs)) / DAY_MS)
  return parisInstantOf(dayNumber + 1, 0)
}

/** Epoch ms of the local start (1st, midnight) of the month containing `epochMs`. */
export function parisMonthStart(epochMs: number): number {
  const { year, month } = civilFromDays(Math.floor((epochMs + parisOffsetMs(epochMs)) / DAY_MS))
  return parisInstantOf(daysFromCivil(year, month, 1), 0)
}

/** Epoch ms of the local start of the month after the one containing `epochMs`. */
export function parisNextMonthStart(epochMs: number): number {
  const { year, month } = civilFromDays(Math.floor((epochMs + parisOffsetMs(epochMs)) / DAY_MS))
  return parisInstantOf(daysFromCivil(year, month + 1, 1), 0)
}

/** `YYYY-MM-DD` of the local day containing `epochMs`. */
export function parisDayKey(epochMs: number): string {
  const { year, month, day } = civilFromDays(
    Math.floor((epochMs + parisOffsetMs(epochMs)) / DAY_MS),
  )
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
