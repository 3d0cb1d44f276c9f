import { lastValueFrom, from, toArray, EMPTY } from 'rxjs'
import type { Observable } from 'rxjs'
import { Migrator, sql } from 'kysely'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine, openStore } from '@linkyrpi/pipeline'
import { parisDayStart as localDayStart } from '@linkyrpi/tic-core'
import {
  bucketOf,
  createHistoryStore,
  migrateToLatest,
  migrationProvider,
  storeSink,
  type Store,
  type StoreRecord,
} from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, testContext, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const DAY = 86_400_000
// Two days from Saturday 2026-03-28 00:00 Paris, across the switch to summer time, one frame per 20 s.
const START = Date.UTC(2026, 2, 27, 23, 0, 0)
const INTERVAL = 20_000
const COUNT = (2 * DAY) / INTERVAL
const CHANGE_AT = START + DAY + 12 * 3_600_000
const frames = syntheticFrameArray({
  start: START,
  count: COUNT,
  intervalMs: INTERVAL,
  subscribedKva: (t) => (t < CHANGE_AT ? 9 : 12),
})
const records = frames.map((f) => ({ reading: f.reading, receivedAt: f.meta.receivedAt }))
const METER = frames[0]!.reading.meter.id!

async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of [
    'meters',
    'contracts',
    'samples',
    'registers',
    'events',
    'power_rollups',
    'energy_rollups',
  ] as const) {
    const r = await store.engine.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  const sums = await store.engine.db
    .selectFrom('power_rollups')
    .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('va_sum').as('va')])
    .executeTakeFirstOrThrow()
  out.rollupN = Number(sums.n)
  out.rollupVA = Number(sums.va)
  return out
}

