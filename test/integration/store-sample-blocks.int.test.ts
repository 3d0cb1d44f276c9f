// Sample blocks (migration 2026_12_05_000200, docs/storage.md "Sample blocks"), on both engines:
// a store with rows migrates up (a marker per meter-hour, the views answering the same rows), a
// block written by hand is answered by `samples` and `registers` column for column, `down` unpacks
// it into rows answered the same by the previous views, and retention deletes whole hours of blocks.
import { Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import { migrateToLatest, migrationProvider, type Store } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const HOUR = 3_600_000
const START = Date.UTC(2026, 2, 27, 22, 40, 0)
const PREVIOUS = '2026_12_05_000100_latest_reading_at'
const THIS = '2026_12_05_000200_sample_blocks'
/** The migration after it, undone and applied again with it. */
const NEXT = '2026_12_05_000300_between_functions'
const std = syntheticFrameArray({ start: START, count: 300, intervalMs: 60_000 })
const hist = syntheticFrameArray({
  start: START,
  count: 100,
  intervalMs: 150_000,
  mode: 'historique',
  meter: '021861340007',
})
const records = [...std, ...hist].map((f) => ({
  reading: f.reading,
  receivedAt: f.meta.receivedAt + 37,
}))

/** The meter of the hand-written block, and its hour (after the rows' hours). */
const BLOCK_METER = '021861349999'
const BLOCK_HOUR = Date.UTC(2026, 2, 28, 9)

/**
 * A block as the spec writes it: sample arrays by position (0 dt, 1 rx, 2 flags, 3 va, 4 i1,
 * 5 u1, 6 period_index, 7 period_code, 8 import_wh, 9 export_wh, 10 injected_va, 11-13 va1-va3,
 * 14-15 i2-i3, 16-17 u2-u3), trailing nulls left out; registers `[reg, dt, value]`.
 */
const BLOCK_SAMPLES = [
  // Three-phase, every position, a meter clock (flags 1), period hp, an index above 2^32.
  [0, 37, 1, 4500, 20, 231, 2, 3, 12_345_678_901, 0, 0, 1500, 1600, 1400, 7, 6, 232, 229],
  // Trailing nulls left out (from injected_va on), clock and short frame (flags 3).
  [1500, 12, 3, 300, 2, 230, 1, 2, 12_345_678_950, 5],
  // Nulls inside the array, no clock.
  [2_000_000, 40, 0, null, null, 229, null, null, 12_345_679_000],
  // Only dt, rx and flags (short frame, no clock), the last millisecond of the hour.
  [3_599_999, 5, 2],
]
const BLOCK_REGISTERS = [
  [2, 0, 12_345_678_901],
  [200, 0, 12_345_678_901],
  [1, 1500, 99],
  [105, 1500, 7],
  [201, 2_000_000, 4],
  [301, 3_599_999, 10],
]

const at = (dt: number): number => BLOCK_HOUR + dt
/** The `samples` rows of the block: every column, as the previous view gives rows. */
const EXPECTED_SAMPLES = [
  {
    meter: BLOCK_METER,
    t: at(0),
    received_at: at(37),
    clock_ms: at(0),
    va: 4500,
    va1: 1500,
    va2: 1600,
    va3: 1400,
    injected_va: 0,
    i1: 20,
    i2: 7,
    i3: 6,
    u1: 231,
    u2: 232,
    u3: 229,
    period_index: 2,
    period_code: 'hp',
    import_wh: 12_345_678_901,
    export_wh: 0,
    short: 0,
  },
  {
    meter: BLOCK_METER,
    t: at(1500),
    received_at: at(1512),
    clock_ms: at(1000),
    va: 300,
    va1: null,
    va2: null,
    va3: null,
    injected_va: null,
    i1: 2,
    i2: null,
    i3: null,
    u1: 230,
    u2: null,
    u3: null,
    period_index: 1,
    period_code: 'hc',
    import_wh: 12_345_678_950,
    export_wh: 5,
    short: 1,
  },
  {
    meter: BLOCK_METER,
    t: at(2_000_000),
    received_at: at(2_000_040),
    clock_ms: null,
    va: null,
    va1: null,
    va2: null,
    va3: null,
    injected_va: null,
    i1: null,
    i2: null,
    i3: null,
    u1: 229,
    u2: null,
    u3: null,
    period_index: null,
    period_code: null,
    import_wh: 12_345_679_000,
    export_wh: null,
    short: 0,
  },
  {
    meter: BLOCK_METER,
    t: at(3_599_999),
    received_at: at(3_600_004),
    clock_ms: null,
    va: null,
    va1: null,
    va2: null,
    va3: null,
    injected_va: null,
    i1: null,
    i2: null,
    i3: null,
    u1: null,
    u2: null,
    u3: null,
    period_index: null,
    period_code: null,
    import_wh: null,
    export_wh: null,
    short: 1,
  },
]
const EXPECTED_REGISTERS = [
  { meter: BLOCK_METER, register: 'd5', t: at(1500), value: 7 },
  { meter: BLOCK_METER, register: 'export', t: at(2_000_000), value: 4 },
  { meter: BLOCK_METER, register: 'import', t: at(0), value: 12_345_678_901 },
  { meter: BLOCK_METER, register: 'q1', t: at(3_599_999), value: 10 },
  { meter: BLOCK_METER, register: 's01', t: at(1500), value: 99 },
  { meter: BLOCK_METER, register: 's02', t: at(0), value: 12_345_678_901 },
]

const rowsOf = async (store: Store, text: string): Promise<Record<string, unknown>[]> =>
  (await sql.raw<Record<string, unknown>>(text).execute(store.engine.db)).rows

/** Rows with their numeric strings (PostgreSQL `bigint` sums, if any) as numbers. */
const plain = (rows: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'meter' ? Number(v) : v,
      ]),
    ),
  )

