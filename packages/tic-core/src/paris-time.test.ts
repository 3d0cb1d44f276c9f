import { describe, expect, it } from 'vitest'
import {
  civilFromDays,
  daysFromCivil,
  euSummerTimeRange,
  isEuSummerTime,
  parisDayKey,
  parisDayStart,
  parisInstantOf,
  parisLocalTime,
  parisMonthStart,
  parisNextDayStart,
  parisNextMonthStart,
  parisOffsetMs,
} from './paris-time.js'

const HOUR = 3_600_000
const DAY = 86_400_000

// The reference, in the test only: ICU's Europe/Paris (the EU rule holds there since 1996).
const icu = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
})
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

function icuFields(t: number): {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  weekday: number
} {
  const p: Record<string, string> = {}
  for (const part of icu.formatToParts(t)) p[part.type] = part.value
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS.indexOf(p.weekday ?? ''),
  }
}

function icuOffsetMs(t: number): number {
  const f = icuFields(t)
  return (
    Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(t / 1000) * 1000
  )
}

describe('paris-time (Europe/Paris without Intl)', () => {
  it('switches at 01:00 UTC on the last Sundays of March and October', () => {
    expect(isEuSummerTime(Date.UTC(2024, 2, 31, 0, 59, 59, 999))).toBe(false)
    expect(isEuSummerTime(Date.UTC(2024, 2, 31, 1))).toBe(true)
    expect(isEuSummerTime(Date.UTC(2024, 9, 27, 0, 59, 59, 999))).toBe(true)
    expect(isEuSummerTime(Date.UTC(2024, 9, 27, 1))).toBe(false)
    expect(euSummerTimeRange(2026)).toEqual([Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)])
    // A year whose last day of March is itself a Sunday.
    expect(euSummerTimeRange(2019)).toEqual([Date.UTC(2019, 2, 31, 1), Date.UTC(2019, 9, 27, 1)])
  })

  it('agrees with ICU at every switch instant ±1 ms, 1996-2100', () => {
    for (let year = 1996; year <= 2100; year++) {
      for (const edge of euSummerTimeRange(year)) {
        for (const t of [edge - 1000, edge - 1, edge, edge + 1, edge + 1000]) {
          expect(parisOffsetMs(t), new Date(t).toISOString()).toBe(icuOffsetMs(t))
        }
      }
    }
  })

  it('breaks instants down as ICU does (every 31 h 07 min 17 s over 2000-2040, both ways in time)', () => {
    const from = Date.UTC(2000, 0, 1)
    const to = Date.UTC(2040, 0, 1)
    const step = 31 * HOUR + 7 * 60_000 + 17_000
    const check = (t: number): void => {
      const f = parisLocalTime(t)
      const r = icuFields(t)
      expect(
        {
          year: f.year,
          month: f.month,
          day: f.day,
          hour: f.hour,
          minute: f.minute,
          second: f.second,
          weekday: f.weekday,
        },
        new Date(t).toISOString(),
      ).toEqual(r)
      expect(f.offsetMinutes * 60_000).toBe(icuOffsetMs(t))
      expect(f.dayNumber).toBe(Math.floor(Date.UTC(r.year, r.month - 1, r.day) / DAY))
      expect(f.dayOfYear).toBe(
        (Date.UTC(r.year, r.month - 1, r.day) - Date.UTC(r.year, 0, 1)) / DAY,
      )
    }
    for (let t = from; t < to; t += step) check(t)
    for (let t = to; t > from; t -= step) check(t)
  })

  it('crosses year boundaries in local time, an hour before UTC', () => {
    const t = Date.UTC(2025, 11, 31, 23, 30)
    expect(parisLocalTime(t)).toMatchObject({
      year: 2026,
      month: 1,
      day: 1,
      hour: 0,
      minute: 30,
      dayOfYear: 0,
      weekday: 4,
    })
    expect(parisDayKey(t)).toBe('2026-01-01')
    expect(parisDayStart(t)).toBe(Date.UTC(2025, 11, 31, 23))
    expect(parisMonthStart(t)).toBe(Date.UTC(2025, 11, 31, 23))
    expect(parisLocalTime(Date.UTC(2025, 11, 31, 22, 59, 59))).toMatchObject({
      year: 2025,
      month: 12,
      day: 31,
      hour: 23,
      dayOfYear: 364,
    })
    expect(parisLocalTime(Date.UTC(2024, 11, 31, 12))).toMatchObject({ dayOfYear: 365 })
    expect(parisNextMonthStart(Date.UTC(2025, 11, 15))).toBe(Date.UTC(2025, 11, 31, 23))
  })

  it('gives the DST days 23 and 25 hours', () => {
    const march = Date.UTC(2026, 2, 29, 12)
    expect(parisDayStart(march)).toBe(Date.UTC(2026, 2, 28, 23))
    expect(parisNextDayStart(march)).toBe(Date.UTC(2026, 2, 29, 22))
    const october = Date.UTC(2026, 9, 25, 12)
    expect(parisDayStart(october)).toBe(Date.UTC(2026, 9, 24, 22))
    expect(parisNextDayStart(october)).toBe(Date.UTC(2026, 9, 25, 23))
    // Just after the switch instants, the day is still the same one.
    expect(parisDayStart(Date.UTC(2026, 2, 29, 1))).toBe(Date.UTC(2026, 2, 28, 23))
    expect(parisDayStart(Date.UTC(2026, 9, 25, 1))).toBe(Date.UTC(2026, 9, 24, 22))
  })

  it('finds day and month starts as ICU does, and the next ones, every 19 h 11 min over 2022-2032', () => {
    for (let t = Date.UTC(2022, 0, 1); t < Date.UTC(2032, 0, 1); t += 19 * HOUR + 11 * 60_000) {
      const day = parisDayStart(t)
      const next = parisNextDayStart(t)
      expect(day).toBeLessThanOrEqual(t)
      expect(next).toBeGreaterThan(t)
      expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(next - day)
      expect(icuFields(day)).toMatchObject({ hour: 0, minute: 0, second: 0, day: icuFields(t).day })
      expect(icuFields(next)).toMatchObject({ hour: 0, minute: 0, second: 0 })
      const month = parisMonthStart(t)
      expect(icuFields(month)).toMatchObject({
        day: 1,
        hour: 0,
        minute: 0,
        month: icuFields(t).month,
        year: icuFields(t).year,
      })
      expect(parisNextMonthStart(t)).toBe(parisMonthStart(month + 32 * DAY))
      const r = icuFields(t)
      expect(parisDayKey(t)).toBe(
        `${r.year}-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`,
      )
    }
  })

  it('turns a local wall-clock time back into the instant', () => {
    const day = parisLocalTime(Date.UTC(2026, 6, 14, 12)).dayNumber
    expect(parisInstantOf(day, 8 * 60 + 30)).toBe(Date.UTC(2026, 6, 14, 6, 30))
    const winterDay = parisLocalTime(Date.UTC(2026, 0, 14, 12)).dayNumber
    expect(parisInstantOf(winterDay, 22 * 60)).toBe(Date.UTC(2026, 0, 14, 21))
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3 * HOUR + 7 * 60_000) {
      const f = parisLocalTime(t)
      // The repeated October hour maps back to its first (summer) occurrence.
      const back = parisInstantOf(f.dayNumber, f.minuteOfDay)
      expect(back === t || back === t - HOUR).toBe(true)
      if (back !== t) expect(f).toMatchObject({ month: 10, hour: 2, offsetMinutes: 60 })
    }
  })

  it('converts calendar dates and day numbers both ways, leap years and negative days included', () => {
    for (let d = -800_000; d <= 800_000; d += 997) {
      const c = civilFromDays(d)
      expect(daysFromCivil(c.year, c.month, c.day)).toBe(d)
      const u = new Date(d * DAY)
      expect(c).toEqual({
        year: u.getUTCFullYear(),
        month: u.getUTCMonth() + 1,
        day: u.getUTCDate(),
      })
    }
    expect(civilFromDays(daysFromCivil(2024, 2, 29))).toEqual({ year: 2024, month: 2, day: 29 })
    expect(daysFromCivil(2025, 13, 1)).toBe(daysFromCivil(2026, 1, 1))
  })
})
