// PostgreSQL: ingest vacuums the hot-minute tables itself (IngestOptions.hotVacuumRows). Every
// minute a fold moves out of power_hot_rows/energy_hot_rows is a deleted row, and a server whose
// autovacuum is off (this machine's) or lags a fast import keeps them all: every later fold walks
// them. The vacuum must run, must not change any answer, and must not run when disabled.
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

/** Two days of one meter at a frame every 10 s, as an import gives them. */
function frames(): StoreRecord[] {
  return syntheticFrameArray({
    start: Date.UTC(2026, 2, 10),
    count: 17_280,
    intervalMs: 10_000,
  }).map((f) => ({ receivedAt: f.meta.receivedAt, reading: f.reading }))
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

  async function open(hotVacuumRows: number): Promise<{ store: Store; schema: string }> {
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
    for (const resolution of ['1m', '1h', '1d'] as const) {
      const a = await vacuumed.store.history.samples(METER, from, to, resolution)
      expect(a.length).toBeGreaterThan(0)
      expect(a).toEqual(await never.store.history.samples(METER, from, to, resolution))
    }
    const energy = await vacuumed.store.history.energy(METER, from, to, 'day')
    expect(energy.length).toBeGreaterThan(0)
    expect(energy).toEqual(await never.store.history.energy(METER, from, to, 'day'))
  })
})