/** The columns of the `samples` and `registers` views: name and declared type, in order. */
async function viewColumns(store: Store): Promise<unknown[]> {
  if (store.engine.kind === 'postgres')
    return rowsOf(
      store,
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = current_schema() and table_name in ('samples', 'registers')
       order by table_name, ordinal_position`,
    )
  return [
    ...(await rowsOf(store, "select name, type from pragma_table_info('samples')")),
    ...(await rowsOf(store, "select name, type from pragma_table_info('registers')")),
  ]
}

/** What the views over samples and registers answer. */
async function snapshot(store: Store): Promise<Record<string, unknown>> {
  return {
    samples: await rowsOf(store, 'select * from samples order by meter, t'),
    registers: await rowsOf(store, 'select * from registers order by meter, register, t'),
    latest_reading: await rowsOf(store, 'select * from latest_reading order by meter'),
    power_curve: await rowsOf(store, 'select * from power_curve order by meter, t'),
    columns: await viewColumns(store),
  }
}

function migratorOf(store: Store): Migrator {
  const schema = store.engine.schema
  return new Migrator({
    db: store.engine.db,
    provider: migrationProvider,
    ...(schema === null ? {} : { migrationTableSchema: schema }),
  })
}

async function tableExists(store: Store, name: string): Promise<boolean> {
  const text =
    store.engine.kind === 'sqlite'
      ? `select name from sqlite_master where type = 'table' and name = '${name}'`
      : `select table_name from information_schema.tables where table_schema = current_schema() and table_name = '${name}'`
  return (await rowsOf(store, text)).length > 0
}

/** The meter number of `id`, given when missing (as the writer does on a meter's first write). */
async function meterNum(store: Store, id: string): Promise<number> {
  await sql`insert into meter_nums (id) values (${id}) on conflict (id) do nothing`.execute(
    store.engine.db,
  )
  const rows = await rowsOf(store, `select num from meter_nums where id = '${id}'`)
  return Number(rows[0]!.num)
}

async function insertBlock(
  store: Store,
  m: number,
  hour: number,
  samples: readonly unknown[][] | null,
  registers: readonly unknown[][] | null,
): Promise<void> {
  await sql`insert into sample_blocks (m, hour, n, samples, registers)
    values (${m}, ${hour}, ${samples?.length ?? 0}, ${samples === null ? null : JSON.stringify(samples)},
            ${registers === null ? null : JSON.stringify(registers)})`.execute(store.engine.db)
}

function sampleBlocks(makeTarget: () => TestTarget): void {
  it('migrates a store with rows up (markers, same views), answers a block in the views, and unpacks it down', async () => {
    const target = makeTarget()
    const store = await openStore(target.target)
    try {
      for (let i = 0; i < records.length; i += 50)
        await store.ingest.write(records.slice(i, i + 50))
      // The store as the previous version has it: no sample_blocks.
      const down = await migratorOf(store).migrateTo(PREVIOUS)
      expect(down.error).toBeUndefined()
      expect(down.results?.map((r) => [r.migrationName, r.direction])).toEqual([
        [NEXT, 'Down'],
        [THIS, 'Down'],
      ])
      expect(await tableExists(store, 'sample_blocks')).toBe(false)
      const rows = await snapshot(store)
      expect(rows.samples).toHaveLength(records.length)
      expect((rows.registers as unknown[]).length).toBeGreaterThan(0)
      expect(rows.latest_reading).toHaveLength(2)

      // Up: one marker per meter-hour of sample_rows, the views answer the same rows.
      expect(
        (await migrateToLatest(store.engine.db, { schema: store.engine.schema })).applied,
      ).toEqual([THIS, NEXT])
      const hours = new Set<string>()
      for (const r of await rowsOf(store, 'select m, t from sample_rows'))
        hours.add(`${String(r.m)}/${String(Number(r.t) - (Number(r.t) % HOUR))}`)
      expect(hours.size).toBeGreaterThan(6) // both meters, several hours each
      const markers = plain(
        await rowsOf(
          store,
          'select m, hour, n, samples, registers from sample_blocks order by m, hour',
        ),
      )
      expect(markers.map((r) => `${String(r.m)}/${String(r.hour)}`)).toEqual([...hours].sort(byKey))
      expect(markers.every((r) => r.n === 0 && r.samples === null && r.registers === null)).toBe(
        true,
      )
      expect(await snapshot(store)).toEqual(rows)

      // A block written by hand: the views answer its samples and register changes, column for column.
      const m = await meterNum(store, BLOCK_METER)
      await insertBlock(store, m, BLOCK_HOUR, BLOCK_SAMPLES, BLOCK_REGISTERS)
      expect(
        plain(
          await rowsOf(store, `select * from samples where meter = '${BLOCK_METER}' order by t`),
        ),
      ).toEqual(EXPECTED_SAMPLES)
      expect(
        plain(
          await rowsOf(
            store,
            `select * from registers where meter = '${BLOCK_METER}' order by register, t`,
          ),
        ),
      ).toEqual(EXPECTED_REGISTERS)
      // Filtered on time (the views' usual query), and read by the views over `samples`.
      expect(
        plain(
          await rowsOf(
            store,
            `select t from samples where meter = '${BLOCK_METER}' and t >= ${String(at(1500))} and t < ${String(at(3_599_999))} order by t`,
          ),
        ),
      ).toEqual([{ t: at(1500) }, { t: at(2_000_000) }])
      expect(
        await rowsOf(store, `select t from power_curve where meter = '${BLOCK_METER}'`),
      ).toHaveLength(4)
      // The other meters' rows are all still there, and a marker adds no row.
      const withBlock = await snapshot(store)
      expect(withBlock.samples).toHaveLength(records.length + 4)
      expect(withBlock.columns).toEqual(rows.columns)
      await insertBlock(store, m, BLOCK_HOUR + HOUR, null, null)
      expect(await snapshot(store)).toEqual(withBlock)
      await sql`delete from sample_blocks where m = ${m} and hour = ${BLOCK_HOUR + HOUR}`.execute(
        store.engine.db,
      )

      // Down: the block becomes rows, which the previous views answer the same.
      const sampleRows = (await rowsOf(store, 'select * from sample_rows')).length
      const registerRows = (await rowsOf(store, 'select * from register_rows')).length
      const back = await migratorOf(store).migrateTo(PREVIOUS)
      expect(back.error).toBeUndefined()
      expect(await tableExists(store, 'sample_blocks')).toBe(false)
      expect(await rowsOf(store, 'select * from sample_rows')).toHaveLength(sampleRows + 4)
      expect(await rowsOf(store, 'select * from register_rows')).toHaveLength(
        registerRows + BLOCK_REGISTERS.length,
      )
      expect(await snapshot(store)).toEqual(withBlock)
      expect(
        plain(
          await rowsOf(
            store,
            `select m, t, rx, flags, va, va1, va2, va3, injected_va, i1, i2, i3, u1, u2, u3, period_index, period_code, import_wh, export_wh
             from sample_rows where m = ${String(m)} order by t`,
          ),
        ),
      ).toEqual(
        BLOCK_SAMPLES.map((s) => {
          const p = (i: number): unknown => s[i] ?? null
          return {
            m,
            t: at(s[0]!),
            rx: p(1),
            flags: p(2),
            va: p(3),
            va1: p(11),
            va2: p(12),
            va3: p(13),
            injected_va: p(10),
            i1: p(4),
            i2: p(14),
            i3: p(15),
            u1: p(5),
            u2: p(16),
            u3: p(17),
            period_index: p(6),
            period_code: p(7),
            import_wh: p(8),
            export_wh: p(9),
          }
        }),
      )

      // Up again: the block's hour is in rows mode now, with its marker.
      expect(
        (await migrateToLatest(store.engine.db, { schema: store.engine.schema })).applied,
      ).toEqual([THIS, NEXT])
      expect(
        plain(await rowsOf(store, `select hour, n from sample_blocks where m = ${String(m)}`)),
      ).toEqual([{ hour: BLOCK_HOUR, n: 0 }])
      expect(await snapshot(store)).toEqual(withBlock)
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('retention deletes the blocks and markers of whole hours before the cutoff, in the same counts', async () => {
    const target = makeTarget()
    const store = await openStore(target.target)
    try {
      const m = await meterNum(store, BLOCK_METER)
      const h = BLOCK_HOUR
      const twoRegisters = BLOCK_REGISTERS.slice(0, 2)
      await insertBlock(store, m, h - 3 * HOUR, null, null) // a marker, two hours before
      await sql`insert into sample_rows (m, t, rx, flags) values (${m}, ${h - 3 * HOUR + 10}, 1, 0)`.execute(
        store.engine.db,
      )
      await sql`insert into register_rows (m, reg, t, value) values (${m}, 200, ${h - 3 * HOUR + 10}, 5)`.execute(
        store.engine.db,
      )
      await insertBlock(store, m, h - 2 * HOUR, BLOCK_SAMPLES.slice(0, 3), []) // no register change
      await insertBlock(store, m, h - HOUR, BLOCK_SAMPLES, twoRegisters) // ends exactly at h
      await insertBlock(store, m, h, BLOCK_SAMPLES.slice(0, 2), BLOCK_REGISTERS) // the edge hour
      await insertBlock(store, m, h + HOUR, null, null) // a marker after the cutoff
      const DAY = 86_400_000
      const blocks = async (): Promise<unknown[]> =>
        plain(
          await rowsOf(
            store,
            `select hour, n from sample_blocks where m = ${String(m)} order by hour`,
          ),
        )

      // The cutoff inside hour h: the hours before it go, h stays whole.
      const first = await store.applyRetention(h + HOUR / 2 + DAY, 1)
      expect(first).toEqual({ samples: 1 + 3 + 4, registers: 1 + 0 + 2, blocks: 3 })
      expect(await blocks()).toEqual([
        { hour: h, n: 2 },
        { hour: h + HOUR, n: 0 },
      ])
      expect(
        await rowsOf(store, `select t from samples where meter = '${BLOCK_METER}'`),
      ).toHaveLength(2)

      // The cutoff at the end of hour h: its whole hour is before the cutoff, it goes.
      const second = await store.applyRetention(h + HOUR + DAY, 1)
      expect(second).toEqual({ samples: 2, registers: BLOCK_REGISTERS.length, blocks: 1 })
      expect(await blocks()).toEqual([{ hour: h + HOUR, n: 0 }])
      expect(
        await rowsOf(store, `select t from samples where meter = '${BLOCK_METER}'`),
      ).toHaveLength(0)
      expect(
        await rowsOf(store, `select t from registers where meter = '${BLOCK_METER}'`),
      ).toHaveLength(0)
      expect(await store.applyRetention(h + HOUR + DAY, 0)).toEqual({
        samples: 0,
        registers: 0,
        blocks: 0,
      })
    } finally {
      await store.close()
      await target.dispose()
    }
  })
}

/** `m/hour` keys in (m, hour) numeric order. */
function byKey(a: string, b: string): number {
  const [am, ah] = a.split('/').map(Number)
  const [bm, bh] = b.split('/').map(Number)
  return am! - bm! || ah! - bh!
}

describe('store sample blocks: sqlite', () => sampleBlocks(sqliteTarget))
describeWithService('postgresql', pgUp, 'store sample blocks: postgres', () =>
  sampleBlocks(() => postgresTarget()),
)