function conformance(engine: string, makeTarget: () => TestTarget): void {
  let target: TestTarget
  let store: Store
  beforeAll(async () => {
    target = makeTarget()
    store = await openStore(target.target)
  })
  afterAll(async () => {
    await store?.close()
    await target?.dispose()
  })

  it('migrates once: a second open applies nothing', async () => {
    expect(store.migrated).toEqual([
      '2026_11_28_000000_initial',
      '2026_12_04_000000_energy_wh',
      '2026_12_04_000100_monthly_cost',
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
    const again = await openStore(target.target)
    expect(again.migrated).toEqual([])
    await again.close()
  })

  it('stores one sample per frame, keyed by the meter clock', async () => {
    const r = await store.ingest.write(records.slice(0, 5000))
    const r2 = await store.ingest.write(records.slice(5000))
    expect(r.stored + r2.stored).toBe(COUNT)
    expect(r.duplicates + r2.duplicates).toBe(0)
    const first = await store.engine.db
      .selectFrom('samples')
      .selectAll()
      .where('meter', '=', METER)
      .orderBy('t')
      .executeTakeFirstOrThrow()
    expect(first.t).toBe(START)
    expect(first.clock_ms).toBe(START)
    expect(first.va).toBe(frames[0]!.reading.power.apparentVA)
    expect(first.import_wh).toBe(frames[0]!.reading.energy.importWh)
    expect(first.period_index).toBe(frames[0]!.reading.period.index)
  })

  it('a replay and a redelivery never duplicate: the same rows, with a fresh writer too', async () => {
    const before = await counts(store)
    const r = await store.ingest.write(records.slice(100, 3100))
    expect(r).toEqual({ stored: 0, duplicates: 3000, unstorable: 0 })
    const fresh = await openStore(target.target)
    const r2 = await fresh.ingest.write(records)
    await fresh.close()
    expect(r2.stored).toBe(0)
    expect(await counts(store)).toEqual(before)
  })

  it('rollups equal the aggregates recomputed from samples', async () => {
    const samples = await store.engine.db
      .selectFrom('samples')
      .select(['t', 'va', 'u1'])
      .where('meter', '=', METER)
      .execute()
    for (const res of ['1m', '1h', '1d'] as const) {
      const expected = new Map<
        number,
        { n: number; sum: number; min: number; max: number; umin: number }
      >()
      for (const s of samples) {
        const b = bucketOf(res, s.t)
        const e = expected.get(b) ?? { n: 0, sum: 0, min: Infinity, max: -Infinity, umin: Infinity }
        e.n++
        e.sum += s.va!
        e.min = Math.min(e.min, s.va!)
        e.max = Math.max(e.max, s.va!)
        e.umin = Math.min(e.umin, s.u1!)
        expected.set(b, e)
      }
      const rows = await store.engine.db
        .selectFrom('power_rollups')
        .selectAll()
        .where('meter', '=', METER)
        .where('res', '=', res)
        .execute()
      expect(rows.length).toBe(expected.size)
      for (const r of rows) {
        const e = expected.get(r.bucket)!
        expect({
          n: r.n,
          sum: Number(r.va_sum),
          min: r.va_min,
          max: r.va_max,
          umin: r.u_min,
        }).toEqual({ n: e.n, sum: e.sum, min: e.min, max: e.max, umin: e.umin })
      }
    }
  })

  it('energy per day and per index equals the index deltas of the samples', async () => {
    const energy = await store.history.energy(METER, START, START + 2 * DAY, 'day')
    // Local days of the data (29 March 2026 is 23 hours long).
    const days = [...new Set(frames.map((f) => localDayStart(f.meta.receivedAt)))]
    expect(energy.map((b) => b.start)).toEqual(days)
    let prev = frames[0]!.reading.energy
    for (const [i, day] of days.entries()) {
      const end = frames.filter((f) => localDayStart(f.meta.receivedAt) === day).at(-1)!.reading
        .energy
      expect(energy[i]!.importWh).toBe(end.importWh! - prev.importWh!)
      expect(energy[i]!.byIndexWh[1] ?? 0).toBe(end.importByIndexWh[1]! - prev.importByIndexWh[1]!)
      expect(energy[i]!.byIndexWh[2] ?? 0).toBe(end.importByIndexWh[2]! - prev.importByIndexWh[2]!)
      prev = end
    }
    const month = await store.history.energy(METER, START, START + 2 * DAY, 'month')
    expect(month.map((m) => m.importWh)).toEqual([
      energy[0]!.importWh + energy[1]!.importWh + energy[2]!.importWh,
    ])
    expect(month[0]!.start).toBe(Date.UTC(2026, 1, 28, 23))
  })

  it('a contract opened and changed within one batch: the first row is written closed', async () => {
    const fresh = makeTarget()
    const one = await openStore(fresh.target)
    try {
      await one.ingest.write(records)
      const rows = await one.engine.db
        .selectFrom('contracts')
        .selectAll()
        .where('meter', '=', METER)
        .orderBy('valid_from')
        .execute()
      expect(
        rows.map((r) => [
          Number(r.valid_from),
          r.valid_to === null ? null : Number(r.valid_to),
          r.subscribed_va,
        ]),
      ).toEqual([
        [START, CHANGE_AT, 9000],
        [CHANGE_AT, null, 12000],
      ])
    } finally {
      await one.close()
      await fresh.dispose()
    }
  })

  it('a contract change closes the contract row and opens a new one', async () => {
    const rows = await store.engine.db
      .selectFrom('contracts')
      .selectAll()
      .where('meter', '=', METER)
      .orderBy('valid_from')
      .execute()
    expect(rows.map((r) => [r.valid_from, r.valid_to, r.subscribed_va])).toEqual([
      [START, CHANGE_AT, 9000],
      [CHANGE_AT, null, 12000],
    ])
    const events = await store.history.events(METER, CHANGE_AT, CHANGE_AT + 1)
    expect(events.map((e) => e.kind)).toContain('contract-change')
  })

  it('stores period changes as events, newest first', async () => {
    const events = (await store.history.events(METER, START, START + 2 * DAY)).filter(
      (e) => e.kind === 'period-change',
    )
    // HP at 06:00 and HC at 22:00 local, on each of the two days.
    expect(events.length).toBe(4)
    expect(events[0]!.t).toBeGreaterThan(events[1]!.t)
    // Newest first: HC (22:00) on the 29th, HP (06:00) on the 29th, HC and HP on the 28th.
    expect(events.map((e) => e.detail.to)).toEqual([1, 2, 1, 2])
  })

  it('serves meters, the latest reading and power curves at every resolution', async () => {
    const meters = await store.history.meters()
    expect(meters).toEqual([
      {
        id: METER,
        prm: '09876543210123',
        mode: 'standard',
        phases: 1,
        producer: false,
        firstSeen: START,
        lastSeen: START + (COUNT - 1) * INTERVAL,
      },
    ])
    const latest = await store.history.latest(METER)
    expect(latest?.t).toBe(START + (COUNT - 1) * INTERVAL)
    expect(latest?.reading.energy.importWh).toBe(frames.at(-1)!.reading.energy.importWh)
    expect(await store.history.latest('000000000000')).toBeNull()
    const raw = await store.history.samples(METER, START, START + 3_600_000, 'raw')
    expect(raw.length).toBe(3_600_000 / INTERVAL)
    expect(raw[0]).toMatchObject({ t: START, avgVA: frames[0]!.reading.power.apparentVA })
    const hourly = await store.history.samples(METER, START, START + DAY, '1h')
    expect(hourly.length).toBe(24)
    const auto = await store.history.samples(METER, START, START + 2 * DAY, 'auto')
    expect(auto.length).toBe(2 * 24 * 60)
    expect(auto[0]!.t).toBe(START)
  })

  it('counts frames without a meter id as unstorable', async () => {
    const noId = {
      ...records[0]!,
      reading: { ...records[0]!.reading, meter: { ...records[0]!.reading.meter, id: null } },
    }
    expect(await store.ingest.write([noId])).toEqual({ stored: 0, duplicates: 0, unstorable: 1 })
  })

  it('keys historique frames (no clock) by receive time', async () => {
    const hist = syntheticFrameArray({
      start: START,
      count: 50,
      intervalMs: 1500,
      mode: 'historique',
      meter: '031762120123',
    })
    const r = await store.ingest.write(
      hist.map((f) => ({ reading: f.reading, receivedAt: f.meta.receivedAt })),
    )
    expect(r.stored).toBe(50)
    const s = await store.engine.db
      .selectFrom('samples')
      .selectAll()
      .where('meter', '=', '031762120123')
      .orderBy('t')
      .execute()
    expect(s.map((x) => x.t)).toEqual(hist.map((f) => f.meta.receivedAt))
    expect(s[0]!.clock_ms).toBeNull()
    const c = await store.engine.db
      .selectFrom('contracts')
      .selectAll()
      .where('meter', '=', '031762120123')
      .execute()
    expect(c).toMatchObject([
      { option: 'hc', option_label: 'HC..', subscribed_va: 9000, hhphc: 'A' },
    ])
  })

  it('the sink acknowledges every frame once, in order, and completes', async () => {
    const ctx = testContext('store-sink')
    const more = syntheticFrameArray({
      start: START + 2 * DAY,
      count: 700,
      intervalMs: INTERVAL,
      firstSeq: 1,
    })
    const acks = await lastValueFrom(
      storeSink(
        () => openStore(target.target),
        { batchSize: 256, flushMs: 50, spool: { dir: `${target.dir}/spool` }, retentionDays: 0 },
        ctx,
      )(from(more)).pipe(toArray()),
    )
    expect(acks.map((a) => a.seq)).toEqual(more.map((f) => f.meta.seq))
    expect(acks.every((a) => a.sink === 'store-sink')).toBe(true)
    const n = await store.engine.db
      .selectFrom('samples')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('t', '>=', START + 2 * DAY)
      .where('meter', '=', METER)
      .executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(700)
  })

  it('the sink completes without error on empty input', async () => {
    const acks = await lastValueFrom(
      storeSink(
        () => openStore(target.target),
        { spool: { dir: `${target.dir}/spool` }, retentionDays: 0 },
        testContext(),
      )(EMPTY as Observable<PipelineFrame>).pipe(toArray()),
    )
    expect(acks).toEqual([])
  })

  it('stores two frames sent within one meter clock second 1 ms apart; replays and redeliveries add nothing', async () => {
    // One frame every 500 ms: two frames per clock second (DATE counts seconds), distinct receive times.
    const meter = '021861340500'
    const six = syntheticFrameArray({ start: START, count: 6, intervalMs: 500, meter }).map(
      (f) => ({ reading: f.reading, receivedAt: f.meta.receivedAt }),
    )
    const keysOf = async (): Promise<[number, number | null, number][]> =>
      (
        await store.engine.db
          .selectFrom('samples')
          .select(['t', 'clock_ms', 'received_at'])
          .where('meter', '=', meter)
          .orderBy('t')
          .execute()
      ).map((r) => [
        Number(r.t),
        r.clock_ms === null ? null : Number(r.clock_ms),
        Number(r.received_at),
      ])
    // A first writer stores three frames, then "crashes"; a fresh one gets the third again (a redelivery) and the rest.
    expect((await store.ingest.write(six.slice(0, 3))).stored).toBe(3)
    const fresh = await openStore(target.target)
    try {
      expect(await fresh.ingest.write(six.slice(2))).toEqual({
        stored: 3,
        duplicates: 1,
        unstorable: 0,
      })
      // A frame redelivered right after its second's other frame, a whole replay, and the same from a fresh writer.
      expect(await fresh.ingest.write([six[4]!])).toEqual({
        stored: 0,
        duplicates: 1,
        unstorable: 0,
      })
      expect((await fresh.ingest.write(six)).stored).toBe(0)
    } finally {
      await fresh.close()
    }
    const again = await openStore(target.target)
    try {
      expect((await again.ingest.write(six)).stored).toBe(0)
    } finally {
      await again.close()
    }
    expect(await keysOf()).toEqual([
      [START, START, START],
      [START + 1, START, START + 500],
      [START + 1000, START + 1000, START + 1000],
      [START + 1001, START + 1000, START + 1500],
      [START + 2000, START + 2000, START + 2000],
      [START + 2001, START + 2000, START + 2500],
    ])
  })

  it('a fresh writer takes over many meters in one batch: contracts, events and rollups carry on', async () => {
    const ids = ['021861341001', '021861341002', '021861341003']
    // 07:00 → 05:00 Paris the next day at 20 s: the writer changes at 22:00, when HC starts.
    const from = START + DAY + 6 * 3_600_000
    const all = ids
      .flatMap((meter) =>
        syntheticFrameArray({ start: from, count: 3600, intervalMs: INTERVAL, meter }),
      )
      .map((f) => ({ reading: f.reading, receivedAt: f.meta.receivedAt }))
      .sort((a, b) => a.receivedAt - b.receivedAt)
    const split = all.findIndex((r) => r.receivedAt >= from + 15 * 3_600_000)
    expect(all[split]!.reading.period.code).toBe('hc')
    expect(all[split - 1]!.reading.period.code).toBe('hp')
    expect((await store.ingest.write(all.slice(0, split))).stored).toBe(split)
    const fresh = await openStore(target.target)
    try {
      expect((await fresh.ingest.write(all.slice(split))).stored).toBe(all.length - split)
    } finally {
      await fresh.close()
    }
    for (const meter of ids) {
      const contracts = await store.engine.db
        .selectFrom('contracts')
        .select('valid_from')
        .where('meter', '=', meter)
        .execute()
      expect(contracts.map((c) => Number(c.valid_from))).toEqual([from])
      const events = await store.history.events(meter, from, from + DAY)
      // The HC start at 22:00 is found across the change of writer (the previous frame was loaded).
      expect(events.map((e) => [e.kind, e.t])).toEqual([['period-change', from + 15 * 3_600_000]])
      const n = await store.engine.db
        .selectFrom('power_rollups')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('meter', '=', meter)
        .where('res', '=', '1h')
        .executeTakeFirstOrThrow()
      expect(Number(n.n)).toBe(3600)
    }
  })

  it('serves the per-phase and injected power of a three-phase producer at full resolution, and none for a single-phase meter', async () => {
    const sim = createMeterSimulator({
      mode: 'standard',
      phases: 3,
      producer: true,
      pvPeakW: 9000,
      heating: false,
      seed: 11,
      start: START + 12 * 3_600_000,
      intervalMs: 2000,
    })
    const decoder = createTicDecoder({ reading: true })
    const recs: StoreRecord[] = []
    while (recs.length < 200) {
      const f = sim.next()
      for (const e of decoder.push(f.bytes))
        if (e.kind === 'frame' && e.frame.reading !== undefined)
          recs.push({ reading: e.frame.reading, receivedAt: f.at })
    }
    const meter = recs[0]!.reading.meter.id!
    expect((await store.ingest.write(recs)).stored).toBe(200)
    const from = Date.parse(recs[0]!.reading.time!)
    const raw = await store.history.samples(meter, from, from + 3_600_000, 'raw')
    expect(raw.length).toBe(200)
    expect(raw.map((p) => [p.avgVA, p.avgVAByPhase, p.avgInjectedVA])).toEqual(
      recs.map((r) => [
        r.reading.power.apparentVA,
        r.reading.power.apparentVAByPhase,
        r.reading.power.injectedVA,
      ]),
    )
    expect(raw.some((p) => (p.avgInjectedVA ?? 0) > 0)).toBe(true)
    const mono = await store.history.samples(METER, START, START + 3_600_000, 'raw')
    expect(mono.every((p) => p.avgVAByPhase === null && p.avgInjectedVA === null)).toBe(true)
  })

  it('stores any text as sent: quotes, backslashes, braces, accents and new lines in a message', async () => {
    const text = 'say "hi" \\ {a,b} NULL é€\n\t end'
    const two = syntheticFrameArray({
      start: START,
      count: 2,
      intervalMs: INTERVAL,
      meter: '021861340007',
    })
    const recs = two.map((f, i) => ({
      receivedAt: f.meta.receivedAt,
      reading: i === 0 ? f.reading : { ...f.reading, messages: { msg1: text, msg2: null } },
    }))
    expect((await store.ingest.write(recs)).stored).toBe(2)
    const events = await store.history.events('021861340007', START, START + DAY)
    expect(events.find((e) => e.kind === 'message')?.detail).toEqual({ msg1: text, msg2: null })
    expect((await store.history.latest('021861340007'))?.reading.messages.msg1).toBe(text)
  })

  it('retention deletes old samples and registers but keeps rollups', async () => {
    const before = await counts(store)
    const r = await store.applyRetention(START + DAY + 30 * DAY, 30)
    expect(r.samples).toBeGreaterThan(0)
    const after = await counts(store)
    expect(after.samples).toBe(before.samples! - r.samples)
    expect(after.power_rollups).toBe(before.power_rollups)
    expect(after.energy_rollups).toBe(before.energy_rollups)
    const left = await store.engine.db
      .selectFrom('samples')
      .select((eb) => eb.fn.min('t').as('t'))
      .executeTakeFirstOrThrow()
    expect(Number(left.t)).toBeGreaterThanOrEqual(START + DAY)
  })
}

describe('store conformance: sqlite', () => conformance('sqlite', sqliteTarget))
describeWithService('postgresql', pgUp, 'store conformance: postgres', () =>
  conformance('postgres', () => postgresTarget()),
)

/**
 * The energy a register's values give, by local day: increments between consecutive values in
 * time order, a drop counting 0 (the oracle of the store's `register-reset` handling).
 */
function expectedDaily(
  rs: readonly StoreRecord[],
): Map<number, { importWh: number; byIndexWh: Record<number, number> }> {
  const out = new Map<number, { importWh: number; byIndexWh: Record<number, number> }>()
  const sorted = [...rs].sort((a, b) => a.receivedAt - b.receivedAt)
  for (let i = 0; i < sorted.length; i++) {
    const day = localDayStart(sorted[i]!.receivedAt)
    let d = out.get(day)
    if (d === undefined) out.set(day, (d = { importWh: 0, byIndexWh: {} }))
    if (i === 0) continue
    const a = sorted[i - 1]!.reading.energy
    const b = sorted[i]!.reading.energy
    d.importWh += Math.max(0, b.importWh! - a.importWh!)
    for (const n of [1, 2]) {
      const wh = Math.max(0, b.importByIndexWh[n]! - a.importByIndexWh[n]!)
      if (wh > 0 || n in d.byIndexWh) d.byIndexWh[n] = (d.byIndexWh[n] ?? 0) + wh
    }
  }
  return out
}

/** Every day of `energy` as the oracle gives it (indexes with no energy are left out by both). */
function asOracle(
  energy: readonly { start: number; importWh: number; byIndexWh: Record<number, number> }[],
): Map<number, { importWh: number; byIndexWh: Record<number, number> }> {
  return new Map(
    energy.map((e) => [
      e.start,
      {
        importWh: e.importWh,
        byIndexWh: Object.fromEntries(Object.entries(e.byIndexWh).filter(([, wh]) => wh > 0)),
      },
    ]),
  )
}

const clean = (
  m: Map<number, { importWh: number; byIndexWh: Record<number, number> }>,
): Map<number, { importWh: number; byIndexWh: Record<number, number> }> =>
  new Map(
    [...m].map(([k, v]) => [
      k,
      {
        importWh: v.importWh,
        byIndexWh: Object.fromEntries(Object.entries(v.byIndexWh).filter(([, wh]) => wh > 0)),
      },
    ]),
  )

const recordsOf = (options: Parameters<typeof syntheticFrameArray>[0]): StoreRecord[] =>
  syntheticFrameArray(options).map((f) => ({ reading: f.reading, receivedAt: f.meta.receivedAt }))

async function writeInBatches(store: Store, rs: readonly StoreRecord[], size = 700): Promise<void> {
  for (let i = 0; i < rs.length; i += size) await store.ingest.write(rs.slice(i, i + size))
}

/** An index that goes down never gives a negative energy (issue 11 §3). */
function registerResets(makeTarget: () => TestTarget): void {
  let target: TestTarget
  beforeAll(() => {
    target = makeTarget()
  })
  afterAll(async () => {
    await target?.dispose()
  })
  // Winter days from Saturday 2026-01-10 00:00 Paris, one frame a minute.
  const T0 = Date.UTC(2026, 0, 9, 23)
  const MIN = 60_000

  async function negatives(store: Store): Promise<number> {
    const rollups = await store.engine.db
      .selectFrom('energy_rollups')
      .select('energy_wh')
      .where('energy_wh', '<', 0)
      .execute()
    const view = await sql<{
      n: number
    }>`select count(*) as n from daily_energy where energy_wh < 0`.execute(store.engine.db)
    return rollups.length + Number(view.rows[0]!.n)
  }

  it('a meter that restarts its indexes (simulator restart, app restarted too): a register-reset event, energy counted from the new value, never negative', async () => {
    const meter = '021861348601'
    // 1.5 days, then the "meter" restarts at noon with the indexes it started from.
    const a = recordsOf({ meter, start: T0, count: 36 * 60, intervalMs: MIN, mode: 'standard' })
    const b = recordsOf({
      meter,
      start: T0 + 36 * 60 * MIN,
      count: 36 * 60,
      intervalMs: MIN,
      mode: 'standard',
    })
    expect(b[0]!.reading.energy.importWh).toBeLessThan(a.at(-1)!.reading.energy.importWh!)
    const first = await openStore(target.target)
    await writeInBatches(first, a)
    await first.close()
    const store = await openStore(target.target)
    try {
      await writeInBatches(store, b)
      const energy = await store.history.energy(meter, T0, T0 + 4 * DAY, 'day')
      expect(energy.length).toBe(3)
      for (const d of energy) {
        expect(d.importWh).toBeGreaterThan(0)
        for (const wh of Object.values(d.byIndexWh)) expect(wh).toBeGreaterThanOrEqual(0)
      }
      expect(asOracle(energy)).toEqual(clean(expectedDaily([...a, ...b])))
      const events = await store.history.events(meter, T0, T0 + 4 * DAY)
      const resets = events.filter((e) => e.kind === 'register-reset')
      expect(resets.map((e) => e.t)).toEqual([
        b[0]!.reading.time === null ? b[0]!.receivedAt : Date.parse(b[0]!.reading.time),
      ])
      const regs = (
        resets[0]!.detail as { registers: { register: string; from: number; to: number }[] }
      ).registers
      expect(regs.find((r) => r.register === 'import')).toMatchObject({
        from: a.at(-1)!.reading.energy.importWh,
        to: b[0]!.reading.energy.importWh,
      })
      expect(regs.map((r) => r.register).sort()).toEqual(['d1', 'import', 's01', 's02'])
      const month = await store.history.energy(meter, T0, T0 + 4 * DAY, 'month')
      expect(month[0]!.importWh).toBe(energy.reduce((x, d) => x + d.importWh, 0))
      expect(await negatives(store)).toBe(0)
    } finally {
      await store.close()
    }
  })

  it('an older history imported into the same meter id (higher or lower indexes) counts its own days and changes no other day', async () => {
    const meter = '021861348602'
    const live = recordsOf({
      meter,
      start: T0 + 20 * DAY,
      count: 2 * 24 * 60,
      intervalMs: MIN,
      mode: 'historique',
    })
    const higher = recordsOf({
      meter,
      start: T0 + 10 * DAY,
      count: 24 * 60,
      intervalMs: MIN,
      mode: 'historique',
      initialWh: [50_000_000, 60_000_000],
    })
    const lower = recordsOf({
      meter,
      start: T0,
      count: 24 * 60,
      intervalMs: MIN,
      mode: 'historique',
      initialWh: [10, 20],
    })
    let store = await openStore(target.target)
    try {
      await writeInBatches(store, live)
      const before = await store.history.energy(meter, T0 + 20 * DAY, T0 + 30 * DAY, 'day')
      await store.close()
      // Each import as `replay --store` does it: a process of its own.
      for (const older of [higher, lower]) {
        store = await openStore(target.target)
        await writeInBatches(store, older)
        await store.close()
      }
      store = await openStore(target.target)
      expect(await store.history.energy(meter, T0 + 20 * DAY, T0 + 30 * DAY, 'day')).toEqual(before)
      for (const older of [higher, lower]) {
        const days = await store.history.energy(
          meter,
          older[0]!.receivedAt - DAY,
          older.at(-1)!.receivedAt + DAY,
          'day',
        )
        expect(asOracle(days)).toEqual(clean(expectedDaily(older)))
      }
      // The live frames after the imports go on from the live indexes.
      const more = recordsOf({
        meter,
        start: T0 + 22 * DAY,
        count: 60,
        intervalMs: MIN,
        mode: 'historique',
        initialWh: [
          live.at(-1)!.reading.energy.importByIndexWh[1]!,
          live.at(-1)!.reading.energy.importByIndexWh[2]!,
        ],
      })
      await store.ingest.write(more)
      const after = await store.history.energy(meter, T0 + 22 * DAY, T0 + 23 * DAY, 'day')
      expect(after[0]!.importWh).toBe(
        more.at(-1)!.reading.energy.importWh! - live.at(-1)!.reading.energy.importWh!,
      )
      expect(
        (await store.history.events(meter, T0, T0 + 30 * DAY)).filter(
          (e) => e.kind === 'register-reset',
        ),
      ).toEqual([])
      expect(await negatives(store)).toBe(0)
    } finally {
      await store.close()
    }
  })

  it('frames out of order count nothing twice and are no reset', async () => {
    const meter = '021861348603'
    const rs = recordsOf({ meter, start: T0, count: 600, intervalMs: MIN, mode: 'historique' })
    const shuffled = [...rs]
    // Every tenth frame arrives three frames late.
    for (let i = 10; i + 3 < shuffled.length; i += 10)
      shuffled.splice(i + 3, 0, ...shuffled.splice(i, 1))
    const store = await openStore(target.target)
    try {
      await writeInBatches(store, shuffled, 97)
      const energy = await store.history.energy(meter, T0, T0 + DAY, 'day')
      expect(energy[0]!.importWh).toBe(
        rs.at(-1)!.reading.energy.importWh! - rs[0]!.reading.energy.importWh!,
      )
      expect(
        (await store.history.events(meter, T0, T0 + DAY)).filter(
          (e) => e.kind === 'register-reset',
        ),
      ).toEqual([])
    } finally {
      await store.close()
    }
  })
}

/** A store written before `energy_wh` existed keeps its days, and a drop there counts 0, not less. */
function energyWhMigration(makeTarget: () => TestTarget): void {
  it('the energy_wh migration fills existing rollups with the previous formula, negative results as 0', async () => {
    const target = makeTarget()
    const engine = await openEngine(target.target)
    try {
      const migrator = new Migrator({
        db: engine.db,
        provider: migrationProvider,
        ...(engine.schema === null ? {} : { migrationTableSchema: engine.schema }),
      })
      expect((await migrator.migrateTo('2026_11_28_000000_initial')).error).toBeUndefined()
      const D0 = Date.UTC(2026, 0, 9, 23)
      // Day 1: 1000 → 1500; day 2: the meter replaced, 20 → 70; day 3: 70 → 100.
      const rows = [
        [D0, 1000, 1500],
        [D0 + DAY, 20, 70],
        [D0 + 2 * DAY, 70, 100],
      ].map(([bucket, min, max]) => ({
        meter: 'M',
        res: '1d',
        register: 'import',
        bucket: bucket!,
        min_wh: min!,
        max_wh: max!,
      }))
      await (engine.db as unknown as Kysely<{ energy_rollups: (typeof rows)[number] }>)
        .insertInto('energy_rollups')
        .values(rows)
        .execute()
      const before = await sql<{
        energy_wh: number
      }>`select energy_wh from daily_energy order by day_start`.execute(engine.db)
      expect(before.rows.map((r) => Number(r.energy_wh))).toEqual([500, -1430, 30])
      expect((await migrateToLatest(engine.db, { schema: engine.schema })).applied).toEqual([
        '2026_12_04_000000_energy_wh',
        '2026_12_04_000100_monthly_cost',
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
      const after = await sql<{
        energy_wh: number
      }>`select energy_wh from daily_energy order by day_start`.execute(engine.db)
      expect(after.rows.map((r) => Number(r.energy_wh))).toEqual([500, 0, 30])
      const history = createHistoryStore(engine)
      expect((await history.energy('M', D0, D0 + 3 * DAY, 'day')).map((d) => d.importWh)).toEqual([
        500, 0, 30,
      ])
    } finally {
      await engine.close()
      await target.dispose()
    }
  })
}

describe('store energy_wh migration: sqlite', () => energyWhMigration(sqliteTarget))
describeWithService('postgresql', pgUp, 'store energy_wh migration: postgres', () =>
  energyWhMigration(() => postgresTarget()),
)

describe('store register resets: sqlite', () => registerResets(sqliteTarget))
describeWithService('postgresql', pgUp, 'store register resets: postgres', () =>
  registerResets(() => postgresTarget()),
)

// PostgreSQL writes samples without a conflict clause after looking up the keys of the batch; a
// second writer of the same keys must still leave every frame once (and its rollups counted once).
// SQLite serialises writers with `begin immediate`, so the race only exists on PostgreSQL.
describeWithService('postgresql', pgUp, 'store: concurrent writers on postgres', () => {
  let target: TestTarget
  beforeAll(() => {
    target = postgresTarget()
  })
  afterAll(async () => {
    await target?.dispose()
  })

  it('two writers storing the same frames at once store each frame once', async () => {
    const [a, b] = [await openStore(target.target), await openStore(target.target)]
    try {
      const batches = [records.slice(0, 3000), records.slice(3000, 6000), records.slice(6000)]
      const results = await Promise.all([
        (async () => {
          let stored = 0
          for (const batch of batches) stored += (await a.ingest.write(batch)).stored
          return stored
        })(),
        (async () => {
          let stored = 0
          for (const batch of batches) stored += (await b.ingest.write(batch)).stored
          return stored
        })(),
      ])
      expect(results[0] + results[1]).toBe(COUNT)
      const c = await counts(a)
      expect(c.samples).toBe(COUNT)
      expect(c.rollupN).toBe(3 * COUNT)
      const dup = await a.engine.db
        .selectFrom('registers')
        .select(['register', 't'])
        .groupBy(['register', 't'])
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute()
      expect(dup).toEqual([])
    } finally {
      await a.close()
      await b.close()
    }
  })
})
