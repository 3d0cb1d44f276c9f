// storedSamples (packages/store/src/stored-samples.ts) reads the samples of a meter from the tables
// window by window: exactly what the `samples` view gives, over a history mixing rows-mode hours
// (live batches) and block-mode hours (imports), with hours of no data between them.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { sampleTime, storedSamples } from '@linkyrpi/store'
import type {
  ReadEngine,
  Store,
  StoreRecord,
  StoredSample,
  StoredSamplesOptions,
} from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { STORE_CASES, threePhaseProducer } from './store-helpers.js'
import type { TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const METER = '021861348591'
const HOUR = 3_600_000
// 2026-03-10 00:00 UTC (01:00 Paris): HC until 05:00 UTC, then HP, so both period codes appear.
const H0 = Date.UTC(2026, 2, 10)
/** The mode of each UTC hour from H0 (the others hold no data). */
const MODES: Readonly<Record<number, 'rows' | 'blocks'>> = {
  0: 'rows',
  1: 'blocks',
  2: 'blocks',
  3: 'rows',
  4: 'blocks',
  8: 'rows',
  9: 'blocks',
}

/**
 * Three-phase producer frames every 5 s from 00:10 to 09:50 UTC, hours 5-7 left out; every 97th
 * frame has a twin in its clock second (keyed 1 ms later), every 11th from the 5th has no clock
 * (keyed on its receive time), every 13th from the 7th is short.
 */
function frames(): StoreRecord[] {
  const out: StoreRecord[] = []
  const start = H0 + 10 * 60_000
  for (const [k, f] of syntheticFrameArray({
    start,
    count: (9 * HOUR + 40 * 60_000) / 5000,
    intervalMs: 5000,
  }).entries()) {
    if (MODES[Math.floor((f.meta.receivedAt - H0) / HOUR)] === undefined) continue
    const va = f.reading.power.apparentVA!
    const reading = {
      ...threePhaseProducer(f.reading, k),
      time: k % 11 === 5 ? null : f.reading.time,
      short: k % 13 === 7,
    }
    out.push({ receivedAt: f.meta.receivedAt + (k % 3), reading })
    if (k % 97 === 0)
      out.push({
        receivedAt: f.meta.receivedAt + 400,
        reading: { ...reading, power: { ...reading.power, apparentVA: va + 1 } },
      })
  }
  return out
}
const ALL = frames()

/** The frames of each hour (by their key time), in order. */
function byHour(records: readonly StoreRecord[]): Map<number, StoreRecord[]> {
  const out = new Map<number, StoreRecord[]>()
  for (const r of records) {
    const h = Math.floor((sampleTime(r).t - H0) / HOUR)
    const list = out.get(h) ?? []
    list.push(r)
    out.set(h, list)
  }
  return out
}

const COLUMNS = [
  't',
  'received_at',
  'clock_ms',
  'va',
  'va1',
  'va2',
  'va3',
  'injected_va',
  'i1',
  'i2',
  'i3',
  'u1',
  'u2',
  'u3',
  'period_index',
  'period_code',
  'import_wh',
  'export_wh',
  'short',
] as const

/** The `samples` view over [from, to), every bigint (a string from PostgreSQL) as a number. */
async function fromView(
  store: Store,
  from: number,
  to: number,
  source = 'samples where meter = ? and t >= ? and t < ?',
): Promise<StoredSample[]> {
  const rows = await store.engine.selectRows(
    `select ${COLUMNS.join(', ')} from ${source} order by t`,
    [METER, from, to],
  )
  return rows.map(
    (r) =>
      Object.fromEntries(
        COLUMNS.map((c, i) => [c, r[i] === null || c === 'period_code' ? r[i] : Number(r[i])]),
      ) as unknown as StoredSample,
  )
}

/** A read engine recording each statement it runs. */
function recording(engine: ReadEngine): ReadEngine & {
  readonly runs: { text: string; params: readonly unknown[] }[]
} {
  const runs: { text: string; params: readonly unknown[] }[] = []
  return {
    kind: engine.kind,
    schema: engine.schema,
    runs,
    selectRows(text, params) {
      runs.push({ text, params })
      return engine.selectRows(text, params)
    },
    close: () => Promise.resolve(),
  }
}

async function collect(
  engine: ReadEngine,
  from: number,
  to: number,
  options?: StoredSamplesOptions,
  meter = METER,
): Promise<StoredSample[]> {
  const out: StoredSample[] = []
  for await (const s of storedSamples(engine, meter, from, to, options)) out.push(s)
  return out
}

const cases = STORE_CASES

for (const c of cases) {
  describeWithService(
    c.service ?? 'none',
    c.service === null || pgUp,
    `storedSamples: ${c.name}`,
    () => {
      let target: TestTarget
      let store: Store

      beforeAll(async () => {
        target = c.target()
        store = await c.open(target, {})
        // In time order: a rows hour in live batches of 2, a block hour in one import batch.
        let stored = 0
        for (const [h, records] of [...byHour(ALL)].sort((a, b) => a[0] - b[0])) {
          const size = MODES[h] === 'rows' ? 2 : 1000
          for (let i = 0; i < records.length; i += size)
            stored += (await store.ingest.write(records.slice(i, i + size))).stored
        }
        expect(stored).toBe(ALL.length)
      }, 120_000)
      afterAll(async () => {
        await store.close()
        await target.dispose()
      })

      it('stores the hours in the intended modes', async () => {
        const hours = async (text: string): Promise<number[]> =>
          (await store.engine.selectRows(text, [])).map((r) => (Number(r[0]) - H0) / HOUR)
        expect(await hours('select hour from sample_blocks where n > 0 order by hour')).toEqual([
          1, 2, 4, 9,
        ])
        expect(await hours('select hour from sample_blocks where n = 0 order by hour')).toEqual([
          0, 3, 8,
        ])
        expect(
          await hours(`select distinct t - t % ${String(HOUR)} from sample_rows order by 1`),
        ).toEqual([0, 3, 8])
      })

      it('yields exactly the rows of the samples view, whole range and mid-hour ranges', async () => {
        const whole = await fromView(store, 0, Number.MAX_SAFE_INTEGER)
        expect(whole).toHaveLength(ALL.length)
        // Every kind of value is there: no clock, short frames, both periods, three phases.
        expect(whole.some((s) => s.clock_ms === null)).toBe(true)
        expect(whole.some((s) => s.clock_ms !== null && s.clock_ms !== s.t)).toBe(true)
        expect(whole.some((s) => s.short === 1)).toBe(true)
        expect(new Set(whole.map((s) => s.period_code))).toEqual(new Set(['hc', 'hp']))
        expect(whole.every((s) => s.va3 !== null && s.i3 !== null && s.u3 !== null)).toBe(true)
        expect(whole.some((s) => s.injected_va === null)).toBe(true)
        expect(whole.every((s) => s.export_wh !== null && s.import_wh !== null)).toBe(true)

        expect(await collect(store.engine, 0, Number.MAX_SAFE_INTEGER)).toEqual(whole)
        const twin = whole.find((s) => s.t % 1000 === 1)!.t
        const ranges: [number, number][] = [
          [H0, H0 + 10 * HOUR],
          // From inside a block hour to inside a rows hour, across the hours without data.
          [H0 + HOUR + 1_397_500, H0 + 8 * HOUR + 2_460_000],
          // From inside a rows hour to inside a block hour.
          [H0 + 3 * HOUR + 1_200_000, H0 + 4 * HOUR + 1_800_000],
          // Inside one hour of each mode; on a twin's key (1 ms after its second).
          [H0 + 2 * HOUR + 600_000, H0 + 2 * HOUR + 600_001 + 900_000],
          [H0 + 8 * HOUR + 1, H0 + 8 * HOUR + 60_000],
          [twin, twin + 1],
          [twin - 1, twin],
          // Exactly on hour boundaries.
          [H0 + HOUR, H0 + 4 * HOUR],
          [H0 + 3 * HOUR, H0 + 9 * HOUR],
        ]
        for (const [from, to] of ranges) {
          const expected = await fromView(store, from, to)
          for (const windowMs of [HOUR, 2 * HOUR, undefined, 24 * HOUR]) {
            expect(await collect(store.engine, from, to, { windowMs }), `${from}-${to}`).toEqual(
              expected,
            )
          }
        }
      })

      if (c.name === 'postgres')
        it('samples_between and registers_between answer the views over a meter and range', async () => {
          const twin = (await fromView(store, 0, Number.MAX_SAFE_INTEGER)).find(
            (s) => s.t % 1000 === 1,
          )!.t
          const ranges: [number, number][] = [
            [0, Number.MAX_SAFE_INTEGER],
            [H0 + HOUR + 1_397_500, H0 + 8 * HOUR + 2_460_000],
            [H0 + 3 * HOUR + 1_200_000, H0 + 4 * HOUR + 1_800_000],
            [H0 + 2 * HOUR + 600_000, H0 + 2 * HOUR + 600_001 + 900_000],
            [twin, twin + 1],
            [twin - 1, twin],
            [H0 + HOUR, H0 + 4 * HOUR],
            [H0 + 5 * HOUR, H0 + 8 * HOUR],
          ]
          const registers = (source: string, from: number, to: number) =>
            store.engine.selectRows(
              `select meter, register, t, value from ${source} order by t, register`,
              [METER, from, to],
            )
          for (const [from, to] of ranges) {
            const view = await fromView(store, from, to)
            expect(await fromView(store, from, to, 'samples_between(?, ?, ?)')).toEqual(view)
            expect(await registers('registers_between(?, ?, ?)', from, to)).toEqual(
              await registers('registers where meter = ? and t >= ? and t < ?', from, to),
            )
          }
          expect(
            (await fromView(store, 0, Number.MAX_SAFE_INTEGER, 'samples_between(?, ?, ?)')).length,
          ).toBe(ALL.length)
          expect(
            (await registers('registers_between(?, ?, ?)', H0, H0 + 10 * HOUR)).length,
          ).toBeGreaterThan(100)
        })

      it('reads one window of hours per query and skips the hours without data', async () => {
        const engine = recording(store.engine)
        const n = await collect(engine, 0, Number.MAX_SAFE_INTEGER, { windowMs: HOUR })
        expect(n).toHaveLength(ALL.length)
        const windows = engine.runs.filter((r) => r.text.includes(' order by '))
        for (const w of windows) {
          const [, lo, hi] = w.params as number[]
          expect(hi! - lo!).toBeLessThanOrEqual(HOUR)
        }
        // One window per stored hour, and the empty hour after each run of them (5 and 10); one
        // seek (two statements) at the start and after each empty window; and the meter's number.
        expect(windows.map((w) => ((w.params[1] as number) - H0) / HOUR)).toEqual(
          [0, 1, 2, 3, 4, 5, 8, 9, 10].flatMap((h) => [h, h]),
        )
        expect(engine.runs).toHaveLength(1 + 3 * 2 + windows.length)

        // Lazy: the first sample reads the first window only.
        const lazy = recording(store.engine)
        for await (const s of storedSamples(lazy, METER, H0 + HOUR + 5, H0 + 10 * HOUR, {
          windowMs: HOUR,
        })) {
          expect(s.t).toBeGreaterThanOrEqual(H0 + HOUR + 5)
          break
        }
        expect(lazy.runs.filter((r) => r.text.includes(' order by '))).toHaveLength(2)
      })

      it('yields nothing for an empty range or an unknown meter; checks windowMs', async () => {
        expect(await collect(store.engine, H0 + 5 * HOUR, H0 + 8 * HOUR)).toEqual([])
        expect(await collect(store.engine, H0 + 2 * HOUR, H0 + 2 * HOUR)).toEqual([])
        expect(await collect(store.engine, H0 + 3 * HOUR, H0 + 2 * HOUR)).toEqual([])
        expect(await collect(store.engine, 0, Number.MAX_SAFE_INTEGER, {}, '000000000000')).toEqual(
          [],
        )
        for (const windowMs of [0, 1000, HOUR + 1, -HOUR, Infinity])
          await expect(collect(store.engine, H0, H0 + HOUR, { windowMs })).rejects.toThrow(
            RangeError,
          )
      })
    },
  )
}
