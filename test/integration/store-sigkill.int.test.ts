import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import { createRng } from '@linkyrpi/simulator'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const root = fileURLToPath(new URL('../../', import.meta.url))
const storeDist = join(root, 'packages/store/dist/index.js')
const testingDist = join(root, 'packages/store/dist/testing/index.js')
const sqliteDist = join(root, 'packages/sink-sqlite/dist/index.js')
const postgresDist = join(root, 'packages/sink-postgres/dist/index.js')
const START = Date.UTC(2026, 8, 1)
const TOTAL = 4_000
const BATCH = 100
const MAX_QUEUE = 1000

// The input of both children: the synthetic capture, 20 frames a millisecond. Each child prints
// `sent N` before handing a chunk to its sink and `acked N` as acks arrive; stdout to a pipe is
// synchronous on Linux, so the parent reads every line written before the kill.
const INPUT = `
const { syntheticFrames } = await import(testingDist)
const frames = syntheticFrames({ start: Number(start), count: Number(total), intervalMs: 2000 })
let sent = 0
const input = {
  subscribe(observer) {
    const pump = () => {
      const chunk = []
      for (let i = 0; i < 20; i++) {
        const n = frames.next()
        if (n.done) break
        chunk.push(n.value)
      }
      if (chunk.length === 0) return observer.complete()
      sent += chunk.length
      process.stdout.write('sent ' + sent + '\\n')
      for (const f of chunk) observer.next(f)
      setTimeout(pump, 1)
    }
    pump()
    return { unsubscribe() {} }
  },
}
const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent } }
`

// The child runs the store sink from the built package (`tsc -b`), as the app does.
const CHILD = `
const [storeDist, testingDist, sqliteDist, postgresDist, target, spoolDir, start, total, batch, maxQueue] = process.argv.slice(2)
const { storeSink } = await import(storeDist)
const { openSqliteStore } = await import(sqliteDist)
const { openPostgresStore } = await import(postgresDist)
const openStore = (t) => (t.startsWith('postgres') ? openPostgresStore(t) : openSqliteStore(t))
${INPUT}
const ctx = { stage: 'kill', logger: silent, diagnostics: { report() {} }, now: () => Date.now() }
let acked = 0
storeSink(() => openStore(target), { batchSize: Number(batch), flushMs: 200, maxQueueFrames: Number(maxQueue), spool: { dir: spoolDir }, retentionDays: 0 }, ctx)(input).subscribe({
  next(a) { acked = a.seq; if (acked % 100 === 0) process.stdout.write('acked ' + acked + '\\n') },
  complete() { process.stdout.write('done ' + acked + '\\n') },
  error(e) { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 1 },
})
`

interface Run {
  sent: number
  acked: number
  code: number | null
  signal: NodeJS.Signals | null
}

/** When the parent kills the child: after N acknowledged frames, or `ms` after its first output (`'start'`) or acknowledgement (`'ack'`). */
type Kill = { acks: number } | { after: 'start' | 'ack'; ms: number } | null

/** Runs a child script; kills it with SIGKILL as `kill` says (null: lets it finish, and fails if it does not exit 0). */
function runChild(script: string, args: readonly string[], kill: Kill): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    const run: Run = { sent: 0, acked: 0, code: null, signal: null }
    let buffer = ''
    let stderr = ''
    let timer: ReturnType<typeof setTimeout> | undefined
    const killNow = (): void => {
      if (run.signal === null && child.exitCode === null) child.kill('SIGKILL')
    }
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop()!
      for (const line of lines) {
        const [word, n] = line.split(' ')
        if (word === 'sent') run.sent = Number(n)
        else if (word === 'acked' || word === 'done') run.acked = Number(n)
        if (kill !== null && 'acks' in kill && run.acked >= kill.acks) killNow()
      }
      if (
        kill !== null &&
        'ms' in kill &&
        timer === undefined &&
        (kill.after === 'start' || run.acked > 0)
      )
        timer = setTimeout(killNow, kill.ms)
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      run.code = code
      run.signal = signal
      if (code !== 0 && signal === null)
        reject(new Error(`child failed (${String(code)}): ${stderr}`))
      else resolve(run)
    })
  })
}

function spooledRecords(dir: string): number {
  let n = 0
  for (const f of readdirSync(dir))
    if (f.endsWith('.jsonl'))
      n += readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0).length
  return n
}

