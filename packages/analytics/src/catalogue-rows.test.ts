import { describe, expect, it } from 'vitest'
import { catalogueRows } from './catalogue-rows.js'
import { TRV_CATALOGUE } from './price-catalogue.js'

describe('catalogueRows', () => {
  it('flattens grids into dated rows that end where the next grid starts', () => {
    const rows = catalogueRows(TRV_CATALOGUE)
    expect(
      rows.find(
        (r) => r.option === 'tempo' && r.period === 'red-hp' && r.validFrom === '2024-02-01',
      ),
    ).toEqual({
      item: 'energy',
      option: 'tempo',
      period: 'red-hp',
      supplierIndex: 6,
      kva: null,
      validFrom: '2024-02-01',
      validTo: '2025-02-01',
      price: 0.7562,
      uncertain: null,
    })
    expect(
      rows
        .filter((r) => r.option === 'base' && r.item === 'energy' && r.validFrom === '2026-02-01')
        .map((r) => [r.kva, r.price, r.validTo]),
    ).toEqual([
      [null, 0.194, null],
      [9, 0.1927, null],
      [12, 0.1927, null],
      [15, 0.1927, null],
    ])
    expect(
      rows.find(
        (r) =>
          r.item === 'subscription' &&
          r.option === 'hc' &&
          r.kva === 9 &&
          r.validFrom === '2023-08-01',
      )?.price,
    ).toBe(16.55)
    expect(rows.some((r) => r.option === 'ejp' && r.item === 'subscription')).toBe(false)
  })
})
