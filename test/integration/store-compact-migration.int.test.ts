// The compact storage migration, both ways, on both engines: a store with data in the previous
// tables (written, then migrated down) and after the migration up answers every documented view,
// every former table and the history API with the same rows.
import { Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import {
  migrateToLatest,
  migrationProvider,
  replaceTariffPrices,
  type Store,
} from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const DAY = 86_400_000
const START = Date.UTC(2026, 2, 27, 23, 0, 0)
const PREVIOUS = '2026_12_04_000100_monthly_cost'
const std = syntheticFrameArray({ start: START, count: 2000, intervalMs: 60_000 })
const hist = syntheticFrameArray({
  start: START,
  count: 500,
  intervalMs: 150_000,
  mode: 'historique',
})
const records = [...std, ...hist].map((f) => ({
  reading: f.reading,
  receivedAt: f.meta.receivedAt + 37,
}))
const METERS = [std[0]!.reading.meter.id!, hist[0]!.reading.meter.id!]

/** What users and the dashboard read: the former tables, the views, the history API. */
async function snapshot(store: Store, history = true): Promise<Record<string, unknown>> {
  const db = store.engine.db
  const q = async (text: string): Promise<unknown[]> => (await sql.raw(text).execute(db)).rows
  const out: Record<string, unknown> = {
    samples: await q('select * from samples order by meter, t'),
    registers: await q('select * from registers order by meter, register, t'),
    power_rollups: await q('select * from power_rollups order by meter, res, bucket'),
    energy_rollups: await q('select * from energy_rollups order by meter, res, register, bucket'),
    daily_energy: await q('select * from daily_energy order by meter, register, day_start'),
    daily_energy_by_period: await q(
      'select * from daily_energy_by_period order by meter, supplier_index, day_start',
    ),
    latest_reading: await q('select * from latest_reading order by meter'),
    power_curve: await q('select * from power_curve order by meter, t'),
    hourly_power: await q('select * from hourly_power order by meter, bucket'),
    monthly_cost: await q('select * from monthly_cost order by meter, month'),
  }
  // The history API of this version reads the compact tables only.
  for (const m of history ? METERS : []) {
    out[`raw ${m}`] = await store.history.samples(m, START, START + DAY, 'raw')
    out[`1h ${m}`] = await store.history.samples(m, START, START + 2 * DAY, '1h')
    out[`energy ${m}`] = await store.history.energy(m, START, START + 2 * DAY, 'day')
  }
  return out
}

function compactMigration(makeTarget: () => TestTarget): void {
  it('migrates a store with data down to the previous tables and up again, every query answering the same', async () => {
    const target = makeTarget()
    const store = await openStore(target.target)
    try {
      await replaceTariffPrices(store.engine.db as never, 'shipped', [
        {
          option: 'hc',
          item: 'energy',
          period: 'hp',
          supplierIndex: 2,
          kva: null,
          validFrom: '2026-01-01',
          validTo: null,
          price: 0.2,
          uncertain: null,
        },
      ])
      for (let i = 0; i < records.length; i += 700)
        await store.ingest.write(records.slice(i, i + 700))
      const compact = await snapshot(store)
      expect((compact.samples as unknown[]).length).toBe(records.length)
      expect((compact.registers as unknown[]).length).toBeGreaterThan(0)
      const schema = store.engine.schema
      const migrator = new Migrator({
        db: store.engine.db,
        provider: migrationProvider,
        ...(schema === null ? {} : { migrationTableSchema: schema }),
      })
      const down = await migrator.migrateTo(PREVIOUS)
      expect(down.error).toBeUndefined()
      expect(down.results?.map((r) => [r.migrationName, r.direction])).toEqual([
        ['2026_12_05_000300_between_functions', 'Down'],
        ['2026_12_05_000200_sample_blocks', 'Down'],
        ['2026_12_05_000100_latest_reading_at', 'Down'],
        ['2026_12_04_000700_hot_minute_tables', 'Down'],
        ['2026_12_04_000600_derived_rollups', 'Down'],
        ['2026_12_04_000500_hot_minutes', 'Down'],
        ['2026_12_04_000400_register_brin', 'Down'],
        ['2026_12_04_000300_packed_minutes', 'Down'],
        ['2026_12_04_000200_compact_storage', 'Down'],
      ])
      const tables =
        store.engine.kind === 'sqlite'
          ? "select name from sqlite_master where type = 'table' and name = 'samples'"
          : "select table_name from information_schema.tables where table_schema = current_schema() and table_name = 'samples' and table_type = 'BASE TABLE'"
      expect((await sql.raw(tables).execute(store.engine.db)).rows).toHaveLength(1)
      const sqlOnly = Object.fromEntries(Object.entries(compact).filter(([k]) => !k.includes(' ')))
      expect(await snapshot(store, false)).toEqual(sqlOnly)
      expect((await migrateToLatest(store.engine.db, { schema })).applied).toEqual([
        '2026_12_04_000200_compact_storage',
        '2026_12_04_000300_packed_minutes',
        '2026_12_04_000400_register_brin',
        '2026_12_04_000500_hot_minutes',
        '2026_12_04_000600_derived_rollups',
        '2026_12_04_000700_hot_minute_tables',
        '2026_12_05_000100_latest_reading_at',
        '2026_12_05_000200_sample_blocks',
        '2026_12_05_000300_between_functions',
      ])
      expect(await snapshot(store)).toEqual(compact)
      // The migrated store goes on: a replay adds nothing, new frames are stored.
      const again = await store.ingest.write(records.slice(0, 100))
      expect(again).toMatchObject({ stored: 0, duplicates: 100 })
    } finally {
      await store.close()
      await target.dispose()
    }
  })
}

describe('store compact storage migration: sqlite', () => compactMigration(sqliteTarget))
describeWithService('postgresql', pgUp, 'store compact storage migration: postgres', () =>
  compactMigration(() => postgresTarget()),
)
