// The store's writer with many meters at one frame each per step (run `pnpm build` first):
// BENCH_METERS meters (10000) each send a frame every BENCH_STEP_MS (1000 ms of data time) for
// BENCH_STEPS steps (12), written in batches of BENCH_BATCH frames (5000), into PostgreSQL
// (LINKY_PG_URL, its own schema, dropped at the end). With more meters than a batch holds, each
// batch has about one frame per meter, as a server storing thousands of meters has. Prints one
// JSON line: wall and client CPU µs per frame, the median and longest batch (ms: the longest shows
// a stall such as the hourly fold), load, and the wall time per frame of each kind of statement.
// The PostgreSQL engine sends writes whose result nobody reads without waiting for them, so a
// statement's time there is mostly counted at the next statement that is waited for: read the
// per-statement figures as where the writer waits, not what each statement costs. Readings vary
// (power, indexes moving), so registers change as on a real meter. BENCH_LANES sets the writer's
// concurrent transactions (IngestOptions.lanes). BENCH_STEP_MS=60000 BENCH_STEPS=130 crosses two
// hours of data and so times the hourly folds. To compare two builds, run this file from each
// checkout.
import { loadavg } from 'node:os'
import { sql } from 'kysely'
import { openPostgresStore } from '../../sink-postgres/dist/index.js'
import { syntheticFrames, syntheticOffPeak, syntheticPowerVA } from '../dist/testing/index.js'
import { formatHorodate, parseHorodate } from '@linkyrpi/tic-core'

const env = process.env
const M = Number(env.BENCH_METERS ?? 10_000)
const B = Number(env.BENCH_BATCH ?? 5000)
const STEPS = Number(env.BENCH_STEPS ?? 12)
const STEP = Number(env.BENCH_STEP_MS ?? 1000)
const URL = env.LINKY_PG_URL ?? 'postgres://root@127.0.0.1:5432/test'
const SCHEMA = `bench_ingest_${process.pid}`
const START = Date.UTC(2026, 11, 4, 10, 58, 30)
const template = syntheticFrames({ start: START, count: 1 }).next().value.reading
const meters = Array.from({ length: M }, (_, i) => ({
  id: String(100_000_000_000 + i),
  hc: 1e6 + i,
  hp: 2e6,
}))

/** Meter `i`'s reading at `t`: power varies, the counting index moves by the energy since the last. */
function record(i, t) {
  const s = meters[i]
  const va = syntheticPowerVA(t) + (i % 500)
  const off = syntheticOffPeak(t)
  const wh = (va * STEP) / 3_600_000
  if (off) s.hc += wh
  else s.hp += wh
  const h = Math.floor(s.hc)
  const p = Math.floor(s.hp)
  return {
    receivedAt: t + 200,
    reading: {
      ...template,
      meter: { ...template.meter, id: s.id },
      time: parseHorodate(formatHorodate(t)).iso,
      period: { ...template.period, index: off ? 1 : 2, code: off ? 'hc' : 'hp' },
      energy: {
        ...template.energy,
        importWh: h + p,
        importByIndexWh: { 1: h, 2: p },
        distributorByIndexWh: { 1: h + p },
      },
      power: { ...template.power, apparentVA: va },
      current: { ...template.current, rmsA: [Math.round(va / 230)] },
      voltage: { ...template.voltage, rmsV: [228 + (i % 7)] },
    },
  }
}

// BENCH_LANES: concurrent transactions per batch (IngestOptions.lanes; unset: the default).
const store = await openPostgresStore(URL, {
  schema: SCHEMA,
  restartEvents: true,
  ...(env.BENCH_LANES === undefined ? {} : { lanes: Number(env.BENCH_LANES) }),
})
// Wall time of each kind of statement, summed over the measured batches.
const times = new Map()
const timed = (name, p) => {
  const t0 = performance.now()
  return p.finally(() => times.set(name, (times.get(name) ?? 0) + performance.now() - t0))
}
const transaction = store.engine.transaction.bind(store.engine)
store.engine.transaction = (fn) =>
  transaction((tx) =>
    fn({
      insert: (table, rows, c) => timed(`insert ${table}`, tx.insert(table, rows, c)),
      insertNew: (table, rows, c) => timed(`insert ${table}`, tx.insertNew(table, rows, c)),
      upsert: (table, rows, c) => timed(`upsert ${table}`, tx.upsert(table, rows, c)),
      query: (text, p) =>
        timed(`query ${text.replace(/\s+/g, ' ').slice(0, 50)}`, tx.query(text, p)),
    }),
  )
let batch = []
let wall = 0
let cpu = 0
let frames = 0
/** Wall time of each measured batch (ms): the longest shows a stall (the hourly fold). */
const batchMs = []
const flush = async (measured) => {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await store.ingest.write(batch)
  const c = process.cpuUsage(c0)
  if (measured) {
    batchMs.push(performance.now() - t0)
    wall += performance.now() - t0
    cpu += (c.user + c.system) / 1000
    frames += batch.length
  }
  batch = []
}
try {
  // The first frame of every meter (meter rows, contracts) is not measured.
  for (let i = 0; i < M; i++) batch.push(record(i, START))
  await flush(false)
  times.clear()
  for (let s = 1; s <= STEPS; s++)
    for (let i = 0; i < M; i++) {
      batch.push(record(i, START + s * STEP + Math.floor((i * 1000) / M)))
      if (batch.length >= B) await flush(true)
    }
  if (batch.length > 0) await flush(true)
  const us = (ms) => Number(((1000 * ms) / frames).toFixed(1))
  console.log(
    JSON.stringify({
      bench: 'store.ingest-many-meters',
      meters: M,
      batchFrames: B,
      frames,
      wallUsPerFrame: us(wall),
      clientCpuUsPerFrame: us(cpu),
      batchMsP50: Math.round(batchMs.sort((a, b) => a - b)[Math.floor(batchMs.length / 2)]),
      batchMsMax: Math.round(batchMs.at(-1)),
      statementsWallUsPerFrame: Object.fromEntries(
        [...times].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, us(v)]),
      ),
      load1: Number(loadavg()[0].toFixed(2)),
    }),
  )
} finally {
  await sql.raw(`drop schema ${SCHEMA} cascade`).execute(store.engine.db)
  await store.close()
}
