// The history's `averagePower` (columns, read by `linkyrpi report` for its month of minutes) gives
// the buckets and average powers of `samples` at every rollup resolution, on both engines: on
// PostgreSQL over packed hours and hot 1-minute rows at once (a late frame puts a minute in both).
import { describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const HOUR = 3_600_000
const START = Date.UTC(2026, 2, 28, 22, 50, 0)
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

/** `samples` as the columns `averagePower` gives (NaN for a null average). */
async function expected(
  history: HistoryStore,
  meter: string,
  from: number,
  to: number,
  res: '1m' | '1h' | '1d',
): Promise<{ t: number[]; avgVA: number[] }> {
  const points = await history.samples(meter, from, to, res)
  return { t: points.map((p) => p.t), avgVA: points.map((p) => p.avgVA ?? NaN) }
}

function averagePower(makeTarget: () => TestTarget): void {
  it('equals the average power of samples at 1m, 1h and 1d, over any range', async () => {
    const target = makeTarget()
    const store = await openStore(target.target)
    try {
      // In batches, then frames older than the rest (PostgreSQL: minutes of folded hours).
      const late = records.filter((_, i) => i % 7 === 3)
      const first = records.filter((_, i) => i % 7 !== 3)
      for (let i = 0; i < first.length; i += 500) await store.ingest.write(first.slice(i, i + 500))
      for (let i = 0; i < late.length; i += 500) await store.ingest.write(late.slice(i, i + 500))
      const history = store.history
      expect(history.averagePower).toBeDefined()
      for (const m of METERS)
        for (const res of ['1m', '1h', '1d'] as const)
          for (const [from, to] of [
            [START - 24 * HOUR, START + 24 * HOUR],
            [START + 90_000, START + 2 * HOUR + 30_000],
            [START + 10 * HOUR, START + 11 * HOUR],
          ] as const) {
            const got = await history.averagePower!(m, from, to, res)
            const want = await expected(history, m, from, to, res)
            expect({ t: [...got.t], avgVA: [...got.avgVA] }, `${m} ${res} ${from}`).toEqual(want)
          }
      const minutes = await history.averagePower!(METERS[0]!, START, START + 24 * HOUR, '1m')
      expect(minutes.t.length).toBeGreaterThan(100)
    } finally {
      await store.close()
      await target.dispose()
    }
  }, 300_000)
}

describe('history averagePower: sqlite', () => averagePower(sqliteTarget))
describeWithService('postgresql', pgUp, 'history averagePower: postgres', () =>
  averagePower(postgresTarget),
)
