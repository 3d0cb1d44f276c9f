// Storage benchmarks against the built package (run `pnpm build` first), both engines. Prints JSON
// lines: import rate (frames/s), bytes on disk per meter-year at the default retention, and the
// latency of the two reference queries. A year at one frame per 2 s is 15.8 M frames; importing
// that in every benchmark run is too slow, so the import runs on BENCH_FRAMES frames (default
// 200,000, 4.6 days) and the year figures are extrapolated from it, as each line says
// (BENCH_FRAMES=15768000 imports the whole year: ~2 min SQLite, ~4 min PostgreSQL). The query
// over one year uses a year of data at one frame per 5 minutes (same number of daily rollup rows).
// Every line carries the 1-minute load average: on a shared machine wall-clock figures stretch,
// so import lines also give frames per CPU-second and query lines the CPU milliseconds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir, loadavg } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
// The engines live in the sink packages (this package has no driver); the benchmark loads their
// builds the way the pipeline's openStore does.
import { applySqlitePragmas, openSqliteStore } from '../../sink-sqlite/dist/index.js'
import { openPostgresStore } from '../../sink-postgres/dist/index.js'
import { syntheticFrames, syntheticOffPeak, syntheticPowerVA } from '../dist/testing/index.js'
import { formatHorodate, parseHorodate, parisDayStart as localDayStart } from '@linkyrpi/tic-core'

const requireSqlite = createRequire(new URL('../../sink-sqlite/package.json', import.meta.url))
const FRAMES = Number(process.env.BENCH_FRAMES ?? 200_000)
// BENCH_BLOCK_MIN: the store's blockMinFrames (default 64: the import writes sample blocks;
// `Infinity`: one row per frame, as a live store writes them — for the bytes of a live store).
const BLOCK_MIN = Number(process.env.BENCH_BLOCK_MIN ?? 64)
// BENCH_ENGINES=sqlite or =postgres runs one engine only (default both; see the end of the file).
const PG_URL = process.env.LINKY_PG_URL ?? 'postgres://root@127.0.0.1:5432/test'
// Prefix of the scratch PostgreSQL schema (dropped at the end): one per user of a shared server.
const PG_SCHEMA_PREFIX = process.env.BENCH_PG_SCHEMA_PREFIX ?? 'bench'
const YEAR_FRAMES_2S = (365 * 86_400) / 2
const START = Date.UTC(2025, 11, 31, 23) // 2026-01-01 00:00 Paris
const emit = (o) =>
  process.stdout.write(`${JSON.stringify({ ...o, load1: Number(loadavg()[0].toFixed(2)) })}\n`)

