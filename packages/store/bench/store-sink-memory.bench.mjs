// Heap retained by the store sink while it runs, against the built packages (run `pnpm build`
// first; needs --expose-gc, which `pnpm bench` passes): BENCH_FRAMES frames (default 20,000)
// through `storeSink` over a real SQLite store in a temporary directory, in batches of
// BENCH_BATCH frames (default 300: one SQLite commit of 10 minutes at a meter's pace). After each
// batch is acknowledged, a full GC, then the heap used is sampled. Prints one JSON line per sink:
// the heap with the store open and no frame yet (heapAtStartMB), and above it the peak
// (with the frame count where it was reached) and the heap after the last full batch, sink still
// running. A sink that keeps acknowledged records grows with the frames (until its ledger is
// compacted); one that does not stays flat.
//
// The same run also measures, as `sink: "baseline"`, the store sink of git revision
// BENCH_BASELINE_REV (default 169a976, the single-closure sink before it was split into units;
// c3ae0a5 is the ledger that kept every acknowledged record until 4096 were acknowledged),
// transpiled on the fly against this build; BENCH_BASELINE_REV=none skips it. The baseline must be
// a one-file sink (its `./x.js` imports are bound to this build's dist).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Subject } from 'rxjs'
import ts from 'typescript'
import { storeSink } from '../dist/index.js'
import { syntheticFrames } from '../dist/testing/index.js'
import { openSqliteStore } from '../../sink-sqlite/dist/index.js'

if (typeof globalThis.gc !== 'function') {
  process.stderr.write('run with node --expose-gc (pnpm bench does)\n')
  process.exit(2)
}
const FRAMES = Number(process.env.BENCH_FRAMES ?? 20_000)
const BATCH = Number(process.env.BENCH_BATCH ?? 300)
const BASELINE_REV = process.env.BENCH_BASELINE_REV ?? '169a976'
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
const ctx = { stage: 'sqlite', logger: quiet, diagnostics: { report() {} }, now: () => Date.now() }
const turn = () => new Promise((resolve) => setImmediate(resolve))
const heap = async () => {
  await turn()
  globalThis.gc()
  await turn()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

/** The `storeSink` of git revision `rev`, its imports bound to this build; undefined when unavailable. */
async function sinkOfRevision(rev, tmp) {
  const here = new URL('.', import.meta.url)
  let source
  try {
    source = execFileSync('git', ['show', `${rev}:packages/store/src/store-sink.ts`], {
      cwd: here,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
  } catch {
    process.stderr.write(`baseline revision ${rev} not found: measuring the current sink only\n`)
    return undefined
  }
  const dist = new URL('../dist/', here).href
  const js = ts
    .transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    })
    .outputText.replace(/from '\.\/([^']+)'/g, (_, f) => `from '${dist}${f}'`)
    .replace(/from 'rxjs'/g, `from '${import.meta.resolve('rxjs')}'`)
  const file = join(tmp, 'baseline-store-sink.mjs')
  writeFileSync(file, js)
  return (await import(pathToFileURL(file).href)).storeSink
}

/** Runs FRAMES frames through `sink` over a fresh SQLite store; prints one JSON line. */
async function measure(label, sink, tmp) {
  const dir = mkdtempSync(join(tmp, `${label}-`))
  try {
    const store = await openSqliteStore(join(dir, 'linky.db'), { restartEvents: true })
    const input = new Subject()
    let acked = 0
    let failed
    const sub = sink(
      () => Promise.resolve({ ...store, close: () => Promise.resolve() }),
      { batchSize: BATCH, flushMs: 600_000, retentionDays: 0, spool: { dir: join(dir, 'spool') } },
      ctx,
    )(input).subscribe({
      next: () => void acked++,
      error: (e) => void (failed = e),
    })
    // Let the sink take the (already open) store before the baseline.
    for (let i = 0; i < 10; i++) await turn()
    const base = await heap()
    let peak = 0
    let peakAt = 0
    let last = 0
    let sent = 0
    for (const frame of syntheticFrames({ start: Date.UTC(2026, 0, 5), count: FRAMES })) {
      input.next(frame)
      sent++
      if (sent % BATCH === 0) {
        while (acked < sent && failed === undefined) await turn()
        if (failed !== undefined) throw failed
        last = (await heap()) - base
        if (last > peak) {
          peak = last
          peakAt = acked
        }
      }
    }
    // The last partial batch is written at input completion; the sink then completes.
    input.complete()
    while (acked < sent && failed === undefined) await turn()
    if (failed !== undefined) throw failed
    sub.unsubscribe()
    await store.close()
    process.stdout.write(
      `${JSON.stringify({
        bench: 'store-sink-memory',
        sink: label,
        frames: FRAMES,
        batch: BATCH,
        heapAtStartMB: Number((base / 2 ** 20).toFixed(2)),
        peakAboveStartMB: Number((peak / 2 ** 20).toFixed(2)),
        peakAtFrame: peakAt,
        lastFullBatchAboveStartMB: Number((last / 2 ** 20).toFixed(2)),
        load1: Number(loadavg()[0].toFixed(2)),
      })}\n`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'linky-sink-bench-'))
try {
  const baseline = BASELINE_REV === 'none' ? undefined : await sinkOfRevision(BASELINE_REV, tmp)
  if (baseline !== undefined) await measure('baseline', baseline, tmp)
  await measure('current', storeSink, tmp)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
