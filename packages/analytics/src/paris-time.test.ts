import { describe, expect, it } from 'vitest'
import {
  addLocalDays,
  localDayKey,
  localDaysBetween,
  localHour,
  nextLocalDay,
  parseLocalDate,
  HOUR_MS,
} from './paris-time.js'

describe('Europe/Paris days', () => {
  it('has 23-hour and 25-hour days at the DST changes', () => {
    const spring = parseLocalDate('2025-03-30') as number
    const autumn = parseLocalDate('2025-10-26') as number
    expect(new Date(spring).toISOString()).toBe('2025-03-29T23:00:00.000Z')
    expect((nextLocalDay(spring) - spring) / HOUR_MS).toBe(23)
    expect((nextLocalDay(autumn) - autumn) / HOUR_MS).toBe(25)
    expect(localDayKey(nextLocalDay(autumn))).toBe('2025-10-27')
  })

  it('rejects dates that do not exist and reads local hours', () => {
    expect(parseLocalDate('2025-02-29')).toBeNull()
    expect(parseLocalDate('2025-13-01')).toBeNull()
    expect(parseLocalDate('25-01-01')).toBeNull()
    expect(localHour(Date.parse('2025-07-01T20:30:00Z'))).toBe(22)
    expect(localHour(Date.parse('2025-01-01T20:30:00Z'))).toBe(21)
  })

  it('lists every local day of a range across DST', () => {
    const from = parseLocalDate('2025-03-29') as number
    const to = parseLocalDate('2025-04-01') as number
    expect(localDaysBetween(from, to).map(localDayKey)).toEqual([
      '2025-03-29',
      '2025-03-30',
      '2025-03-31',
    ])
    expect(localDayKey(addLocalDays(from, -30))).toBe('2025-02-27')
  })
})
