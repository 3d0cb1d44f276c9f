// Packed minutes (PostgreSQL): the 1-minute rollups of an hour in one row of arrays, the hot
// minutes in tables of their own until folded, and register_rows without its unique index. The migrations both ways on a store with data, every query answering the same; and the rollups written in
// batches that split hours, with a redelivery and older frames, equal SQLite's one row per minute.
import { Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import {
  bucketOf,
  migrateToLatest,
  migrationProvider,
  parisDaySql,
  type Store,
} from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const HOUR = 3_600_000
const START = Date.UTC(2026, 2, 28, 22, 50, 0)
const PREVIOUS = '2026_12_04_000200_compact_storage'
const std = syntheticFrameArray({ start: START, count: 4000, intervalMs: 2_000 })
const hist = syntheticFrameArray({
  start: START,
  count: 900,
  intervalMs: 9_000,
  mode: 'historique',
})
const records = [...std, ...hist].map((f) => ({
  reading: f.reading,
  receivedAt: f.meta.receivedAt + 11,
}))
const METERS = [std[0]!.reading.meter.id!, hist[0]!.reading.meter.id!]

/** The rollup views, the views reading them and the history API at every resolution. */
async function snapshot(store: Store, history = true): Promise<Record<string, unknown>> {
  const q = async (text: string): Promise<unknown[]> =>
    (await sql.raw(text).execute(store.engine.db)).rows
  const out: Record<string, unknown> = {
    power_rollups: await q('select * from power_rollups order by meter, res, bucket'),
    energy_rollups: await q('select * from energy_rollups order by meter, res, register, bucket'),
    daily_energy: await q('select * from daily_energy order by meter, register, day_start'),
    hourly_power: await q('select * from hourly_power order by meter, bucket'),
  }
  for (const m of history ? METERS : []) {
    for (const res of ['1m', '1h', '1d'] as const)
      out[`${res} ${m}`] = await store.history.samples(m, START + 90_000, START + 3 * HOUR, res)
    out[`energy ${m}`] = await store.history.energy(m, START - HOUR, START + 24 * HOUR, 'day')
  }
  return out
}

/** Writes the records in batches of `size`, then a redelivery and frames older than the rest. */
async function writeAll(store: Store, size: number): Promise<void> {
  const late = records.filter((_, i) => i % 7 === 3)
  const first = records.filter((_, i) => i % 7 !== 3)
  for (let i = 0; i < first.length; i += size) await store.ingest.write(first.slice(i, i + size))
  await store.ingest.write(first.slice(100, 900))
  for (let i = 0; i < late.length; i += size) await store.ingest.write(late.slice(i, i + size))
}

describeWithService('postgresql', pgUp, 'store packed minutes: postgres', () => {
  it('derives the local day of a minute in SQL as bucketOf does, across both DST changes', async () => {
    const target = postgresTarget()
    const store = await openStore(target.target)
    try {
      // Every 20 minutes over the days around the spring and autumn changes of 2026, and midnights.
      const instants: number[] = []
      for (const day of [Date.UTC(2026, 2, 27), Date.UTC(2026, 9, 24), Date.UTC(2026, 11, 31)])
        for (let t = day; t < day + 4 * 24 * HOUR; t += 20 * 60_000) instants.push(t)
      const rows = (
        await sql
          .raw(
            `select t, ${parisDaySql('t')} as day from unnest(array[${instants.join(', ')}]::bigint[]) as u(t) order by t`,
          )
          .execute(store.engine.db)
      ).rows as { t: number | string; day: number | string }[]
      expect(rows.map((r) => Number(r.day))).toEqual(instants.map((t) => bucketOf('1d', t)))
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('upgrading a store whose hot minutes are already in their hours and days (the previous ingest) counts them once', async () => {
    const target = postgresTarget()
    const store = await openStore(target.target)
    try {
      await writeAll(store, 777)
      const migrator = new Migrator({
        db: store.engine.db,
        provider: migrationProvider,
        migrationTableSchema: store.engine.schema!,
      })
      expect((await migrator.migrateTo('2026_12_04_000500_hot_minutes')).error).toBeUndefined()
      const run = async (text: string): Promise<unknown[]> =>
        (await sql.raw(text).execute(store.engine.db)).rows
      expect(await run('select 1 from power_rows where res = 1')).toHaveLength(0)
      // What the previous ingest did with a late frame: its minute hot, its hour and day upserted too.
      const [{ num }] = (await run(`select num from meter_nums where id = '${METERS[0]!}'`)) as [
        { num: number },
      ]
      const t = START + 90 * 60_000
      for (const [res, bucket] of [
        [1, t],
        [60, t - (t % HOUR)],
        [1440, bucketOf('1d', t)],
      ] as const) {
        await run(`insert into power_rows (m, res, bucket, n, va_n, va_sum, va_min, va_max, vap_n, inj_n, u_n)
          values (${String(num)}, ${String(res)}, ${String(bucket)}, 1, 1, 99999, 99999, 99999, 0, 0, 0)
          on conflict (m, res, bucket) do update set n = power_rows.n + 1, va_n = power_rows.va_n + 1,
            va_sum = coalesce(power_rows.va_sum, 0) + 99999, va_min = least(power_rows.va_min, 99999),
            va_max = greatest(power_rows.va_max, 99999)`)
        await run(`insert into energy_rows (m, res, reg, bucket, min_wh, max_wh, energy_wh)
          values (${String(num)}, ${String(res)}, 200, ${String(bucket)}, 1, 99999999, 7)
          on conflict (m, res, reg, bucket) do update set min_wh = least(energy_rows.min_wh, 1),
            max_wh = greatest(energy_rows.max_wh, 99999999), energy_wh = energy_rows.energy_wh + 7`)
      }
      const before = await snapshot(store, false)
      expect(
        (before.power_rollups as { res: string; va_max: number }[]).filter(
          (r) => Number(r.va_max) === 99999,
        ),
      ).toHaveLength(3)
      expect(
        (await migrateToLatest(store.engine.db, { schema: store.engine.schema })).applied,
      ).toEqual([
        '2026_12_04_000600_derived_rollups',
        '2026_12_04_000700_hot_minute_tables',
        '2026_12_05_000100_latest_reading_at',
        '2026_12_05_000200_sample_blocks',
        '2026_12_05_000300_between_functions',
      ])
      expect(await run('select 1 from power_rows where res = 1')).toHaveLength(0)
      expect(await snapshot(store, false)).toEqual(before)
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('two writers folding at once count every minute once (each meter written by one writer)', async () => {
    const target = postgresTarget()
    const a = await openStore(target.target)
    const b = await openStore(target.target)
    try {
      // Each writer owns a meter (as with meter partitions); both fold every meter's hours.
      const byMeter = (id: string) => records.filter((r) => r.reading.meter.id === id)
      const write = async (store: Store, rs: typeof records): Promise<void> => {
        for (let i = 0; i < rs.length; i += 97) await store.ingest.write(rs.slice(i, i + 97))
      }
      await Promise.all([write(a, byMeter(METERS[0]!)), write(b, byMeter(METERS[1]!))])
      const rows = (
        await sql
          .raw(
            `select r.meter, r.bucket, r.n, (select count(*) from samples s where s.meter = r.meter
               and s.t >= r.bucket and s.t < r.bucket + 60000) as frames
             from power_rollups r where r.res = '1m' order by r.meter, r.bucket`,
          )
          .execute(a.engine.db)
      ).rows as { n: number | string; frames: number | string }[]
      expect(rows.reduce((sum, r) => sum + Number(r.n), 0)).toBe(records.length)
      expect(rows.filter((r) => Number(r.n) !== Number(r.frames))).toEqual([])
    } finally {
      await a.close()
      await b.close()
      await target.dispose()
    }
  })

  it('never deletes from power_rows or energy_rows: hot minutes churn in their own tables', async () => {
    // A deleted row stays on disk while any transaction of the server may still see it, even
    // through `vacuum full`: the hot minutes' insert-then-fold churn must not land in the big tables.
    const target = postgresTarget()
    const store = await openStore(target.target)
    try {
      const db = store.engine.db
      await sql
        .raw(
          `create function forbid_delete() returns trigger language plpgsql as
             $$ begin raise exception 'delete from %', tg_table_name; end $$;
           create trigger no_delete before delete on power_rows for each statement execute function forbid_delete();
           create trigger no_delete before delete on energy_rows for each statement execute function forbid_delete();`,
        )
        .execute(db)
      await writeAll(store, 777)
      const count = async (text: string): Promise<number> =>
        Number(((await sql.raw(text).execute(db)).rows[0] as { n: number | string }).n)
      expect(await count('select count(*) as n from power_rows where res = 1')).toBe(0)
      expect(await count('select count(*) as n from energy_rows where res = 1')).toBe(0)
      expect(await count('select count(*) as n from power_minutes')).toBeGreaterThan(0)
      const minutes = (await sql
        .raw("select n from power_rollups where res = '1m'")
        .execute(db)) as { rows: { n: number | string }[] }
      expect(minutes.rows.reduce((a, r) => a + Number(r.n), 0)).toBe(records.length)
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('migrates a store with data down to one row per minute and up again, every query answering the same', async () => {
    const target = postgresTarget()
    const store = await openStore(target.target)
    try {
      const count = async (text: string): Promise<number> =>
        Number(((await sql.raw(text).execute(store.engine.db)).rows[0] as { n: number | string }).n)
      // In order, only the last two hours of data stay as 1-minute rows (hot): older hours are
      // folded into their packed rows as the data moves on.
      const inOrder = records.filter((_, i) => i % 7 !== 3)
      for (let i = 0; i < inOrder.length; i += 777)
        await store.ingest.write(inOrder.slice(i, i + 777))
      expect(
        await count(
          'select count(*) as n from power_hot_rows where bucket < (select max(bucket) - max(bucket) % 3600000 - 3600000 from power_hot_rows)',
        ),
      ).toBe(0)
      expect(await count('select count(*) as n from power_hot_rows')).toBeGreaterThan(0)
      expect(await count('select count(*) as n from power_minutes')).toBeGreaterThan(0)
      // Then redeliveries and late frames (minutes in both places until the next fold).
      await writeAll(store, 777)
      const packed = await snapshot(store)
      const minutes = (packed.power_rollups as { res: string; n: number }[]).filter(
        (r) => r.res === '1m',
      )
      expect(minutes.length).toBeGreaterThan(100)
      // Every stored frame is counted once in the 1-minute rollups.
      expect(minutes.reduce((a, r) => a + Number(r.n), 0)).toBe(records.length)
      const schema = store.engine.schema
      const migrator = new Migrator({
        db: store.engine.db,
        provider: migrationProvider,
        migrationTableSchema: schema!,
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
      ])
      expect(await count('select count(*) as n from power_rows where res = 1')).toBe(minutes.length)
      expect(
        await count(
          "select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name in ('power_minutes', 'energy_minutes')",
        ),
      ).toBe(0)
      const sqlOnly = Object.fromEntries(Object.entries(packed).filter(([k]) => !k.includes(' ')))
      expect(await snapshot(store, false)).toEqual(sqlOnly)
      expect((await migrateToLatest(store.engine.db, { schema })).applied).toEqual([
        '2026_12_04_000300_packed_minutes',
        '2026_12_04_000400_register_brin',
        '2026_12_04_000500_hot_minutes',
        '2026_12_04_000600_derived_rollups',
        '2026_12_04_000700_hot_minute_tables',
        '2026_12_05_000100_latest_reading_at',
        '2026_12_05_000200_sample_blocks',
        '2026_12_05_000300_between_functions',
      ])
      // register_rows keeps its rows unique without a key: a redelivery adds none.
      const registers = await count('select count(*) as n from register_rows')
      expect(
        await count(
          "select count(*) as n from pg_indexes where schemaname = current_schema() and tablename = 'register_rows' and indexdef like '%UNIQUE%'",
        ),
      ).toBe(0)
      expect(await snapshot(store)).toEqual(packed)
      expect(await store.ingest.write(records.slice(0, 50))).toMatchObject({
        stored: 0,
        duplicates: 50,
      })
      expect(await count('select count(*) as n from register_rows')).toBe(registers)
      expect(
        await count(
          'select count(*) as n from (select m, reg, t from register_rows group by m, reg, t having count(*) > 1) d',
        ),
      ).toBe(0)
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('moves hot minutes out of power_rows/energy_rows and back (2026_12_04_000700), every query answering the same', async () => {
    const target = postgresTarget()
    const store = await openStore(target.target)
    try {
      const db = store.engine.db
      const count = async (text: string): Promise<number> =>
        Number(((await sql.raw(text).execute(db)).rows[0] as { n: number | string }).n)
      // Hot minutes of both meters, and late minutes of hours already folded.
      await writeAll(store, 777)
      const hot = await snapshot(store)
      const power = await count('select count(*) as n from power_hot_rows')
      const energy = await count('select count(*) as n from energy_hot_rows')
      expect(power).toBeGreaterThan(0)
      expect(energy).toBeGreaterThan(0)
      const schema = store.engine.schema
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        migrationTableSchema: schema!,
      })
      const down = await migrator.migrateTo('2026_12_04_000600_derived_rollups')
      expect(down.error).toBeUndefined()
      expect(down.results?.map((r) => [r.migrationName, r.direction])).toEqual([
        ['2026_12_05_000300_between_functions', 'Down'],
        ['2026_12_05_000200_sample_blocks', 'Down'],
        ['2026_12_05_000100_latest_reading_at', 'Down'],
        ['2026_12_04_000700_hot_minute_tables', 'Down'],
      ])
      expect(await count('select count(*) as n from power_rows where res = 1')).toBe(power)
      expect(await count('select count(*) as n from energy_rows where res = 1')).toBe(energy)
      expect(
        await count(
          "select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name in ('power_hot_rows', 'energy_hot_rows')",
        ),
      ).toBe(0)
      const sqlOnly = Object.fromEntries(Object.entries(hot).filter(([k]) => !k.includes(' ')))
      expect(await snapshot(store, false)).toEqual(sqlOnly)
      expect((await migrateToLatest(db, { schema })).applied).toEqual([
        '2026_12_04_000700_hot_minute_tables',
        '2026_12_05_000100_latest_reading_at',
        '2026_12_05_000200_sample_blocks',
        '2026_12_05_000300_between_functions',
      ])
      expect(await count('select count(*) as n from power_rows where res = 1')).toBe(0)
      expect(await count('select count(*) as n from energy_rows where res = 1')).toBe(0)
      expect(await count('select count(*) as n from power_hot_rows')).toBe(power)
      expect(await count('select count(*) as n from energy_hot_rows')).toBe(energy)
      expect(await snapshot(store)).toEqual(hot)
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('writes the same rollups as SQLite (one row per minute), batches splitting hours', async () => {
    const targets: TestTarget[] = [postgresTarget(), sqliteTarget()]
    const snaps: Record<string, unknown>[] = []
    try {
      for (const [k, t] of targets.entries()) {
        const store = await openStore(t.target)
        try {
          await writeAll(store, k === 0 ? 313 : 1000)
          snaps.push(await snapshot(store))
        } finally {
          await store.close()
        }
      }
      // Compare values (the engines give bigints and text dates alike here, hourly_power aside).
      const norm = (s: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(
          Object.entries(s)
            .filter(([k]) => k !== 'hourly_power')
            .map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as unknown]),
        )
      expect(norm(snaps[0]!)).toEqual(norm(snaps[1]!))
    } finally {
      for (const t of targets) await t.dispose()
    }
  })
})

describe('store packed minutes: sqlite', () => {
  it('keeps one row per minute (the migration changes nothing there)', async () => {
    const target = sqliteTarget()
    const store = await openStore(target.target)
    try {
      await store.ingest.write(records.slice(0, 500))
      const tables = await sql
        .raw(
          "select name from sqlite_master where name in ('power_minutes', 'energy_minutes', 'power_hot_rows', 'energy_hot_rows')",
        )
        .execute(store.engine.db)
      expect(tables.rows).toEqual([])
      const rows = await sql
        .raw('select count(*) as n from power_rows where res = 1')
        .execute(store.engine.db)
      expect(Number((rows.rows[0] as { n: number }).n)).toBeGreaterThan(0)
    } finally {
      await store.close()
      await target.dispose()
    }
  })
})
