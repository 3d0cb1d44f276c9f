import type { Kysely } from 'kysely'

/** One row of the `tariff_prices` table (docs/storage.md): a dated price. */
export interface TariffPriceRow {
  /** `energy` (€/kWh) or `subscription` (€/month). */
  readonly item: 'energy' | 'subscription'
  readonly option: string
  /** The option's price period (`hc`, `blue-hp`…), null for a subscription. */
  readonly period: string | null
  /** Supplier index 1-10 the period counts on, null for a subscription. */
  readonly supplierIndex: number | null
  /** Subscribed power in kVA the price is for; null = every power. */
  readonly kva: number | null
  /** First local day `YYYY-MM-DD`, and the day after the last (null: still valid). */
  readonly validFrom: string
  readonly validTo: string | null
  readonly price: number
  readonly uncertain: string | null
}

interface TariffPricesDatabase {
  tariff_prices: {
    source: string
    option: string
    item: string
    period: string | null
    supplier_index: number | null
    kva: number | null
    valid_from: string
    valid_to: string | null
    price: number
    uncertain: string | null
  }
}

/**
 * Replaces every `tariff_prices` row of `source` (`shipped` for the built-in catalogue, `user`
 * for the configuration's) by `rows`, in one transaction; the `daily_cost` and `monthly_cost`
 * views read them. Returns the number of rows written.
 */
export async function replaceTariffPrices(
  db: Kysely<never>,
  source: string,
  rows: readonly TariffPriceRow[],
): Promise<number> {
  const k = db as unknown as Kysely<TariffPricesDatabase>
  await k.transaction().execute(async (tx) => {
    await tx.deleteFrom('tariff_prices').where('source', '=', source).execute()
    if (rows.length === 0) return
    await tx
      .insertInto('tariff_prices')
      .values(
        rows.map((r) => ({
          source,
          option: r.option,
          item: r.item,
          period: r.period,
          supplier_index: r.supplierIndex,
          kva: r.kva,
          valid_from: r.validFrom,
          valid_to: r.validTo,
          price: r.price,
          uncertain: r.uncertain,
        })),
      )
      .execute()
  })
  return rows.length
}
