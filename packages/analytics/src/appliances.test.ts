import type { SamplePoint } from '@linkyrpi/tic-core/stage'
import { describe, expect, it } from 'vitest'
import { detectAppliances } from './appliances.js'
import { parseSchedule } from './day-profile.js'
import { parseLocalDate } from './paris-time.js'

const MIN = 60_000

/** A minute curve of `days` days from `day`: `w(minuteOfDay, dayIndex)` watts. */
function curve(day: string, days: number, w: (m: number, d: number) => number): SamplePoint[] {
  const start = parseLocalDate(day) as number
  const out: SamplePoint[] = []
  for (let i = 0; i < days * 1440; i++) {
    const v = w(i % 1440, Math.floor(i / 1440))
    out.push({
      t: start + i * MIN,
      avgVA: v,
      minVA: v,
      maxVA: v,
      avgVAByPhase: null,
      avgInjectedVA: null,
    })
  }
  return out
}

describe('detectAppliances', () => {
  it('recognises a water heater at the off-peak start, dinner cooking and heating, with energy and €', () => {
    // Base 150 W; water heater 2400 W 22:00-23:30; hob 2500 W 19:30-20:10; a 1200 W load 06:00-09:00.
    const points = curve(
      '2025-06-02',
      3,
      (m) =>
        150 +
        (m >= 22 * 60 && m < 23 * 60 + 30 ? 2400 : 0) +
        (m >= 19 * 60 + 30 && m < 20 * 60 + 10 ? 2500 : 0) +
        (m >= 6 * 60 && m < 9 * 60 ? 1200 : 0),
    )
    const r = detectAppliances(points, {
      offPeak: parseSchedule('22:00-06:00'),
      priceOfDay: () => 0.2,
    })
    const wh = r.activations.filter((a) => a.kind === 'water-heater')
    expect(wh).toHaveLength(3)
    expect(wh[0]?.powerW).toBe(2400)
    expect((wh[0]!.end - wh[0]!.start) / MIN).toBe(90)
    expect(
      r.activations.filter((a) => a.kind === 'other').map((a) => (a.end - a.start) / MIN),
    ).toEqual([180, 180, 180])
    const cooking = r.activations.filter((a) => a.kind === 'cooking')
    expect(cooking).toHaveLength(3)
    const use = Object.fromEntries(r.uses.map((u) => [u.kind, u]))
    expect(use['water-heater']?.energyWh).toBeCloseTo(3 * 2400 * 1.5, 6)
    expect(use['water-heater']?.eur).toBeCloseTo(10.8 * 0.2, 6)
    expect(r.clusters.find((c) => c.kind === 'water-heater')).toEqual({
      kind: 'water-heater',
      activations: 3,
      typicalW: 2400,
      typicalMinutes: 90,
    })
    expect(use.cooking?.energyWh).toBeCloseTo(3 * 2500 * (40 / 60), 6)
    // Every step load is removed before the slow floor is read: no heating is invented.
    expect(use.heating).toBeUndefined()
  })

  it('estimates slow heating above the base load and says nothing for a summer flat curve', () => {
    const winter = curve('2025-01-06', 2, (m) => 200 + 1000 + 600 * Math.sin((Math.PI * m) / 1440))
    const r = detectAppliances(winter, { offPeak: parseSchedule('22:00-06:00') })
    const heating = r.uses.find((u) => u.kind === 'heating')
    // Base 200 W capped at most 400: heating is at least (1000 - 200) W × 48 h.
    expect(heating?.energyWh).toBeGreaterThan(800 * 48 * 0.9)
    const summer = detectAppliances(
      curve('2025-07-07', 2, () => 180),
      { offPeak: parseSchedule('22:00-06:00') },
    )
    expect(summer.uses.find((u) => u.kind === 'heating')).toBeUndefined()
    expect(summer.activations).toEqual([])
  })

  it('takes a daily evening rise of the base load for base load, not heating, outside the heating season', () => {
    // June: base 150 W, 450 W from 18:00 to 23:00 every day (lights, screens); 600 W of heating
    // on the mornings of days 3 and 10 only (06:00-08:00).
    const heatingOn = (m: number, d: number) => (d === 3 || d === 10) && m >= 360 && m < 480
    const points = curve('2025-06-02', 14, (m, d) => {
      const base = m >= 18 * 60 && m < 23 * 60 ? 450 : 150
      return base + (heatingOn(m, d) ? 600 : 0)
    })
    const r = detectAppliances(points, { offPeak: parseSchedule('22:00-06:00') })
    const heatingMinutes = (on: (m: number, d: number) => boolean) =>
      points.filter((_, i) => on(i % 1440, Math.floor(i / 1440)) && (r.heatingW[i] ?? 0) >= 300)
        .length
    // The evening is not heating (the flat base alone made it 300 W of heating every evening).
    expect(heatingMinutes((m) => m >= 18 * 60 + 30 && m < 22 * 60 + 30)).toBe(0)
    // The two heated mornings are, over their whole two hours: the floor's 60-minute minimum
    // alone trimmed half an hour off each end (only the middle hour was found).
    expect(heatingMinutes(heatingOn)).toBeGreaterThanOrEqual(2 * 110)
  })

  it('reports no heating in June for evening lights and a cycling hob, and counts the hob on its on-minutes', () => {
    // June: base 150 W, 450 W from 18:00 to 23:00 (lights, screens); dinner on a 2500 W hob
    // cycling two minutes on, one off, 19:30-20:15. No heating at all. The hob's off minutes were
    // subtracted as if on: a zero floor taken for the base load, then the evening lights for
    // 300 W of heating every evening.
    const hob = (m: number) => m >= 19 * 60 + 30 && m < 20 * 60 + 15 && m % 3 !== 2
    const points = curve(
      '2025-06-02',
      14,
      (m) => (m >= 18 * 60 && m < 23 * 60 ? 450 : 150) + (hob(m) ? 2500 : 0),
    )
    const r = detectAppliances(points, { offPeak: parseSchedule('22:00-06:00') })
    // At most the 9-minute average's ramp where the lights switch, for a few minutes (about
    // 50 Wh a day; the old detector found 64 kWh over the fortnight).
    expect(r.heatingW.filter((w) => w >= 150)).toHaveLength(0)
    expect(r.uses.find((u) => u.kind === 'heating')?.energyWh ?? 0).toBeLessThan(1000)
    const cooking = r.uses.find((u) => u.kind === 'cooking')
    expect(cooking?.activations).toBe(14)
    // 30 on-minutes of 45 a day, not the whole 45.
    expect(cooking?.energyWh).toBeCloseTo(14 * 2500 * (30 / 60), 6)
    expect(r.activations[0]?.onMinutes).toBe(30)
  })

  it('takes a water heater still on at the end of the data, or already on at its start, for the water heater, not heating', () => {
    // June, base 150 W; the water heater 2400 W from 22:00 to 00:45 every night; the data runs
    // from 00:00 (the heater on since the evening before) to 22:30 of the third day (on since 22:00).
    const wh = (m: number) => m >= 22 * 60 || m < 45
    const points = curve('2025-06-02', 3, (m) => 150 + (wh(m) ? 2400 : 0)).slice(0, -90)
    const r = detectAppliances(points, { offPeak: parseSchedule('22:00-06:00') })
    expect(r.uses.find((u) => u.kind === 'heating')).toBeUndefined()
    const runs = r.activations.filter((a) => a.kind === 'water-heater')
    expect(runs.map((a) => [(a.start - points[0]!.t) / MIN, (a.end - a.start) / MIN])).toEqual([
      [0, 45],
      [22 * 60, 165],
      [1440 + 22 * 60, 165],
      [2 * 1440 + 22 * 60, 30],
    ])
  })

  it('leaves no hole in the winter heating where a step falls across two minutes', () => {
    // January, 1500 W of heating and 150 W of base all day; a 2400 W water heater from 22:00 whose
    // end falls 20 s into a minute: that minute's average is 800 W above the rest, the next one
    // back at it. Counting the first as still on left a 1600 W hole there, read as the base load
    // (heating 1422-1600 W).
    const points = curve('2025-01-06', 4, (m) => {
      if (m >= 22 * 60 && m < 23 * 60 + 30) return 4050
      return m === 23 * 60 + 30 ? 1650 + 800 : 1650
    })
    const r = detectAppliances(points, { offPeak: parseSchedule('22:00-06:00') })
    expect(r.activations.filter((a) => a.kind === 'water-heater')).toHaveLength(4)
    // Flat: 1650 W above a base load taken as at most 200 W in a heating season.
    expect(Math.min(...r.heatingW)).toBeCloseTo(1450, 6)
    expect(Math.max(...r.heatingW)).toBeCloseTo(1450, 6)
  })

  it('counts a cycling hob over noisy winter heating at its on-minutes', () => {
    // January: 2000 W of heating ±10 % from minute to minute; dinner on a 2500 W hob cycling two
    // minutes on, one off, 19:30-20:15, a week. Heating noise beside a step is not part of it.
    let seed = 7
    const noise = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const hob = (m: number) => m >= 19 * 60 + 30 && m < 20 * 60 + 15 && m % 3 !== 2
    const points = curve(
      '2025-01-06',
      7,
      (m) => 150 + 2000 * (0.9 + 0.2 * noise()) + (hob(m) ? 2500 : 0),
    )
    const r = detectAppliances(points, { offPeak: parseSchedule('22:00-06:00') })
    const cooking = r.uses.find((u) => u.kind === 'cooking')
    expect(cooking?.activations).toBe(7)
    // 30 on-minutes a day (the span of 45 made it 13.1 kWh).
    expect(cooking?.energyWh).toBeGreaterThan(7 * 2500 * 0.5 * 0.97)
    expect(cooking?.energyWh).toBeLessThan(7 * 2500 * 0.5 * 1.03)
  })
})
