import { describe, expect, it } from 'vitest'
import { costOf, subscriptionPerDay } from './cost.js'
import type { ContractSpan } from './contracts.js'
import { parseLocalDate } from './paris-time.js'
import { parseCatalogue, TRV_CATALOGUE, mergeCatalogues } from './price-catalogue.js'
import { onlyContract, testDay } from './testing/days.js'

// Every expected figure below is computed by hand from docs/tariffs.md (TTC).
describe('costOf', () => {
  it('Base: splits a range that straddles a price change (2024-02-01)', () => {
    const days = [testDay('2024-01-31', { 1: 10 }), testDay('2024-02-01', { 1: 10 })]
    const cost = costOf(days, onlyContract('base', 6), TRV_CATALOGUE)
    // 10 kWh × 0.2276 + 10 kWh × 0.2516; subscription 12.44 then 12.60 €/month × 12 / 365
    expect(cost.lines.map((l) => [l.from, l.to, l.label, l.wh, l.eurPerKWh])).toEqual([
      ['2024-01-31', '2024-02-01', 'Base', 10_000, 0.2276],
      ['2024-02-01', '2024-02-02', 'Base', 10_000, 0.2516],
    ])
    expect(cost.energyEur).toBeCloseTo(4.792, 10)
    expect(cost.subscriptionEur).toBeCloseTo((12.44 * 12 + 12.6 * 12) / 365, 10)
    expect(cost.totalEur).toBeCloseTo(4.792 + 300.48 / 365, 10)
    expect(cost.subscriptionLines.map((s) => [s.from, s.days, s.eurPerMonth])).toEqual([
      ['2024-01-31', 1, 12.44],
      ['2024-02-01', 1, 12.6],
    ])
    expect(cost.unpriced).toEqual([])
  })

  it('HP/HC: a 23-hour DST day is one day of subscription and its energy at its prices', () => {
    const days = [testDay('2025-03-30', { 1: 8, 2: 12 })]
    const cost = costOf(days, onlyContract('hc', 6), TRV_CATALOGUE)
    expect(cost.lines.map((l) => [l.label, l.eurPerKWh])).toEqual([
      ['Heures creuses', 0.1696],
      ['Heures pleines', 0.2146],
    ])
    expect(cost.energyEur).toBeCloseTo(8 * 0.1696 + 12 * 0.2146, 10) // 3.932
    expect(cost.totalEur).toBeCloseTo(3.932 + (14.04 * 12) / 365, 10)
  })

  it('Tempo: a missing day still pays its subscription; its energy is on the next day', () => {
    const days = [testDay('2025-01-06', { 1: 5, 2: 10 }), testDay('2025-01-08', { 5: 6, 6: 20 })]
    const cost = costOf(days, onlyContract('tempo', 6), TRV_CATALOGUE)
    expect(cost.lines.map((l) => [l.from, l.label, l.eurPerKWh])).toEqual([
      ['2025-01-06', 'Tempo bleu HC', 0.1296],
      ['2025-01-06', 'Tempo bleu HP', 0.1609],
      ['2025-01-08', 'Tempo rouge HC', 0.1568],
      ['2025-01-08', 'Tempo rouge HP', 0.7562],
    ])
    expect(cost.energyEur).toBeCloseTo(2.257 + 16.0648, 10)
    expect(cost.subscriptionLines).toHaveLength(1)
    expect(cost.subscriptionLines[0]?.days).toBe(3)
    expect(cost.totalEur).toBeCloseTo(2.257 + 16.0648 + 3 * subscriptionPerDay(12.96), 10)
  })

  it('EJP: without a subscription price the total is null and the gap is stated, never 0 €', () => {
    const cost = costOf(
      [testDay('2023-12-01', { 1: 10, 2: 2 })],
      onlyContract('ejp', 6),
      TRV_CATALOGUE,
    )
    expect(cost.energyEur).toBeCloseTo(10 * 0.1518 + 2 * 1.4958, 10)
    expect(cost.subscriptionEur).toBeNull()
    expect(cost.totalEur).toBeNull()
    expect(cost.unpriced).toEqual([
      {
        from: '2023-12-01',
        to: '2023-12-02',
        what: 'subscription',
        reason: expect.stringMatching(
          /^no ejp subscription price for 6 kVA on 2023-12-01: EJP subscription prices are in none of our sources .*never at 0/u,
        ) as unknown,
      },
    ])
  })

  it('prices a contract change mid-range with each day its own contract', () => {
    const change = (parseLocalDate('2025-03-03') as number) + 9 * 3_600_000 // 09:00 local, before noon
    const contracts: ContractSpan[] = [
      { from: -Infinity, option: 'base', optionLabel: 'BASE', subscribedVA: 6000 },
      { from: change, option: 'hc', optionLabel: 'HC..', subscribedVA: 9000 },
    ]
    const days = [testDay('2025-03-02', { 1: 10 }), testDay('2025-03-03', { 1: 4, 2: 6 })]
    const cost = costOf(days, contracts, TRV_CATALOGUE)
    expect(cost.lines.map((l) => [l.from, l.option, l.label])).toEqual([
      ['2025-03-02', 'base', 'Base'],
      ['2025-03-03', 'hc', 'Heures creuses'],
      ['2025-03-03', 'hc', 'Heures pleines'],
    ])
    expect(cost.totalEur).toBeCloseTo(
      10 * 0.2016 + 4 * 0.1696 + 6 * 0.2146 + subscriptionPerDay(13.72) + subscriptionPerDay(18.01),
      10,
    )
  })

  it('reports days before the first grid, and a gap in a user catalogue, as unpriced', () => {
    const early = costOf([testDay('2023-07-31', { 1: 10 })], onlyContract('base', 6), TRV_CATALOGUE)
    expect(early.totalEur).toBeNull()
    expect(early.energyEur).toBeNull()
    expect(early.unpriced[0]).toMatchObject({
      what: 'energy',
      wh: 10_000,
      reason: 'no base price on 2023-07-31',
    })
    const user = parseCatalogue({
      grids: [
        {
          validFrom: '2026-01-01',
          validTo: '2026-01-10',
          options: { base: { energy: { base: 0.2 }, subscription: { '6': 10 } } },
        },
      ],
    })
    const only = mergeCatalogues(TRV_CATALOGUE, user, 'replace')
    const c = costOf(
      [testDay('2026-01-09', { 1: 1 }), testDay('2026-01-10', { 1: 1 })],
      onlyContract('base', 6),
      only,
    )
    expect(c.totalEur).toBeNull()
    expect(c.pricedEur).toBeCloseTo(0.2 + subscriptionPerDay(10), 10)
    expect(c.unpriced.map((u) => [u.what, u.from])).toEqual([
      ['energy', '2026-01-10'],
      ['subscription', '2026-01-10'],
    ])
  })

  it('uses the kVA-specific 2026 Base price', () => {
    const c = costOf([testDay('2026-02-10', { 1: 10 })], onlyContract('base', 9), TRV_CATALOGUE)
    expect(c.lines[0]?.eurPerKWh).toBe(0.1927)
    expect(
      costOf([testDay('2026-02-10', { 1: 10 })], onlyContract('base', 6), TRV_CATALOGUE).lines[0]
        ?.eurPerKWh,
    ).toBe(0.194)
  })
})
