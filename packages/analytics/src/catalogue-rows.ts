import { PERIODS, PRICED_OPTIONS } from './options.js'
import type { PriceCatalogue } from './price-catalogue.js'

/** A catalogue price as a flat dated row (the store's `tariff_prices` table, spreadsheets). */
export interface CataloguePriceRow {
  readonly item: 'energy' | 'subscription'
  readonly option: string
  readonly period: string | null
  readonly supplierIndex: number | null
  /** null: every subscribed power. */
  readonly kva: number | null
  readonly validFrom: string
  /** Exclusive; null while still valid. */
  readonly validTo: string | null
  /** €/kWh (energy) or €/month (subscription), TTC. */
  readonly price: number
  readonly uncertain: string | null
}

/**
 * Flattens a catalogue into dated rows with the same meaning as {@link pricesOn}: a grid's prices
 * hold until the next grid (or its own `validTo`); a kVA-specific energy price comes with its `kva`.
 */
export function catalogueRows(catalogue: PriceCatalogue): CataloguePriceRow[] {
  const rows: CataloguePriceRow[] = []
  catalogue.grids.forEach((g, i) => {
    const next = catalogue.grids[i + 1]?.validFrom ?? null
    const validTo =
      g.validTo !== undefined && (next === null || g.validTo < next) ? g.validTo : next
    for (const option of PRICED_OPTIONS) {
      const p = g.options[option]
      if (p === undefined) continue
      const base = { option, validFrom: g.validFrom, validTo, uncertain: p.uncertain ?? null }
      const energy = (prices: Readonly<Record<string, number>>, kva: number | null): void => {
        for (const [period, price] of Object.entries(prices)) {
          rows.push({
            ...base,
            item: 'energy',
            period,
            supplierIndex: PERIODS[option].indexOf(period) + 1,
            kva,
            price,
          })
        }
      }
      energy(p.energy, null)
      for (const [kva, prices] of Object.entries(p.energyByKVA ?? {})) energy(prices, Number(kva))
      for (const [kva, price] of Object.entries(p.subscription))
        rows.push({
          ...base,
          item: 'subscription',
          period: null,
          supplierIndex: null,
          kva: Number(kva),
          price,
        })
    }
  })
  return rows
}