// Readings with the decoder's exact shape (a decoded template), values varied per frame: building
// them costs ~1 µs, so the benchmark measures the store, not frame generation.
const template = syntheticFrames({ start: START, count: 1 }).next().value.reading
function* readings(meter, start, count, intervalMs) {
  let hc = 1_000_000
  let hp = 2_000_000
  for (let i = 0; i < count; i++) {
    const t = start + i * intervalMs
    const va = syntheticPowerVA(t)
    const off = syntheticOffPeak(t)
    const wh = (va * intervalMs) / 3_600_000
    if (i > 0) off ? (hc += wh) : (hp += wh)
    const h = Math.floor(hc)
    const p = Math.floor(hp)
    yield {
      receivedAt: t,
      reading: {
        ...template,
        meter: { ...template.meter, id: meter },
        time: parseHorodate(formatHorodate(t)).iso,
        period: {
          ...template.period,
          index: off ? 1 : 2,
          label: off ? 'HEURE  CREUSE' : 'HEURE  PLEINE',
          code: off ? 'hc' : 'hp',
        },
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
}

/**
 * CPU milliseconds the PostgreSQL backend of the store's write connection has used, or null when
 * that process cannot be read (a server on another machine). The import's writes run on one pooled
 * connection (one transaction at a time, the pool hands back the same idle client).
 */
async function serverCpuMs(store) {
  if (store.engine.kind !== 'postgres') return null
  const [{ pid }] = await store.engine.transaction((tx) =>
    tx.query('select pg_backend_pid() as pid', []),
  )
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return { pid, ms: (Number(f[11]) + Number(f[12])) * 10 } // utime + stime, 100 ticks/s
  } catch {
    return null
  }
}

/**
 * Imports frames in batches; times only the writes (wall clock and this process's CPU, and on a
 * local PostgreSQL its backend's CPU: figures that a loaded machine stretches much less).
 */
async function importAll(store, meter, start, count, intervalMs, batchSize = 5000) {
  const server0 = await serverCpuMs(store)
  let batch = []
  let wall = 0
  let cpu = 0
  const write = async () => {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await store.ingest.write(batch)
    wall += performance.now() - t0
    const c = process.cpuUsage(c0)
    cpu += (c.user + c.system) / 1000
    batch = []
  }
  for (const r of readings(meter, start, count, intervalMs)) {
    batch.push(r)
    if (batch.length === batchSize) await write()
  }
  if (batch.length > 0) await write()
  const server1 = await serverCpuMs(store)
  const serverCpuSeconds =
    server0 !== null && server1 !== null && server1.pid === server0.pid
      ? (server1.ms - server0.ms) / 1000
      : null
  return { seconds: wall / 1000, cpuSeconds: cpu / 1000, serverCpuSeconds }
}

/** Median wall-clock and CPU (this process) milliseconds of `fn` over `runs` runs. */
async function median(fn, runs = 15) {
  const wall = []
  const cpu = []
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    wall.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  wall.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  return {
    ms: Number(wall[Math.floor(runs / 2)].toFixed(2)),
    cpuMs: Number(cpu[Math.floor(runs / 2)].toFixed(2)),
  }
}

/**
 * The plain-insert ceiling of this machine, measured in the same run as the import: FRAMES rows
 * of the sample table's shape, in batches of 5000 like the import, into a scratch table with the
 * same key. PostgreSQL: one `insert … select from unnest` of array literals per batch; SQLite: a
 * prepared insert in a loop, one transaction per batch. No ingest logic, no rollups.
 */
async function plainInsertCeiling(store, path) {
  const db = store.engine.db
  const cols = [
    'm',
    't',
    'rx',
    'flags',
    'va',
    'i1',
    'u1',
    'period_index',
    'period_code',
    'import_wh',
  ]
  await sql
    .raw(
      `create table ceiling (${cols.map((c) => `${c} bigint${c === 'm' || c === 't' ? ' not null' : ''}`).join(', ')}, primary key (m, t))${store.engine.kind === 'sqlite' ? ' without rowid' : ''}`,
    )
    .execute(db)
  const batches = []
  for (let i = 0; i < FRAMES; i += 5000) {
    const rows = []
    for (let k = i; k < Math.min(FRAMES, i + 5000); k++)
      rows.push([
        1,
        START + k * 2000,
        0,
        1,
        500 + (k % 3000),
        2 + (k % 10),
        230,
        1 + (k % 2),
        2,
        1_000_000 + k,
      ])
    batches.push(rows)
  }
  let seconds
  if (store.engine.kind === 'sqlite') {
    // A second connection to the same file, with the store's pragmas: better-sqlite3 itself.
    const Database = requireSqlite('better-sqlite3')
    const raw = new Database(path)
    applySqlitePragmas(raw)
    const insert = raw.prepare(
      `insert into ceiling (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`,
    )
    const many = raw.transaction((rows) => {
      for (const r of rows) insert.run(r)
    })
    const start = performance.now()
    for (const rows of batches) many.immediate(rows)
    seconds = (performance.now() - start) / 1000
    raw.close()
  } else {
    const lit = (rows, c) => `{${rows.map((r) => r[c]).join(',')}}`
    const start = performance.now()
    for (const rows of batches) {
      await store.engine.transaction((tx) =>
        tx.query(
          `insert into ceiling select * from unnest(${cols.map(() => '?::int8[]').join(', ')})`,
          cols.map((_, c) => lit(rows, c)),
        ),
      )
    }
    seconds = (performance.now() - start) / 1000
  }
  await sql.raw('drop table ceiling').execute(db)
  return {
    seconds,
    what:
      store.engine.kind === 'sqlite'
        ? 'prepared insert loop, one transaction per 5000 rows'
        : 'insert … select from unnest, one per 5000 rows',
  }
}

async function tableBytes(store) {
  const rows =
    store.engine.kind === 'sqlite'
      ? (
          await sql`select name, sum(pgsize) as bytes from dbstat group by name`.execute(
            store.engine.db,
          )
        ).rows
      : (
          await sql`select c.relname as name, pg_total_relation_size(c.oid) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = current_schema() and c.relkind = 'r'`.execute(store.engine.db)
        ).rows
  const out = {}
  for (const r of rows) out[r.name] = Number(r.bytes)
  // SQLite names indexes separately (sqlite_autoindex_<table>_1): count them with their table.
  for (const [name, bytes] of Object.entries(out)) {
    const m = /^sqlite_autoindex_(.+)_\d+$/.exec(name)
    if (m) out[m[1]] = (out[m[1]] ?? 0) + bytes
  }
  return out
}

async function bench(engine) {
  const dir = mkdtempSync(join(tmpdir(), 'linky-bench-'))
  const schema = `${PG_SCHEMA_PREFIX}_${Math.random().toString(36).slice(2, 8)}`
  const target = engine === 'sqlite' ? join(dir, 'bench.db') : `${PG_URL}?schema=${schema}`
  const options = { blockMinFrames: BLOCK_MIN }
  const store =
    engine === 'sqlite'
      ? await openSqliteStore(target, options)
      : await openPostgresStore(target, options)
  try {
    // 1. Import rate on BENCH_FRAMES frames at one frame per 2 s.
    // framesPerCpuSecond: this process's CPU only (for SQLite, all of the work; for PostgreSQL, the
    // client side): what one dedicated core does when the machine is shared (see load1).
    // clientCpuUsPerFrame is the same per frame; serverCpuUsPerFrame (a local PostgreSQL) is its
    // backend's CPU per frame: together, the CPU an import costs, which load stretches far less
    // than the wall clock.
    const ceiling = await plainInsertCeiling(store, target)
    emit({
      bench: 'store-import-ceiling',
      engine,
      frames: FRAMES,
      what: ceiling.what,
      seconds: Number(ceiling.seconds.toFixed(2)),
      framesPerSecond: Math.round(FRAMES / ceiling.seconds),
    })
    const { seconds, cpuSeconds, serverCpuSeconds } = await importAll(
      store,
      '021861348591',
      START,
      FRAMES,
      2000,
    )
    const rate = FRAMES / seconds
    emit({
      bench: 'store-import',
      engine,
      frames: FRAMES,
      seconds: Number(seconds.toFixed(2)),
      framesPerSecond: Math.round(rate),
      framesPerCpuSecond: Math.round(FRAMES / cpuSeconds),
      clientCpuUsPerFrame: Number(((cpuSeconds * 1e6) / FRAMES).toFixed(2)),
      ...(serverCpuSeconds === null
        ? {}
        : { serverCpuUsPerFrame: Number(((serverCpuSeconds * 1e6) / FRAMES).toFixed(2)) }),
      yearSecondsExtrapolated: Math.round(YEAR_FRAMES_2S / rate),
      ceilingFramesPerSecond: Math.round(FRAMES / ceiling.seconds),
      ratioToCeiling: Number((ceiling.seconds / seconds).toFixed(2)),
      target: engine === 'sqlite' ? 250_000 : 150_000,
    })

    // 2. Power curve of one day at full resolution (43,200 samples).
    const day = START
    const points = (await store.history.samples('021861348591', day, day + 86_400_000, 'raw'))
      .length
    const dayMs = await median(() =>
      store.history.samples('021861348591', day, day + 86_400_000, 'raw'),
    )
    emit({ bench: 'store-query-power-curve-day-raw', engine, points, ...dayMs, target: 50 })

    // 3. Bytes per meter-year at the default retention (30 days of samples and registers, rollups
    // and events for 365 days), from the per-day size of each table over the imported days. Tables
    // are measured as the import left them, dead rows included: PostgreSQL keeps a deleted or
    // updated row on disk while any transaction of the server may still see it (even through
    // `vacuum full`), so on a shared server that is what a store carries.
    if (engine === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(store.engine.db)
    else await sql`vacuum analyze`.execute(store.engine.db)
    const sizes = await tableBytes(store)
    const days = (FRAMES * 2000) / 86_400_000
    // The tables before and after the compact storage migration (the ones absent count 0).
    const sum = (...names) => names.reduce((a, n) => a + (sizes[n] ?? 0), 0)
    // PostgreSQL's hot minutes (migration 2026_12_04_000700) hold the last ~2 hours of 1-minute
    // rows per meter, folded away every hour, whatever the retention: counted once, as they are
    // (with the dead rows of every fold of the import), not per day.
    const hot = sum('power_hot_rows', 'energy_hot_rows')
    const fullRes = sum('samples', 'registers', 'sample_rows', 'register_rows', 'sample_blocks')
    const kept = sum(
      'power_rollups',
      'energy_rollups',
      'events',
      'power_rows',
      'energy_rows',
      'power_minutes',
      'energy_minutes',
    )
    const perYear = Math.round(
      (fullRes / days) * 30 + (kept / days) * 365 + hot + sum('meters', 'contracts', 'meter_nums'),
    )
    emit({
      bench: 'store-bytes-per-meter-year',
      engine,
      samplesAs: BLOCK_MIN === Infinity ? 'rows (a live store)' : 'blocks (an import)',
      extrapolatedFromDays: Number(days.toFixed(2)),
      fullResolutionBytesPerDay: Math.round(fullRes / days),
      rollupsAndEventsBytesPerDay: Math.round(kept / days),
      hotMinutesBytes: hot,
      bytesPerMeterYear: perYear,
      mbPerMeterYear: Number((perYear / 1e6).toFixed(1)),
      totalBytesOnDisk: await store.sizeBytes(),
      perTableBytesPerYear: Object.fromEntries(
        Object.entries(sizes)
          .filter(([n]) =>
            /^(samples|registers|sample_rows|register_rows|sample_blocks|power_rollups|energy_rollups|power_rows|energy_rows|power_minutes|energy_minutes|events)$/.test(
              n,
            ),
          )
          .map(([n, b]) => [
            n,
            Math.round(
              (b / days) *
                (/^(samples|registers|sample_rows|register_rows|sample_blocks)$/.test(n)
                  ? 30
                  : 365),
            ),
          ]),
      ),
      hotMinutesTableBytes: Object.fromEntries(
        ['power_hot_rows', 'energy_hot_rows'].filter((n) => n in sizes).map((n) => [n, sizes[n]]),
      ),
      target: engine === 'sqlite' ? 200e6 : 400e6,
    })

    // 4. Daily energy per period over one year (a second meter, a year at one frame per 5 min).
    await importAll(store, '021861348592', START, (365 * 86_400) / 300, 300_000)
    const yearEnd = localDayStart(START + 366 * 86_400_000)
    const buckets = (await store.history.energy('021861348592', START, yearEnd, 'day')).length
    const energyMs = await median(() => store.history.energy('021861348592', START, yearEnd, 'day'))
    emit({ bench: 'store-query-daily-energy-year', engine, days: buckets, ...energyMs, target: 50 })
    const viewMs = await median(() =>
      sql`select day, supplier_index, energy_wh from daily_energy_by_period where meter = ${'021861348592'} order by day`.execute(
        store.engine.db,
      ),
    )
    emit({ bench: 'store-query-daily-energy-year-view', engine, ...viewMs, target: 50 })
  } finally {
    if (engine === 'postgres')
      await sql`drop schema if exists ${sql.raw(schema)} cascade`.execute(store.engine.db)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

// BENCH_ENGINES: which engines to run, comma-separated (default `sqlite,postgres`).
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',')
if (ENGINES.includes('sqlite')) await bench('sqlite')
let pgUp = ENGINES.includes('postgres')
if (pgUp)
  try {
    const probe = await openPostgresStore(PG_URL, { migrate: false, connectTimeoutMs: 2000 })
    await probe.close()
  } catch {
    pgUp = false
    emit({ bench: 'store-import', engine: 'postgres', skipped: 'PostgreSQL not reachable' })
  }
if (pgUp) await bench('postgres')
