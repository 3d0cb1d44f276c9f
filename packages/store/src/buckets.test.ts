import { describe, expect, it } from 'vitest'
import {
  parisDayStart as localDayStart,
  parisMonthStart as localMonthStart,
  parisNextMonthStart as nextLocalMonthStart,
} from '@linkyrpi/tic-core'
import { bucketOf } from './buckets.js'

describe('local buckets (Europe/Paris)', () => {
  it('starts a winter day at 23:00 UTC the day before, a summer day at 22:00 UTC', () => {
    expect(localDayStart(Date.UTC(2026, 0, 15, 12))).toBe(Date.UTC(2026, 0, 14, 23))
    expect(localDayStart(Date.UTC(2026, 6, 15, 12))).toBe(Date.UTC(2026, 6, 14, 22))
    // 23:30 UTC on 14 January is already 00:30 on the 15th in Paris.
    expect(localDayStart(Date.UTC(2026, 0, 14, 23, 30))).toBe(Date.UTC(2026, 0, 14, 23))
  })

  it('handles the DST days: 29 March 2026 lasts 23 hours, 25 October 2026 lasts 25', () => {
    const march = localDayStart(Date.UTC(2026, 2, 29, 12))
    expect(march).toBe(Date.UTC(2026, 2, 28, 23))
    expect(localDayStart(march + 23 * 3_600_000)).toBe(march + 23 * 3_600_000)
    expect(localDayStart(march + 23 * 3_600_000 - 1)).toBe(march)
    const october = localDayStart(Date.UTC(2026, 9, 25, 12))
    expect(october).toBe(Date.UTC(2026, 9, 24, 22))
    expect(localDayStart(october + 25 * 3_600_000 - 1)).toBe(october)
    expect(localDayStart(october + 25 * 3_600_000)).toBe(october + 25 * 3_600_000)
  })

  it('gives local month starts', () => {
    expect(localMonthStart(Date.UTC(2026, 2, 31, 12))).toBe(Date.UTC(2026, 1, 28, 23))
    expect(nextLocalMonthStart(Date.UTC(2026, 2, 31, 12))).toBe(Date.UTC(2026, 2, 31, 22))
  })

  it('buckets minutes and hours on UTC boundaries and days on local midnight, whatever the call order', () => {
    const t = Date.UTC(2026, 4, 10, 8, 17, 42)
    expect(bucketOf('1m', t)).toBe(Date.UTC(2026, 4, 10, 8, 17))
    expect(bucketOf('1h', t)).toBe(Date.UTC(2026, 4, 10, 8))
    expect(bucketOf('1d', t)).toBe(Date.UTC(2026, 4, 9, 22))
    expect(bucketOf('1d', Date.UTC(2026, 0, 1, 12))).toBe(Date.UTC(2025, 11, 31, 23))
    expect(bucketOf('1d', t + 1000)).toBe(Date.UTC(2026, 4, 9, 22))
    expect(bucketOf('1d', Date.UTC(2026, 4, 10, 22))).toBe(Date.UTC(2026, 4, 10, 22))
  })
})
