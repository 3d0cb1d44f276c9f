// PostgreSQL's hot-minute tables (power_hot_rows, energy_hot_rows: the 1-minute rollups waiting for
// their hourly fold) must stay small whatever a writer is given:
// - ingest vacuums them itself (IngestOptions.hotVacuumRows): every minute a fold moves out is a
//   deleted row, and a server whose autovacuum is off (this machine's) or lags a fast import keeps
//   them all, walked by every later fold;
// - an import of a meter whose history is older than what the writer folded already (a second
//   meter imported after a first) is folded as it goes, not left hot until newer data comes.
import pg from 'pg'
import { afterEach, expect, it, vi } from 'vitest'
import { openPostgresStore } from '@linkyrpi/sink-postgres'
import type { Store, StoreRecord } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, PG_URL, tcpReachable } from '../support/services.js'
import { postgresTarget } from './store-helpers.js'
import type { TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const METER = '021861348591'

/** Two days of a meter at a frame every 10 s, as an import gives them. */
function frames(meter = METER): StoreRecord[] {
  return syntheticFrameArray({
    start: Date.UTC(2026, 2, 10),
    count: 17_280,
    intervalMs: 10_000,
  }).map((f) => ({
    receivedAt: f.meta.receivedAt,
    reading: { ...f.reading, meter: { ...f.reading.meter, id: meter } },
  }))
}

/** Rows of a meter in a hot table of the schema. */
async function hotRows(schema: string, table: string, meter: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from ${schema}.${table} where m = (select num from ${schema}.meter_nums where id = $1)`,
      [meter],
    )
    return Number(rows[0]!.n)
  } finally {
    await client.end()
  }
}

/** The answers a dashboard reads for a meter over [from, to). */
async function answers(store: Store, meter: string, from: number, to: number): Promise<unknown[]> {
  const out: unknown[] = []
  for (const resolution of ['1m', '1h', '1d'] as const)
    out.push(await store.history.samples(meter, from, to, resolution))
  out.push(await store.history.energy(meter, from, to, 'day'))
  return out
}

/** Manual vacuums of a hot table of the schema, as the server's statistics count them. */
async function vacuums(schema: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string }>(
      'select vacuum_count as n from pg_stat_user_tables where schemaname = $1 and relname = $2',
      [schema, table],
    )
    return Number(rows[0]?.n ?? 0)
  } finally {
    await client.end()
  }
}

/** Writes `records` in batches of 2,000, as `linkyrpi replay --store` does. */
async function importAll(store: Store, records: readonly StoreRecord[]): Promise<number> {
  let stored = 0
  for (let i = 0; i < records.length; i += 2000)
    stored += (await store.ingest.write(records.slice(i, i + 2000))).stored
  return stored
}

describeWithService('postgres', pgUp, 'PostgreSQL hot-table vacuum', () => {
  const targets: TestTarget[] = []
  const stores: Store[] = []
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close()
    for (const t of targets.splice(0)) await t.dispose()
  })

  async function open(hotVacuumRows = 50_000): Promise<{ store: Store; schema: string }> {
    const t = postgresTarget()
    targets.push(t)
    const store = await openPostgresStore(t.text, { hotVacuumRows })
    stores.push(store)
    return { store, schema: (t.target as { schema: string }).schema }
  }

  it('vacuums the hot tables once enough rows went through them, and answers the same', async () => {
    const records = frames()
    const vacuumed = await open(1000)
    const never = await open(Infinity)
    expect(await importAll(vacuumed.store, records)).toBe(records.length)
    expect(await importAll(never.store, records)).toBe(records.length)
    // The vacuum runs beside the batches: wait for the server to count it.
    await vi.waitFor(
      async () => {
        expect(await vacuums(vacuumed.schema, 'power_hot_rows')).toBeGreaterThan(0)
        expect(await vacuums(vacuumed.schema, 'energy_hot_rows')).toBeGreaterThan(0)
      },
      { timeout: 10_000, interval: 100 },
    )
    expect(await vacuums(never.schema, 'power_hot_rows')).toBe(0)
    expect(await vacuums(never.schema, 'energy_hot_rows')).toBe(0)
    // Same answers either way: the power curve at every rollup resolution, the energy per day.
    const from = records[0]!.receivedAt
    const to = records.at(-1)!.receivedAt + 1
    const a = await answers(vacuumed.store, METER, from, to)
    expect((a[0] as unknown[]).length).toBe(2880)
    expect((a[3] as unknown[]).length).toBeGreaterThan(0)
    expect(a).toEqual(await answers(never.store, METER, from, to))
  })

  it('folds a second meter imported over the span of the first as it goes', async () => {
    const OTHER = '021861348592'
    const first = frames()
    const second = frames(OTHER)
    const both = await open()
    await importAll(both.store, first)
    await importAll(both.store, second)
    // The writer folded the first meter up to an hour before its latest minute (its last hours
    // stay hot). The second meter's minutes are older than that: they are folded once 1,000 of
    // them are waiting (LATE_FOLD_ROWS in ingest.ts), not left hot (2 days: 2,880 rows).
    const hotFirst = await hotRows(both.schema, 'power_hot_rows', METER)
    expect(hotFirst).toBeLessThanOrEqual(120)
    expect(await hotRows(both.schema, 'power_hot_rows', OTHER)).toBeLessThan(1000 + hotFirst)
    expect(await hotRows(both.schema, 'energy_hot_rows', OTHER)).toBeLessThan(3 * (1000 + hotFirst))
    // Answers as a store that imported the second meter alone.
    const alone = await open()
    await importAll(alone.store, second)
    const from = second[0]!.receivedAt
    const to = second.at(-1)!.receivedAt + 1
    expect(await answers(both.store, OTHER, from, to)).toEqual(
      await answers(alone.store, OTHER, from, to),
    )
  })
})
