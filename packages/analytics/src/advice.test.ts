import type { SamplePoint, StoredEvent } from '@linkyrpi/tic-core/stage'
import { describe, expect, it } from 'vitest'
import { carbon } from './carbon.js'
import { contractOnDay, contractTimeline } from './contracts.js'
import { sumEnergy, toDayEnergy } from './day-energy.js'
import { HOUR_MS, parseLocalDate } from './paris-time.js'
import { phaseBalance } from './phase-balance.js'
import { powerAdvice } from './power-advice.js'
import { production } from './production.js'
import { standby } from './standby.js'
import { TRV_CATALOGUE } from './price-catalogue.js'
import { testBucket, testDay } from './testing/days.js'

const point = (t: number, va: number, byPhase: (number | null)[] | null = null): SamplePoint => ({
  t,
  avgVA: va,
  minVA: va,
  maxVA: va,
  avgVAByPhase: byPhase,
  avgInjectedVA: null,
})

describe('power advice', () => {
  it('recommends the lowest standard power above the highest power plus the margin, and its saving', () => {
    const day = parseLocalDate('2025-03-10') as number
    const daily = [3100, 4200, 2500, 3900].map((va, i) => point(day + i * 86_400_000, va))
    const events: StoredEvent[] = [{ t: day, meter: 'm', kind: 'overpower', detail: {} }]
    const a = powerAdvice({
      daily,
      hourly: [],
      events,
      kva: 9,
      option: 'base',
      phases: 1,
      catalogue: TRV_CATALOGUE,
      priceDay: '2025-03-13',
      margin: 0.1,
    })
    expect(a.maxVA).toBe(4200)
    expect(a.recommendedKVA).toBe(6) // 4200 × 1.1 = 4620 ≤ 6000
    expect(a.savingEurPerYear).toBeCloseTo((17.27 - 13.72) * 12, 10)
    expect(a.overpowerEvents).toBe(1)
    expect(a.daysAbove80Pct).toBe(0)
    expect(a.dailyMaxVA.p50).toBe(3500)
  })
})

describe('standby', () => {
  it('takes a low percentile of the 01:00-05:00 hourly minima, ignoring daytime and one odd night', () => {
    const start = parseLocalDate('2025-06-01') as number
    const hourly: SamplePoint[] = []
    for (let d = 0; d < 10; d++)
      for (let h = 0; h < 24; h++) {
        const night = h >= 1 && h < 5
        const va = night ? (d === 3 ? 20 : 120 + h) : 900
        hourly.push(point(start + d * 86_400_000 + h * HOUR_MS, va))
      }
    const s = standby(hourly, 0.2)
    expect(s.hours).toBe(40)
    expect(s.va).toBeGreaterThanOrEqual(20)
    expect(s.va).toBeLessThanOrEqual(121)
    expect(s.kwhPerYear).toBeCloseTo(((s.va ?? 0) * 8766) / 1000, 10)
    expect(s.eurPerYear).toBeCloseTo((s.kwhPerYear ?? 0) * 0.2, 10)
  })
})

describe('three-phase balance', () => {
  it('finds the phase with headroom and quantifies the imbalance', () => {
    const t = parseLocalDate('2025-06-01') as number
    const b = phaseBalance(
      [point(t, 0, [2000, 1200, 800]), point(t + HOUR_MS, 0, [2000, 1000, 500])],
      12,
    )
    expect(b?.energyShare.map((s) => Number(s.toFixed(4)))).toEqual([0.5333, 0.2933, 0.1733])
    expect(b?.headroomPhase).toBe(3)
    expect(b?.headroomVA).toEqual([2000, 2800, 3200])
    expect(b?.imbalance).toBeCloseTo(1.08, 10)
    expect(phaseBalance([point(t, 100)], 6)).toBeNull()
  })
})

describe('energy', () => {
  it('sums days per ISO week, month and year, and leaves out a day whose index went backwards', () => {
    const set = toDayEnergy([
      testBucket('2025-03-30', { 1: 1 }),
      testBucket('2025-03-31', { 1: 2 }),
      testBucket('2025-04-01', { 1: 4 }),
      { ...testBucket('2025-04-02', {}), importWh: -5 },
    ])
    expect(set.resetDays).toEqual(['2025-04-02'])
    expect(sumEnergy(set.days, 'week').map((w) => [w.key, w.importWh])).toEqual([
      ['2025-03-24', 1000],
      ['2025-03-31', 6000],
    ])
    expect(sumEnergy(set.days, 'month').map((w) => [w.key, w.importWh, w.days])).toEqual([
      ['2025-03', 3000, 2],
      ['2025-04', 4000, 1],
    ])
    expect(sumEnergy(set.days, 'year')).toEqual([
      { key: '2025', importWh: 7000, exportWh: 0, byIndexWh: { 1: 7000 }, days: 3 },
    ])
  })

  it('builds the contract history from contract-change events', () => {
    const t = Date.parse('2025-03-03T08:00:00Z')
    const spans = contractTimeline(
      [
        {
          t,
          meter: 'm',
          kind: 'contract-change',
          detail: {
            from: { option: 'base', optionLabel: 'BASE', subscribedVA: 6000 },
            to: { option: 'tempo', optionLabel: 'BBR(', subscribedVA: 9000 },
          },
        },
      ],
      { option: 'tempo', optionLabel: 'BBR(', subscribedVA: 9000 },
    )
    expect(contractOnDay(spans, parseLocalDate('2025-03-02') as number)?.option).toBe('base')
    expect(contractOnDay(spans, parseLocalDate('2025-03-03') as number)?.option).toBe('tempo')
  })

  it('reports production without self-consumption, and CO2 from the factor', () => {
    const p = production([testDay('2025-06-01', { 1: 5 }, 3)], true)
    expect(p?.exportWh).toBe(3000)
    expect(p?.selfConsumptionWh).toBeNull()
    expect(production([testDay('2025-06-01', { 1: 5 })], false)).toBeNull()
    expect(carbon(1_000_000).kg).toBeCloseTo(52, 10)
  })
})
