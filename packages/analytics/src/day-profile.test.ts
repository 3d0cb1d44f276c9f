import type { SamplePoint } from '@linkyrpi/tic-core/stage'
import { describe, expect, it } from 'vitest'
import { dayProfiles } from './day-profile.js'
import { HOUR_MS, localDayStart, localHour, parseLocalDate } from './paris-time.js'

const point = (t: number, va: number | null): SamplePoint => ({
  t,
  avgVA: va,
  minVA: va,
  maxVA: va,
  avgVAByPhase: null,
  avgInjectedVA: null,
})

describe('dayProfiles', () => {
  it('groups hourly points by local day and hour, across both DST changes of a year', () => {
    const from = parseLocalDate('2025-01-01') as number
    const to = parseLocalDate('2026-01-01') as number
    const points: SamplePoint[] = []
    for (let t = from, i = 0; t < to; t += HOUR_MS, i++) points.push(point(t, (i % 7) * 100))
    const expected = new Map<number, { hour: number; weight: number }[]>()
    for (const p of points) {
      const day = localDayStart(p.t)
      expected.set(day, [...(expected.get(day) ?? []), { hour: localHour(p.t), weight: p.avgVA! }])
    }
    const profiles = dayProfiles(points)
    expect(profiles).toEqual(expected)
    expect(profiles.get(parseLocalDate('2025-03-30') as number)).toHaveLength(23)
    expect(profiles.get(parseLocalDate('2025-10-26') as number)?.map((h) => h.hour)).toEqual([
      0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
    ])
  })

  it('leaves out hours without power and counts negative power as 0', () => {
    const day = parseLocalDate('2025-06-10') as number
    const profiles = dayProfiles([
      point(day, null),
      point(day + HOUR_MS, -5),
      point(day + 2 * HOUR_MS, 700),
    ])
    expect(profiles.get(day)).toEqual([
      { hour: 1, weight: 0 },
      { hour: 2, weight: 700 },
    ])
  })
})