beforeAll(() => {
  // The child runs the built package; tsc -b is incremental (a no-op when dist is up to date).
  const r = spawnSync(
    'npx',
    ['tsc', '-b', 'packages/store/tsconfig.build.json', 'packages/sink-sqlite/tsconfig.build.json'],
    { cwd: root, encoding: 'utf8' },
  )
  if (r.status !== 0)
    throw new Error(
      `building @linkyrpi/store and @linkyrpi/sink-sqlite failed: ${r.stdout}${r.stderr}`,
    )
}, 120_000)

function sigkill(makeTarget: () => TestTarget): void {
  let target: TestTarget
  beforeAll(() => {
    target = makeTarget()
  })
  afterAll(async () => {
    await target?.dispose()
  })

  it('a process killed with SIGKILL mid-ingest loses only unacknowledged frames, and a restart stores every frame exactly once', async () => {
    const script = join(target.dir, 'child.mjs')
    writeFileSync(script, CHILD)
    const spoolDir = join(target.dir, 'spool')
    const args = [
      pathToFileURL(storeDist).href,
      pathToFileURL(testingDist).href,
      pathToFileURL(sqliteDist).href,
      pathToFileURL(postgresDist).href,
      target.text,
      spoolDir,
      String(START),
      String(TOTAL),
      String(BATCH),
      String(MAX_QUEUE),
    ]
    const killed = await runChild(script, args, { acks: 1000 })
    expect(killed.signal).toBe('SIGKILL')

    const store = await openStore(target.target)
    const rows = await store.engine.db.selectFrom('samples').select(['t']).orderBy('t').execute()
    const spooled = spooledRecords(spoolDir)
    // Every acknowledged frame is durable: committed, or in the spool.
    expect(rows.length + spooled).toBeGreaterThanOrEqual(killed.acked)
    // What is committed is the first frames, in order, each once.
    expect(rows.map((r) => r.t)).toEqual(
      Array.from({ length: rows.length }, (_, i) => START + i * 2000),
    )
    // The loss is bounded: at most the frames waiting in memory plus the batch being written.
    expect(killed.sent - rows.length - spooled).toBeLessThanOrEqual(MAX_QUEUE + BATCH)

    // Restart: the spool drains first, then the whole capture is replayed; nothing is duplicated.
    const again = await runChild(script, args, null)
    expect(again.acked).toBe(TOTAL)
    const after = await store.engine.db.selectFrom('samples').select(['t']).orderBy('t').execute()
    expect(after.map((r) => r.t)).toEqual(Array.from({ length: TOTAL }, (_, i) => START + i * 2000))
    const rollup = await store.engine.db
      .selectFrom('power_rollups')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('res', '=', '1h')
      .executeTakeFirstOrThrow()
    expect(Number(rollup.n)).toBe(TOTAL)
    expect(spooledRecords(spoolDir)).toBe(0)
    await store.close()
  }, 120_000)
}

describe('store SIGKILL: sqlite', () => sigkill(sqliteTarget))
describeWithService('postgresql', pgUp, 'store SIGKILL: postgres', () =>
  sigkill(() => postgresTarget()),
)

// The SQLite sink itself (as the app runs it), killed many times at random moments while it
// commits batch after batch. Each run starts 50 to 150 frames before the last stored one, as a
// source redelivering what it sent before the crash: the sink finds them stored (idempotence)
// and goes on.
const SINK_CHILD = `
const [sinkDist, testingDist, path, start, total, skip] = process.argv.slice(2)
const { sqliteSink } = await import(sinkDist)
${INPUT}
for (let i = 0; i < Number(skip); i++) frames.next()
sent = Number(skip)
const ctx = { stage: 'store', logger: silent, diagnostics: { report() {} }, now: () => Date.now() }
let acked = 0
sqliteSink({ path, batchSize: 50, flushMs: 10, retentionDays: 0 }, ctx)(input).subscribe({
  next(a) { acked = a.seq; process.stdout.write('acked ' + acked + '\\n') },
  complete() { process.stdout.write('done ' + acked + '\\n') },
  error(e) { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 1 },
})
`

interface StoreCheck {
  samples: number
  restarts: { t: number; from: number; ms: number }[]
}

