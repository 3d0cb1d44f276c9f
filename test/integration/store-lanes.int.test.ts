// PostgreSQL writes a batch of many meters as concurrent transactions, one per lane of meters
// (IngestOptions.lanes), and folds an hour of minutes by ranges of meters spread over batches
// (IngestOptions.foldStepMs): the store holds exactly what one transaction, one fold, writes.
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { openPostgresStore } from '@linkyrpi/sink-postgres'
import type { Store, StoreRecord } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, PG_URL, tcpReachable } from '../support/services.js'
import { postgresTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
// 40 meters, 3 h 20 min at one frame a minute from 2026-12-04 20:40 Paris (across two hourly folds
// and the start of HC at 22:00), written as a server does: each batch holds a step of every meter.
const START = Date.UTC(2026, 11, 4, 19, 40)
const METERS = 40
const STEPS = 200
/** `meters` meters × `count` steps from `start`, `intervalMs` apart: one batch per step. */
function fleet(meters: number, count: number, intervalMs: number): StoreRecord[][] {
  return syntheticFrameArray({ start: START, count, intervalMs }).map((f, step) =>
    Array.from({ length: meters }, (_, i) => ({
      receivedAt: f.meta.receivedAt + i,
      reading: {
        ...f.reading,
        meter: { ...f.reading.meter, id: String(100_000_000_000 + i) },
        power: {
          ...f.reading.power,
          apparentVA: f.reading.power.apparentVA! + i * 10 + (step % 7),
        },
        energy: {
          ...f.reading.energy,
          importWh: f.reading.energy.importWh! + i * 1000,
          importByIndexWh: Object.fromEntries(
            Object.entries(f.reading.energy.importByIndexWh).map(([k, v]) => [k, v + i * 500]),
          ),
        },
      },
    })),
  )
}
const steps = fleet(METERS, STEPS, 60_000)

async function contents(store: Store): Promise<Record<string, unknown>> {
  const db = store.engine.db
  const q = async (text: string): Promise<unknown[]> =>
    (await sql.raw(text).execute(db)).rows as unknown[]
  return {
    samples: await q('select meter, t, va, import_wh from samples order by meter, t'),
    registers: await q(
      'select meter, register, t, value from registers order by meter, register, t',
    ),
    power: await q('select * from power_rollups order by meter, res, bucket'),
    energy: await q('select * from energy_rollups order by meter, res, register, bucket'),
    events: await q('select meter, t, kind from events order by meter, t, kind'),
    meters: await q('select id, first_seen, last_seen, last_registers from meters order by id'),
  }
}

describeWithService('postgres', pgUp, 'store lanes: postgres', () => {
  it(
    'two and three lanes store exactly what one transaction stores, a batch written twice adds nothing',
    { timeout: 120_000 },
    async () => {
      const targets = [postgresTarget(), postgresTarget(), postgresTarget()]
      const stores: Store[] = []
      try {
        for (const [k, lanes] of [1, 2, 3].entries()) {
          const t = targets[k]!.target
          if (t.kind !== 'postgres') throw new Error('postgres target expected')
          stores.push(await openPostgresStore(PG_URL, { schema: t.schema!, lanes }))
        }
        for (const batch of steps)
          for (const store of stores) {
            const r = await store.ingest.write(batch)
            expect(r).toEqual({ stored: METERS, duplicates: 0, unstorable: 0 })
          }
        // A redelivered batch (the sink retries a batch one lane of which had committed).
        for (const store of stores.slice(1))
          expect(await store.ingest.write(steps[100]!)).toEqual({
            stored: 0,
            duplicates: METERS,
            unstorable: 0,
          })
        const one = await contents(stores[0]!)
        expect((one.samples as unknown[]).length).toBe(METERS * STEPS)
        expect((one.events as unknown[]).length).toBeGreaterThanOrEqual(METERS)
        expect(await contents(stores[1]!)).toEqual(one)
        expect(await contents(stores[2]!)).toEqual(one)
      } finally {
        for (const s of stores) await s.close()
        for (const t of targets) await t.dispose()
      }
    },
  )

  it(
    'an hour of 250 meters folded by ranges of 100 over three batches answers as a store folding at its own pace, at every step',
    { timeout: 120_000 },
    async () => {
      // 250 meters, 2 h 10 min at one frame a minute: two folds; a fold step aims at 0.001 ms, so
      // each batch folds the least range, 100 meter numbers.
      const batches = fleet(250, 130, 60_000)
      const targets = [postgresTarget(), postgresTarget()]
      const stores: Store[] = []
      try {
        for (const [k, foldStepMs] of [100, 0.001].entries()) {
          const t = targets[k]!.target
          if (t.kind !== 'postgres') throw new Error('postgres target expected')
          stores.push(await openPostgresStore(PG_URL, { schema: t.schema!, foldStepMs }))
        }
        const hot = async (store: Store, before: number): Promise<number[]> =>
          (
            await sql<{
              m: number
            }>`select distinct m from power_hot_rows where bucket < ${before} order by m`.execute(
              store.engine.db,
            )
          ).rows.map((r) => Number(r.m))
        const firstCut = Date.UTC(2026, 11, 4, 19)
        let stepsSeen = 0
        for (const [i, batch] of batches.entries()) {
          for (const store of stores) await store.ingest.write(batch)
          // The batch that first passes 21:00 UTC starts the fold of the hours before 20:00.
          if (batch[0]!.receivedAt >= Date.UTC(2026, 11, 4, 21) && stepsSeen < 3) {
            const left = await hot(stores[1]!, firstCut + 3_600_000)
            // Ranges [0, 100), [100, 200), [200, 300): after each batch, fewer meters wait.
            expect(left.length).toBe(Math.max(0, 250 - 100 * (stepsSeen + 1) + 1))
            // Whatever is folded yet, the store answers the same (readers add the hot minutes).
            expect(await contents(stores[1]!)).toEqual(await contents(stores[0]!))
            stepsSeen++
          }
          if (i === batches.length - 1) expect(stepsSeen).toBe(3)
        }
        expect(await contents(stores[1]!)).toEqual(await contents(stores[0]!))
      } finally {
        for (const s of stores) await s.close()
        for (const t of targets) await t.dispose()
      }
    },
  )
})
