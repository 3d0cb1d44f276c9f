import { describe, expect, it } from 'vitest'
import {
  mergeCatalogues,
  parseCatalogue,
  PriceCatalogueError,
  pricesOn,
  TRV_CATALOGUE,
} from './price-catalogue.js'

describe('price catalogue', () => {
  it('ships the TRV from 2023-08-01 to the 2026-02-01 grid, uncertain prices marked', () => {
    expect(TRV_CATALOGUE.grids.map((g) => g.validFrom)).toEqual([
      '2023-08-01',
      '2024-02-01',
      '2025-02-01',
      '2025-08-01',
      '2026-02-01',
    ])
    expect(TRV_CATALOGUE.sources.length).toBeGreaterThan(0)
    expect(pricesOn(TRV_CATALOGUE, '2026-03-01', 'tempo', 6)?.uncertain).toMatch(/estimate/)
    expect(pricesOn(TRV_CATALOGUE, '2026-03-01', 'base', 6)?.uncertain).toBeNull()
    expect(pricesOn(TRV_CATALOGUE, '2025-01-31', 'hc', 9)).toMatchObject({
      energy: { hp: 0.27, hc: 0.2068 },
      subscriptionEurPerMonth: 16.7,
      validFrom: '2024-02-01',
      subscriptionUncertain: null,
    })
    // EJP subscriptions are in none of the sources: every grid says so instead of a price.
    for (const day of ['2023-08-01', '2024-02-01', '2025-02-01', '2025-08-01', '2026-02-01']) {
      expect(pricesOn(TRV_CATALOGUE, day, 'ejp', 6)).toMatchObject({
        subscriptionEurPerMonth: null,
        subscriptionUncertain: expect.stringContaining('not shipped') as unknown,
      })
    }
    expect(pricesOn(TRV_CATALOGUE, '2023-07-31', 'base', 6)).toBeNull()
    expect(pricesOn(TRV_CATALOGUE, '2025-01-01', 'hc', 12)?.subscriptionEurPerMonth).toBeNull()
  })

  it('lists every mistake of a price file at once, with its path', () => {
    const bad = {
      grids: [
        {
          validFrom: '2026-13-01',
          options: { base: { energy: { base: '0,19' }, subscription: { '6': 15 } } },
        },
        {
          validFrom: '2026-03-01',
          options: { tempo: { energy: { 'bleu-hc': 0.1 }, subscription: {} }, heures: {} },
        },
      ],
    }
    let error: unknown
    try {
      parseCatalogue(bad, 'prices.yaml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PriceCatalogueError)
    expect((error as PriceCatalogueError).issues.map((i) => i.path)).toEqual([
      '$.grids[0].validFrom',
      '$.grids[0].options.base.energy.base',
      '$.grids[1].options.tempo.energy.bleu-hc',
      '$.grids[1].options.heures',
    ])
    expect((error as Error).message).toMatch(/^prices.yaml: 4 problem/)
  })

  it('extends the shipped prices: a user grid replaces only the options it names, from its date', () => {
    const user = parseCatalogue({
      name: 'offre',
      grids: [
        {
          validFrom: '2026-03-01',
          options: { base: { energy: { base: 0.18 }, subscription: { '6': 14 } } },
        },
      ],
    })
    const merged = mergeCatalogues(TRV_CATALOGUE, user)
    expect(pricesOn(merged, '2026-03-02', 'base', 6)).toMatchObject({
      energy: { base: 0.18 },
      subscriptionEurPerMonth: 14,
    })
    expect(pricesOn(merged, '2026-02-28', 'base', 6)?.energy.base).toBe(0.194)
    expect(pricesOn(merged, '2026-03-02', 'hc', 6)?.energy.hc).toBe(0.1579)
  })
})
