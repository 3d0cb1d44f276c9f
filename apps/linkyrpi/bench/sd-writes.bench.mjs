// SD-card wear of the embedded defaults (run `pnpm build` first; `pnpm bench sd-writes`).
//
// Runs `linkyrpi run` as a child process on a fresh data directory with the embedded defaults
// (simulated meter at real pace → decoder → SQLite store → dashboard) in standard mode, single-
// and three-phase, with one SSE client connected to each dashboard, and reads the child's
// `/proc/<pid>/io` `write_bytes` (bytes it caused to be written to the block device) over a
// window of BENCH_MINUTES minutes (default 20: two commits at the embedded 10-minute flush
// interval) starting 30 s after the start. A third process runs
// the former default flush interval (flushMs 2000) as the baseline of the same run
// (BENCH_BASELINE=0 leaves it out); BENCH_FLUSH_MS=ms,ms… adds single-phase runs at other intervals.
//
// WAL checkpoints: SQLite copies the WAL into the database file every 1000 WAL pages, which at the
// embedded flush interval takes hours, longer than the window. So the benchmark checkpoints the
// database itself at the start and at the end of the window, from its own connection, and adds
// the bytes its own process wrote for the end checkpoint: every page the window changed is counted
// once in the WAL and once in the database file. A real checkpoint every few hours writes fewer
// (the rollup pages rewritten by every flush are copied once per checkpoint, not once per 10
// minutes), so the total is an upper bound.
//
// Per day figures are extrapolated from the window (each line says so). The pace must be the real
// one: the flush interval is wall-clock time, so at BENCH_SPEED > 1 every transaction carries more
// frames and the bytes per frame come out lower than on a real meter; lines at another speed say
// `representative: false`. Prints JSON lines, one per process, plus the 50 MB/day ceiling.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import 'reflect-metadata' // @linkyrpi/pipeline uses tsyringe
import { DEFAULT_CONFIG } from '@linkyrpi/pipeline'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const main = join(root, 'apps/linkyrpi/dist/main.js')
// better-sqlite3 is a dependency of the store package, not of the app.
const Database = createRequire(join(root, 'packages/store/package.json'))('better-sqlite3')

const MINUTES = Number(process.env.BENCH_MINUTES ?? 20)
const SPEED = Number(process.env.BENCH_SPEED ?? 1)
const WARMUP_MS = 30_000
const CEILING_PER_DAY = 50e6
const DAY_S = 86_400
const emit = (o) =>
  process.stdout.write(`${JSON.stringify({ ...o, load1: Number(loadavg()[0].toFixed(2)) })}\n`)

/** `write_bytes` of /proc/<pid>/io ('self' for this process). */
function writeBytes(pid) {
  const m = /^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
  return Number(m[1])
}

function fileSize(path) {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** What the store holds: samples, bytes of used pages, and the WAL. */
function storeState(db, path) {
  const pages = db.pragma('page_count', { simple: true })
  const free = db.pragma('freelist_count', { simple: true })
  const pageSize = db.pragma('page_size', { simple: true })
  return {
    samples: db.prepare('select count(*) as n from samples').get().n,
    dataBytes: (pages - free) * pageSize,
    dbFileBytes: fileSize(path),
    walFileBytes: fileSize(`${path}-wal`),
  }
}

/** Checkpoints the WAL into the database from this process; returns the bytes this process wrote. */
function checkpoint(db) {
  const before = writeBytes('self')
  db.pragma('wal_checkpoint(PASSIVE)')
  return writeBytes('self') - before
}

async function waitFor(what, test, timeoutMs) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = test()
    if (v) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

/** Starts one `linkyrpi run`; returns its handles once the dashboard is up and an SSE client is connected. */
async function start(variant) {
  const dir = mkdtempSync(join(tmpdir(), 'linkyrpi-sd-'))
  const d = DEFAULT_CONFIG.stages
  const config = {
    version: DEFAULT_CONFIG.version,
    site: DEFAULT_CONFIG.site,
    dataDir: join(dir, 'data'),
    stages: {
      meter: { ...d.meter, mode: 'standard', phases: variant.phases, speed: SPEED },
      frames: { ...d.frames },
      store: { ...d.store, ...(variant.flushMs === undefined ? {} : { flushMs: variant.flushMs }) },
      dashboard: { ...d.dashboard, port: 0 },
    },
  }
  const configFile = join(dir, 'linkyrpi.config.yaml')
  writeFileSync(configFile, JSON.stringify(config, null, 2)) // JSON is YAML
  const child = spawn(
    process.execPath,
    [main, 'run', '--config', configFile, '--log-format', 'json'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const out = { url: null, stdoutLines: 0, stdoutBytes: 0, stderr: '' }
  child.stdout.on('data', (b) => {
    out.stdoutBytes += b.length
    for (const c of b) if (c === 10) out.stdoutLines++
  })
  child.stderr.on('data', (b) => {
    out.stderr += b.toString()
    const m = /dashboard at (\S+)/.exec(out.stderr)
    if (m !== null) out.url = m[1]
  })
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  // Start-up takes seconds on a quiet machine, much longer on a busy one.
  await waitFor(
    'the dashboard URL',
    () => out.url !== null || child.exitCode !== null,
    180_000,
  ).catch((error) => {
    child.kill('SIGKILL')
    throw error
  })
  if (out.url === null) throw new Error(`linkyrpi run exited: ${out.stderr}`)
  const sse = { bytes: 0, controller: new AbortController() }
  const res = await fetch(new URL('events', out.url), { signal: sse.controller.signal })
  if (!res.ok) throw new Error(`GET /events: ${res.status}`)
  const reader = res.body.getReader()
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        sse.bytes += value.length
      }
    } catch {
      // aborted at the end
    }
  })()
  const dbPath = join(config.dataDir, 'linkyrpi.db')
  return { variant, dir, child, out, sse, exited, dbPath }
}

