// An import writes each meter-hour as one `sample_blocks` row (IngestOptions.blockMinFrames,
// docs/storage.md "Sample blocks"); live batches write rows. Whatever the mix, the store answers
// exactly as a store of rows only: the same frames written with blocks off are the reference.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store, StoreOptions, StoreRecord } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { STORE_CASES, threePhaseProducer } from './store-helpers.js'
import type { TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const METER = '021861348591'
// 2026-03-29 00:10 Paris, 2 h 40 min at one frame per 2 s: across hours, the 02:00 → 03:00
// clock change and the end of HC at 06:00 is not reached; HC → HP periods come from the synthetic
// contract. Three-phase with injection, so that every sample column holds values.
const START = Date.UTC(2026, 2, 28, 23, 10)
const COUNT = 4800

/** The frames: three-phase producer readings, every 97th frame repeated in its clock second. */
function frames(): StoreRecord[] {
  const out: StoreRecord[] = []
  for (const [k, f] of syntheticFrameArray({
    start: START,
    count: COUNT,
    intervalMs: 2000,
  }).entries()) {
    const va = f.reading.power.apparentVA!
    const reading = threePhaseProducer(f.reading, k)
    out.push({ receivedAt: f.meta.receivedAt + (k % 3), reading })
    // A second frame in the same meter clock second (a 9600 Bd meter): keyed 1 ms later.
    if (k % 97 === 0)
      out.push({
        receivedAt: f.meta.receivedAt + 400,
        reading: { ...reading, power: { ...reading.power, apparentVA: va + 1 } },
      })
  }
  return out
}
const ALL = frames()

const chunks = <T>(xs: readonly T[], size: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

/** Everything the store answers about the meter, through the views and the history API. */
async function contents(store: Store): Promise<Record<string, unknown>> {
  const q = async (text: string): Promise<unknown[]> =>
    (await sql.raw(text).execute(store.engine.db)).rows as unknown[]
  const to = START + COUNT * 2000 + 60_000
  return {
    samplesView: await q('select * from samples order by meter, t'),
    registersView: await q('select * from registers order by meter, register, t'),
    latestView: await q('select * from latest_reading'),
    powerCurveView: await q('select * from power_curve order by meter, t'),
    power: await q('select * from power_rollups order by meter, res, bucket'),
    energy: await q('select * from energy_rollups order by meter, res, register, bucket'),
    events: await q('select meter, t, kind, detail from events order by meter, t, kind'),
    meters: await q('select id, first_seen, last_seen, last_registers from meters order by id'),
    raw: await store.history.samples(METER, START, to, 'raw'),
    rawPart: await store.history.samples(METER, START + 1_234_567, START + 5_000_000, 'raw'),
    minutes: await store.history.samples(METER, START, to, '1m'),
    hours: await store.history.samples(METER, START, to, '1h'),
    days: await store.history.energy(METER, START - 86_400_000, to + 86_400_000, 'day'),
  }
}

const cases = STORE_CASES

for (const c of cases) {
  describeWithService(
    c.service ?? 'none',
    c.service === null || pgUp,
    `store blocks: ${c.name}`,
    () => {
      let reference: Record<string, unknown>
      const targets: TestTarget[] = []
      /** A fresh store (blocks at the default threshold unless `options` say otherwise). */
      const fresh = async (options: StoreOptions = {}): Promise<Store> => {
        const t = c.target()
        targets.push(t)
        return c.open(t, options)
      }
      const write = async (store: Store, records: readonly StoreRecord[], size: number) => {
        let stored = 0
        let duplicates = 0
        for (const batch of chunks(records, size)) {
          const r = await store.ingest.write(batch)
          stored += r.stored
          duplicates += r.duplicates
        }
        return { stored, duplicates }
      }
      const counts = async (store: Store) => {
        const q = async (text: string): Promise<number> =>
          Number(((await sql.raw(text).execute(store.engine.db)).rows[0] as { n: unknown }).n)
        return {
          rows: await q('select count(*) as n from sample_rows'),
          registerRows: await q('select count(*) as n from register_rows'),
          blocks: await q('select count(*) as n from sample_blocks where n > 0'),
          blockSamples: await q('select coalesce(sum(n), 0) as n from sample_blocks'),
        }
      }

      beforeAll(async () => {
        const store = await fresh({ blockMinFrames: Infinity })
        try {
          const r = await write(store, ALL, 1000)
          expect(r.duplicates).toBe(0)
          expect(r.stored).toBe(ALL.length)
          expect((await counts(store)).blocks).toBe(0)
          reference = await contents(store)
        } finally {
          await store.close()
        }
      }, 120_000)
      afterAll(async () => {
        for (const t of targets) await t.dispose()
      })

      it('an import written as blocks answers exactly as rows', async () => {
        const store = await fresh()
        try {
          const r = await write(store, ALL, 1000)
          expect(r).toEqual({ stored: ALL.length, duplicates: 0 })
          const n = await counts(store)
          expect(n.rows).toBe(0)
          expect(n.registerRows).toBe(0)
          // 2 h 40 min from 00:10: 3 meter-hours in blocks, split by batches but merged into one each.
          expect(n.blocks).toBe(3)
          expect(n.blockSamples).toBe(ALL.length)
          expect(await contents(store)).toEqual(reference)
        } finally {
          await store.close()
        }
      })

      it('an import replayed in other batches stores nothing twice', async () => {
        const store = await fresh()
        try {
          await write(store, ALL, 1000)
          const again = await write(store, ALL, 700)
          expect(again).toEqual({ stored: 0, duplicates: ALL.length })
          // Half of it again, reopened (the writer's memory gone), in one batch.
          await store.close()
          const reopened = await c.open(targets.at(-1)!, {})
          try {
            const half = await write(reopened, ALL.slice(1500, 3900), 5000)
            expect(half).toEqual({ stored: 0, duplicates: 2400 })
            expect(await contents(reopened)).toEqual(reference)
          } finally {
            await reopened.close()
          }
        } finally {
          await store.close()
        }
      })

      it('live rows, then an import over the same hours, then live frames into a block', async () => {
        const store = await fresh()
        try {
          // Live: batches of 2 (rows mode for that hour).
          const live = await write(store, ALL.slice(0, 120), 2)
          expect(live.stored).toBe(120)
          // An import of everything: the first hour stays rows, the next ones become blocks.
          const imported = await write(store, ALL.slice(0, 3000), 1000)
          expect(imported).toEqual({ stored: 2880, duplicates: 120 })
          const n = await counts(store)
          expect(n.rows).toBeGreaterThan(0)
          expect(n.blocks).toBeGreaterThan(0)
          // Live again, inside the hour the import made a block: merged into it, 10 frames at a time.
          const after = await write(store, ALL.slice(3000), 10)
          expect(after).toEqual({ stored: ALL.length - 3000, duplicates: 0 })
          expect(await contents(store)).toEqual(reference)
        } finally {
          await store.close()
        }
      })

      it('a restart keys a frame sharing the clock second of the last one stored in a block', async () => {
        // A frame and its twin in the same meter clock second, the batch ending between them.
        const cut = ALL.findIndex((r, i) => i > 1900 && ALL[i - 1]!.reading.time === r.reading.time)
        expect(cut).toBeGreaterThan(0)
        // A restart writes every register at its first frame: the reference restarts too.
        const restarted = async (options: StoreOptions): Promise<Record<string, unknown>> => {
          const store = await fresh(options)
          await write(store, ALL.slice(0, cut), 1000)
          await store.close()
          const reopened = await c.open(targets.at(-1)!, options)
          try {
            const rest = await write(reopened, ALL.slice(cut), 1000)
            expect(rest).toEqual({ stored: ALL.length - cut, duplicates: 0 })
            return await contents(reopened)
          } finally {
            await reopened.close()
          }
        }
        const rows = await restarted({ blockMinFrames: Infinity })
        expect(rows).not.toEqual(reference)
        expect(await restarted({})).toEqual(rows)
      })
    },
  )
}
