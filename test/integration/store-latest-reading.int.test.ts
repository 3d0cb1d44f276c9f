// meters.last_reading is written in full at most once a minute of data time (migration
// 2026_12_05_000100): what `latest` answers, what a restart resumes from, and the migration.
import { Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import { migrateToLatest, migrationProvider, type Store, type StoreRecord } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
// 2026-12-04 21:55 Paris: ten minutes at one frame per 2 s, HC starting at 22:00 (a period change).
const START = Date.UTC(2026, 11, 4, 20, 55)
const INTERVAL = 2000
const records: StoreRecord[] = syntheticFrameArray({
  start: START,
  count: 300,
  intervalMs: INTERVAL,
}).map((f) => ({ reading: f.reading, receivedAt: f.meta.receivedAt }))
const METER = records[0]!.reading.meter.id!
const HC_AT = Date.UTC(2026, 11, 4, 21)
/** Five frames (10 s) per batch, as a server writing every few seconds. */
const BATCH = 5

async function writeAll(store: Store, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += BATCH)
    await store.ingest.write(records.slice(i, Math.min(to, i + BATCH)))
}

/** What the store answers: energy per day and every energy rollup row, power, events, the meter. */
async function answers(store: Store): Promise<unknown> {
  const end = START + 3_600_000
  return {
    days: await store.history.energy(METER, START - 86_400_000, end + 86_400_000, 'day'),
    // A restarted writer writes every register once at its first frame (an unchanged one gives a
    // row counting 0 Wh, as before this store format): rows that count energy are compared.
    rollups: (
      await sql`select * from energy_rollups where energy_wh > 0 order by res, register, bucket`.execute(
        store.engine.db,
      )
    ).rows,
    minutes: await store.history.samples(METER, START, end, '1m'),
    events: (await store.history.events(METER, START, end)).map((e) => [e.t, e.kind]),
    meters: await store.history.meters(),
  }
}

function latestReading(makeTarget: () => TestTarget): void {
  it('rewrites the full latest reading at most once a minute, and at once when the period changes', async () => {
    const target = makeTarget()
    const store = await openStore(target.target)
    try {
      const seen: { last: number; at: number; index: number | null }[] = []
      for (let i = 0; i < records.length; i += BATCH) {
        await store.ingest.write(records.slice(i, i + BATCH))
        const latest = (await store.history.latest(METER))!
        const last = records[i + BATCH - 1]!.receivedAt
        const lastSeen = (await store.history.meters())[0]!.lastSeen
        expect(lastSeen).toBe(last)
        seen.push({ last, at: latest.t, index: latest.reading.period.index })
      }
      const writes = new Set(seen.map((s) => s.at))
      // 60 batches over ten minutes: about one full write a minute, plus the period change.
      expect(writes.size).toBeGreaterThanOrEqual(10)
      expect(writes.size).toBeLessThanOrEqual(13)
      for (const s of seen) {
        expect(s.last - s.at).toBeGreaterThanOrEqual(0)
        expect(s.last - s.at).toBeLessThan(60_000 + BATCH * INTERVAL)
      }
      // The first batch after 22:00 stores its reading at once: the HC index, not the HP one.
      const first = seen.find((s) => s.last >= HC_AT)!
      expect(first.at).toBe(first.last)
      expect(first.index).not.toBe(seen[0]!.index)
      // The reading `latest` gives is the stored frame at its time.
      const l = (await store.history.latest(METER))!
      const frame = records.find((r) => r.receivedAt === l.t)!
      expect(l.reading).toEqual(JSON.parse(JSON.stringify(frame.reading)))
    } finally {
      await store.close()
      await target.dispose()
    }
  })

  it('a writer restarted between two full readings resumes from the exact indexes: same energy and events as one run', async () => {
    const one = makeTarget()
    const two = makeTarget()
    const a = await openStore(one.target)
    let b = await openStore(two.target)
    try {
      await writeAll(a, 0, records.length)
      // Stop 30 s after a full write: the stored reading is 30 s behind, its indexes too.
      await writeAll(b, 0, 135)
      const before = (await b.history.latest(METER))!
      expect(before.t).toBeLessThan(records[134]!.receivedAt)
      expect(before.reading.energy.importWh).toBeLessThan(records[134]!.reading.energy.importWh!)
      await b.close()
      b = await openStore(two.target)
      await writeAll(b, 135, records.length)
      expect(await answers(b)).toEqual(await answers(a))
      const events = (await b.history.events(METER, START, START + 3_600_000)).map((e) => e.kind)
      expect(events.filter((k) => k === 'period-change')).toHaveLength(1)
    } finally {
      await a.close()
      await b.close()
      await one.dispose()
      await two.dispose()
    }
  })

  it('migrates a store with data down (last_seen back to the full reading) and up again', async () => {
    const target = makeTarget()
    let store = await openStore(target.target)
    try {
      await writeAll(store, 0, 135)
      const at = (await store.history.latest(METER))!.t
      const migrator = new Migrator({
        db: store.engine.db,
        provider: migrationProvider,
        ...(store.engine.schema === null ? {} : { migrationTableSchema: store.engine.schema }),
      })
      const down = await migrator.migrateTo('2026_12_04_000700_hot_minute_tables')
      expect(down.error).toBeUndefined()
      expect(down.results?.map((r) => [r.migrationName, r.direction])).toEqual([
        ['2026_12_05_000300_between_functions', 'Down'],
        ['2026_12_05_000200_sample_blocks', 'Down'],
        ['2026_12_05_000100_latest_reading_at', 'Down'],
      ])
      const row = await sql<Record<string, unknown>>`select * from meters`.execute(store.engine.db)
      expect(Number(row.rows[0]!.last_seen)).toBe(at)
      expect(Object.keys(row.rows[0]!)).not.toContain('last_reading_at')
      expect(
        (await migrateToLatest(store.engine.db, { schema: store.engine.schema })).applied,
      ).toEqual([
        '2026_12_05_000100_latest_reading_at',
        '2026_12_05_000200_sample_blocks',
        '2026_12_05_000300_between_functions',
      ])
      await store.close()
      store = await openStore(target.target)
      expect((await store.history.latest(METER))!.t).toBe(at)
      await writeAll(store, 135, records.length)
      expect((await store.history.meters())[0]!.lastSeen).toBe(records.at(-1)!.receivedAt)
    } finally {
      await store.close()
      await target.dispose()
    }
  })
}

describe(`store latest reading: sqlite`, () => latestReading(sqliteTarget))
describeWithService('postgres', pgUp, `store latest reading: postgres`, () =>
  latestReading(postgresTarget),
)
