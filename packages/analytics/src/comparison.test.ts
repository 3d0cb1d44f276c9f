import type { SamplePoint } from '@linkyrpi/tic-core/stage'
import { describe, expect, it } from 'vitest'
import { compareOptions } from './comparison.js'
import type { ComparisonInput } from './comparison.js'
import { subscriptionPerDay } from './cost.js'
import { DEFAULT_CALENDAR, tempoOdds } from './day-colours.js'
import { dayProfiles, parseSchedule } from './day-profile.js'
import {
  addLocalDays,
  localDayKey,
  localDaysBetween,
  parseLocalDate,
  HOUR_MS,
} from './paris-time.js'
import { TRV_CATALOGUE } from './price-catalogue.js'
import { onlyContract, testDay } from './testing/days.js'

/** Hourly points of one local day: `va` during the given local hours, 0 otherwise. */
function hoursOf(day: string, on: (h: number) => boolean, va: number): SamplePoint[] {
  const start = parseLocalDate(day) as number
  return Array.from({ length: 24 }, (_, h) => {
    const v = on(h) ? va : 0
    return {
      t: start + h * HOUR_MS,
      avgVA: v,
      minVA: v,
      maxVA: v,
      avgVAByPhase: null,
      avgInjectedVA: null,
    }
  })
}

const input = (over: Partial<ComparisonInput>): ComparisonInput => ({
  days: [],
  contracts: onlyContract('base', 6),
  catalogue: TRV_CATALOGUE,
  profiles: new Map(),
  offPeak: parseSchedule('22:00-06:00'),
  calendar: DEFAULT_CALENDAR,
  kva: 6,
  currentOption: 'base',
  ...over,
})

describe('compareOptions', () => {
  it('ranks options as a hand computation does: night-only consumption in June', () => {
    // 10 kWh, all between 01:00 and 05:00; June has no white or red day; 2025-02-01 grid.
    const rows = compareOptions(
      input({
        days: [testDay('2025-06-10', { 1: 10 })],
        profiles: dayProfiles(hoursOf('2025-06-10', (h) => h >= 1 && h < 5, 2500)),
      }),
    )
    const by = Object.fromEntries(rows.map((r) => [r.option, r]))
    expect(by.base?.totalEur).toBeCloseTo(10 * 0.2016 + subscriptionPerDay(13.72), 10)
    expect(by.hc?.totalEur).toBeCloseTo(10 * 0.1696 + subscriptionPerDay(14.04), 10)
    expect(by.tempo?.totalEur).toBeCloseTo(10 * 0.1288 + subscriptionPerDay(13.97), 10)
    expect(by.ejp?.totalEur).toBeNull()
    expect(by.ejp?.missing).toMatch(
      /^no ejp subscription price for 6 kVA on 2025-06-10: EJP subscription prices are in none of our sources/u,
    )
    expect(rows.map((r) => [r.option, r.rank, r.current, r.basis])).toEqual([
      ['base', 3, true, 'measured'],
      ['hc', 2, false, 'modelled'],
      ['tempo', 1, false, 'modelled'],
      ['ejp', null, false, 'modelled'],
    ])
    expect(by.base?.annualEur).toBeCloseTo((by.base?.totalEur ?? 0) * 365, 10)
  })

  it('daytime consumption on a winter weekday makes Base cheaper than Tempo (expected red/white share)', () => {
    const day = '2025-01-15'
    const rows = compareOptions(
      input({
        days: [testDay(day, { 1: 30 })],
        profiles: dayProfiles(hoursOf(day, (h) => h >= 8 && h < 20, 2500)),
      }),
    )
    const odds = tempoOdds(day, DEFAULT_CALENDAR)
    const tempoEnergy = 30 * (odds.blue * 0.1609 + odds.white * 0.1894 + odds.red * 0.7562)
    const by = Object.fromEntries(rows.map((r) => [r.option, r]))
    expect(by.tempo?.energyEur).toBeCloseTo(tempoEnergy, 10)
    expect(by.hc?.energyEur).toBeCloseTo(30 * 0.27, 10)
    expect(by.base?.rank).toBe(1)
    expect(by.tempo?.rank).toBe(3)
  })

  it('uses the meter indexes for the option it is on, and the off-peak schedule elsewhere', () => {
    const day = '2025-06-10'
    const days = [testDay(day, { 1: 4, 2: 6 })]
    const rows = compareOptions(
      input({
        days,
        contracts: onlyContract('hc', 6),
        currentOption: 'hc',
        profiles: dayProfiles(hoursOf(day, () => true, 1000)),
        offPeak: parseSchedule('01:00-07:00,13:00-15:00'),
      }),
    )
    const hc = rows.find((r) => r.option === 'hc')
    expect(hc?.energyEur).toBeCloseTo(4 * 0.1696 + 6 * 0.2146, 10)
    expect(hc?.basis).toBe('measured')
  })
})

describe('the statistical Tempo calendar', () => {
  it('expects exactly 22 red and 43 white days per Tempo year, none on Sunday', () => {
    const start = parseLocalDate('2025-09-01') as number
    const days = localDaysBetween(start, parseLocalDate('2026-09-01') as number).map(localDayKey)
    let red = 0
    let white = 0
    for (const d of days) {
      const o = tempoOdds(d, DEFAULT_CALENDAR)
      red += o.red
      white += o.white
      expect(o.red + o.white + o.blue).toBeCloseTo(1, 12)
    }
    expect(red).toBeCloseTo(22, 9)
    expect(white).toBeCloseTo(43, 9)
    expect(tempoOdds('2026-01-11', DEFAULT_CALENDAR)).toEqual({ blue: 1, white: 0, red: 0 }) // a Sunday
    expect(
      tempoOdds(localDayKey(addLocalDays(start, 1)), {
        ...DEFAULT_CALENDAR,
        tempoDays: { '2025-09-02': 'white' },
      }).white,
    ).toBe(1)
  })
})