async function measure(p, startedAt) {
  await sleep(Math.max(0, startedAt + WARMUP_MS - Date.now()))
  await waitFor('the database', () => fileSize(p.dbPath) > 0, 60_000)
  const db = new Database(p.dbPath, { readonly: false, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  await waitFor(
    'the schema',
    () =>
      db.prepare("select count(*) as n from sqlite_master where name = 'samples'").get().n === 1,
    60_000,
  )
  checkpoint(db)
  const a = {
    at: Date.now(),
    wb: writeBytes(p.child.pid),
    lines: p.out.stdoutLines,
    bytes: p.out.stdoutBytes,
    ...storeState(db, p.dbPath),
  }
  await sleep(MINUTES * 60_000)
  const b = {
    at: Date.now(),
    wb: writeBytes(p.child.pid),
    lines: p.out.stdoutLines,
    bytes: p.out.stdoutBytes,
  }
  const walEnd = fileSize(`${p.dbPath}-wal`)
  const checkpointBytes = checkpoint(db)
  Object.assign(b, storeState(db, p.dbPath))
  db.close()
  const seconds = (b.at - a.at) / 1000
  const processBytes = b.wb - a.wb
  const total = processBytes + checkpointBytes
  const frames = b.samples - a.samples
  const dataBytes = b.dataBytes - a.dataBytes
  const perDay = (x) => Math.round((x * DAY_S) / seconds)
  return {
    bench: 'sd-writes',
    variant: p.variant.name,
    mode: 'standard',
    phases: p.variant.phases,
    flushMs: p.variant.flushMs ?? 'default',
    speed: SPEED,
    representative: SPEED === 1,
    windowSeconds: Math.round(seconds),
    framesStored: frames,
    processWriteBytes: processBytes,
    checkpointWriteBytes: checkpointBytes,
    walFileBytesAtEnd: walEnd,
    writeBytesPerFrame: frames > 0 ? Math.round(total / frames) : null,
    dataBytesStored: dataBytes,
    dataBytesPerFrame: frames > 0 ? Math.round(dataBytes / frames) : null,
    writeAmplification: dataBytes > 0 ? Number((total / dataBytes).toFixed(1)) : null,
    extrapolated: `per day = window × ${Math.round(DAY_S / seconds)}`,
    writeBytesPerDay: perDay(total),
    dataBytesPerDay: perDay(dataBytes),
    ceilingBytesPerDay: CEILING_PER_DAY,
    withinCeiling: perDay(total) <= CEILING_PER_DAY,
    logLinesPerMinute: Number((((b.lines - a.lines) * 60) / seconds).toFixed(2)),
    logBytesPerDay: perDay(b.bytes - a.bytes),
    sseBytes: p.sse.bytes,
  }
}

async function stop(p) {
  p.sse.controller.abort()
  p.child.kill('SIGTERM')
  const { code, signal } = await p.exited
  rmSync(p.dir, { recursive: true, force: true })
  if (code !== 0)
    throw new Error(
      `linkyrpi run stopped with ${String(code ?? signal)}: ${p.out.stderr.slice(-2000)}`,
    )
}

const variants = [
  { name: 'defaults', phases: 1 },
  { name: 'defaults', phases: 3 },
  ...(process.env.BENCH_BASELINE === '0'
    ? []
    : [{ name: 'baseline: flushMs 2000 (the former default)', phases: 1, flushMs: 2000 }]),
  // BENCH_FLUSH_MS=600000,900000 adds single-phase runs at other flush intervals.
  ...(process.env.BENCH_FLUSH_MS ?? '')
    .split(',')
    .filter((x) => x !== '')
    .map((ms) => ({ name: `flushMs ${ms}`, phases: 1, flushMs: Number(ms) })),
]
const startedAt = Date.now()
const procs = []
try {
  for (const v of variants) procs.push(await start(v))
  const results = await Promise.all(procs.map((p) => measure(p, startedAt)))
  for (const r of results) emit(r)
} finally {
  for (const p of procs) await stop(p).catch((error) => process.stderr.write(`${error.message}\n`))
}
