import { describe, expect, it } from 'vitest'
import { energyPriceAt } from './energy-price.js'
import { pricesOn, TRV_CATALOGUE } from './price-catalogue.js'

describe('energyPriceAt', () => {
  const t = Date.UTC(2026, 0, 12, 12) // 12 January 2026, noon in Paris
  it('prices the index counting (HP/HC: index 1 HC, index 2 HP) from the catalogue of that day', () => {
    const grid = pricesOn(TRV_CATALOGUE, '2026-01-12', 'hc', 6)!
    expect(energyPriceAt(TRV_CATALOGUE, t, 'hc', 1, 6000)).toBe(grid.energy.hc)
    expect(energyPriceAt(TRV_CATALOGUE, t, 'hc', 2, 6000)).toBe(grid.energy.hp)
    expect(grid.energy.hp!).toBeGreaterThan(grid.energy.hc!)
  })
  it('is null for an unpriced option, a missing index or an index outside the option', () => {
    expect(energyPriceAt(TRV_CATALOGUE, t, null, 1, 6000)).toBeNull()
    expect(energyPriceAt(TRV_CATALOGUE, t, 'hc', null, 6000)).toBeNull()
    expect(energyPriceAt(TRV_CATALOGUE, t, 'hc', 9, 6000)).toBeNull()
  })
})
