import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
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

// The child runs the sink from the built package (`tsc -b`), as the app does, over a synthetic
// capture. It prints `sent N` before handing each chunk to the sink and `acked N` as acks arrive;
// stdout to a pipe is synchronous on Linux, so the parent reads every line written before the kill.
const CHILD = `
const [storeDist, testingDist, sqliteDist, postgresDist, target, spoolDir, start, total, batch, maxQueue] = process.argv.slice(2)
const { storeSink } = await import(storeDist)
const { openSqliteStore } = await import(sqliteDist)
const { openPostgresStore } = await import(postgresDist)
const openStore = (t) => (t.startsWith('postgres') ? openPostgresStore(t) : openSqliteStore(t))
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

function runChild(script: string, target: string, spoolDir: string, killAfterAcks: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, pathToFileURL(storeDist).href, pathToFileURL(testingDist).href, pathToFileURL(sqliteDist).href, pathToFileURL(postgresDist).href, target, spoolDir, String(START), String(TOTAL), String(BATCH), String(MAX_QUEUE)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const run: Run = { sent: 0, acked: 0, code: null, signal: null }
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop()!
      for (const line of lines) {
        const [word, n] = line.split(' ')
        if (word === 'sent') run.sent = Number(n)
        else if (word === 'acked' || word === 'done') run.acked = Number(n)
        if (killAfterAcks !== null && run.acked >= killAfterAcks && run.signal === null && child.exitCode === null) child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      run.code = code
      run.signal = signal
      if (killAfterAcks === null && code !== 0) reject(new Error(`child failed (${String(code)}): ${stderr}`))
      else resolve(run)
    })
  })
}

function spooledRecords(dir: string): number {
  let n = 0
  for (const f of readdirSync(dir)) if (f.endsWith('.jsonl')) n += readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.length > 0).length
  return n
}

beforeAll(() => {
  // The child runs the built package; tsc -b is incremental (a no-op when dist is up to date).
  const r = spawnSync('npx', ['tsc', '-b', 'packages/store/tsconfig.build.json'], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`building @linkyrpi/store failed: ${r.stdout}${r.stderr}`)
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
    const killed = await runChild(script, target.text, spoolDir, 1000)
    expect(killed.signal).toBe('SIGKILL')

    const store = await openStore(target.target)
    const rows = await store.engine.db.selectFrom('samples').select(['t']).orderBy('t').execute()
    const spooled = spooledRecords(spoolDir)
    // Every acknowledged frame is durable: committed, or in the spool.
    expect(rows.length + spooled).toBeGreaterThanOrEqual(killed.acked)
    // What is committed is the first frames, in order, each once.
    expect(rows.map((r) => r.t)).toEqual(Array.from({ length: rows.length }, (_, i) => START + i * 2000))
    // The loss is bounded: at most the frames waiting in memory plus the batch being written.
    expect(killed.sent - rows.length - spooled).toBeLessThanOrEqual(MAX_QUEUE + BATCH)

    // Restart: the spool drains first, then the whole capture is replayed; nothing is duplicated.
    const again = await runChild(script, target.text, spoolDir, null)
    expect(again.acked).toBe(TOTAL)
    const after = await store.engine.db.selectFrom('samples').select(['t']).orderBy('t').execute()
    expect(after.map((r) => r.t)).toEqual(Array.from({ length: TOTAL }, (_, i) => START + i * 2000))
    const rollup = await store.engine.db.selectFrom('power_rollups').select((eb) => eb.fn.sum<number>('n').as('n')).where('res', '=', '1h').executeTakeFirstOrThrow()
    expect(Number(rollup.n)).toBe(TOTAL)
    expect(spooledRecords(spoolDir)).toBe(0)
    await store.close()
  }, 120_000)
}

describe('store SIGKILL: sqlite', () => sigkill(sqliteTarget))
describeWithService('postgresql', pgUp, 'store SIGKILL: postgres', () => sigkill(() => postgresTarget()))
