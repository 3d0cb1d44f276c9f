import { describe, expect, it } from 'vitest'
import { localFields, localStart } from './local-time.js'

describe('localStart', () => {
  it('finds local midnight and the first of the month in Paris, across DST', () => {
    // 2026-03-29 is the spring-forward day in Europe: midnight is still UTC+1.
    expect(
      new Date(localStart(Date.UTC(2026, 2, 29, 12), 'Europe/Paris', 'day')).toISOString(),
    ).toBe('2026-03-28T23:00:00.000Z')
    expect(
      new Date(localStart(Date.UTC(2026, 6, 14, 12), 'Europe/Paris', 'day')).toISOString(),
    ).toBe('2026-07-13T22:00:00.000Z')
    expect(
      new Date(localStart(Date.UTC(2026, 6, 14, 12), 'Europe/Paris', 'month')).toISOString(),
    ).toBe('2026-06-30T22:00:00.000Z')
    // 23:30 UTC on 31 Dec is already 1 Jan in Paris.
    expect(
      new Date(localStart(Date.UTC(2026, 11, 31, 23, 30), 'Europe/Paris', 'month')).toISOString(),
    ).toBe('2026-12-31T23:00:00.000Z')
  })

  it('computes Paris without Intl exactly as Intl computes a zone with the same rules (Brussels)', () => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 13 * 60_000) {
      expect(localFields(t, 'Europe/Paris')).toEqual(localFields(t, 'Europe/Brussels'))
      expect(localStart(t, 'Europe/Paris', 'day')).toBe(localStart(t, 'Europe/Brussels', 'day'))
      expect(localStart(t, 'Europe/Paris', 'month')).toBe(localStart(t, 'Europe/Brussels', 'month'))
    }
  })

  it('still serves any other zone through Intl', () => {
    expect(
      new Date(localStart(Date.UTC(2026, 6, 14, 12), 'America/New_York', 'day')).toISOString(),
    ).toBe('2026-07-14T04:00:00.000Z')
  })
})
