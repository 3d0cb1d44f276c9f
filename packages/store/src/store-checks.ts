import { MIGRATION_NAMES } from './migration-names.js'
import type { ReadEngine } from './read-engine.js'
import type { TariffPriceRow } from './tariff-prices.js'

/**
 * True when every embedded migration has been applied to the store (`kysely_migration` lists
 * them all), so that a reader may query it without opening the full store, which migrates. False
 * when the store is missing tables or migrations (a new or older store). Connection errors are
 * thrown.
 */
export async function storeIsCurrent(engine: ReadEngine): Promise<boolean> {
  let rows: unknown[][]
  try {
    rows = await engine.selectRows('select name from kysely_migration', [])
  } catch (error) {
    if (missingTable(error)) return false
    throw error
  }
  const applied = new Set(rows.map((r) => String(r[0])))
  return MIGRATION_NAMES.every((name) => applied.has(name))
}

/** An error saying a table does not exist (SQLite `no such table`, PostgreSQL 42P01). */
function missingTable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown }
  return e.code === '42P01' || (typeof e.message === 'string' && /no such table/i.test(e.message))
}

const keyOf = (r: readonly unknown[]): string => JSON.stringify(r)

/**
 * True when the `tariff_prices` rows of `source` are exactly `rows` (in any order), so that
 * `replaceTariffPrices` would change nothing: `linkyrpi report` then skips that write, and the
 * Kysely it needs. False when they differ or the table is missing.
 */
export async function tariffPricesMatch(
  engine: ReadEngine,
  source: string,
  rows: readonly TariffPriceRow[],
): Promise<boolean> {
  let stored: unknown[][]
  try {
    stored = await engine.selectRows(
      'select item, option, period, supplier_index, kva, valid_from, valid_to, price, uncertain from tariff_prices where source = ?',
      [source],
    )
  } catch (error) {
    if (missingTable(error)) return false
    throw error
  }
  if (stored.length !== rows.length) return false
  const num = (v: unknown): number | null => (v === null ? null : Number(v))
  const have = stored
    .map((r) => keyOf([r[0], r[1], r[2], num(r[3]), num(r[4]), r[5], r[6], num(r[7]), r[8]]))
    .sort()
  const want = rows
    .map((r) =>
      keyOf([
        r.item,
        r.option,
        r.period,
        r.supplierIndex,
        r.kva,
        r.validFrom,
        r.validTo,
        r.price,
        r.uncertain,
      ]),
    )
    .sort()
  return have.every((k, i) => k === want[i])
}