/** Opens the file as a reader would after the crash and checks it; returns what it holds. */
function checkStore(path: string): StoreCheck {
  const db = new Database(path)
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    // Killed while migrating: the migrations' transactions left no table, or all of them (some are views since the compact storage).
    const tables = (
      db
        .prepare(
          "select name from sqlite_master where type in ('table', 'view') and name in ('samples', 'registers', 'events', 'power_rollups', 'meters')",
        )
        .all() as { name: string }[]
    ).length
    if (tables === 0) return { samples: 0, restarts: [] }
    expect(tables).toBe(5)
    const ts = (db.prepare('select t from samples order by t').raw(true).all() as [number][]).map(
      (r) => r[0],
    )
    // What is committed is the first frames of the capture, in order, each once.
    expect(ts).toEqual(Array.from({ length: ts.length }, (_, i) => START + i * 2000))
    // Rollups count every stored frame exactly once, at each resolution.
    for (const res of ['1m', '1h', '1d']) {
      const n = (
        db.prepare('select coalesce(sum(n), 0) as n from power_rollups where res = ?').get(res) as {
          n: number
        }
      ).n
      expect(n, `power_rollups ${res}`).toBe(ts.length)
    }
    const dupRegisters = db
      .prepare(
        'select count(*) as n from (select meter, register, value, count(*) as c from registers group by meter, register, value having c > 1)',
      )
      .get() as { n: number }
    expect(dupRegisters.n).toBe(0)
    if (ts.length > 0) {
      const m = db.prepare('select last_seen from meters').get() as { last_seen: number }
      expect(m.last_seen).toBe(ts[ts.length - 1])
    }
    const restarts = (
      db.prepare("select t, detail from events where kind = 'restart' order by t").all() as {
        t: number
        detail: string
      }[]
    ).map((e) => ({
      t: e.t,
      ...(JSON.parse(e.detail) as { from: number; ms: number }),
    }))
    return { samples: ts.length, restarts }
  } finally {
    db.close()
  }
}

describe('store SIGKILL: the SQLite sink killed at random moments of its writes', () => {
  let target: TestTarget
  beforeAll(() => {
    target = sqliteTarget()
  })
  afterAll(async () => {
    await target?.dispose()
  })

  it('after every kill the file passes integrity_check, holds a prefix of the capture once with matching rollups, and the next run resumes and records the restart', async () => {
    const total = 20_000
    const seed = Number(process.env.SIGKILL_SEED ?? Date.now() % 100_000)
    const rand = createRng(seed)
    const script = join(target.dir, 'sink-child.mjs')
    writeFileSync(script, SINK_CHILD)
    const path = join(target.dir, 'sink.db')
    const args = (skip: number): string[] => [
      pathToFileURL(sqliteDist).href,
      pathToFileURL(testingDist).href,
      path,
      String(START),
      String(total),
      String(skip),
    ]
    const overlap = (): number => Math.max(0, before - 50 - Math.floor(rand() * 100))
    const expected: StoreCheck['restarts'] = []
    let kills = 0
    let before = 0
    for (let i = 0; i < 12; i++) {
      const kill = {
        after: rand() < 0.25 ? ('start' as const) : ('ack' as const),
        ms: Math.floor(rand() * 400),
      }
      const run = await runChild(script, args(overlap()), kill)
      const after = checkStore(path)
      const context = `seed ${String(seed)}, run ${String(i)}, killed ${String(kill.ms)} ms after its first ${kill.after === 'ack' ? 'acknowledgement' : 'output'}`
      if (run.signal === 'SIGKILL') kills++
      // Every acknowledged frame is committed (no outage here: the spool stays empty).
      expect(after.samples, context).toBeGreaterThanOrEqual(run.acked)
      expect(after.samples, context).toBeGreaterThanOrEqual(before)
      // A run that stored new frames after earlier ones records where it resumed, once.
      if (before > 0 && after.samples > before)
        expected.push({ t: START + before * 2000, from: START + (before - 1) * 2000, ms: 2000 })
      expect(after.restarts, context).toEqual(expected)
      before = after.samples
      if (run.signal === null) break
    }
    expect(kills).toBeGreaterThanOrEqual(3)
    // Kills landed after the first commits, not only during start-up.
    expect(expected.length).toBeGreaterThanOrEqual(2)
    const last = await runChild(script, args(overlap()), null)
    expect(last.acked).toBe(total)
    const final = checkStore(path)
    expect(final.samples).toBe(total)
    if (before > 0 && before < total)
      expected.push({ t: START + before * 2000, from: START + (before - 1) * 2000, ms: 2000 })
    expect(final.restarts).toEqual(expected)
  }, 180_000)
})
