#!/usr/bin/env node
// pnpm bench analytics — prints JSON lines:
//  1. appliance detection precision/recall against `linkyrpi simulate --truth` on seeds and
//     profiles the tests do not use (30 days at one frame a minute each);
//  2. the time of a full-year report (one simulated year, one frame every BENCH_YEAR_INTERVAL,
//     default 1m: no gap events, 525,600 frames; imported with `linkyrpi replay --store`) on SQLite and PostgreSQL (LINKY_PG_URL,
//     default the local `test` database), beside the baseline of starting node and the CLI.
// BENCH_PARTS=appliances (or year) runs one part only (default appliances,year).
// BENCH_BEFORE=/path/to/an/older/packages/analytics/dist/index.js also scores that build's
// detector on the same stores, in the same run (a `before` beside each appliance line).
// BENCH_YEAR_SQLITE (a file) and BENCH_YEAR_PG (a postgres:// URL with ?schema=) reuse year
// stores made before (no simulation or import: the PostgreSQL import of a year takes minutes on a
// loaded machine); BENCH_BASELINE_CLI=path/to/an/older/apps/linkyrpi/dist/main.js times that
// build's report too, alternating with this one (old build vs new build in the same run).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import {
  buildReport,
  DEFAULT_SETTINGS,
  loadReportData,
  parseLocalDate,
  pickMeter,
} from '../dist/index.js'
import { openSqliteStore } from '@linkyrpi/sink-sqlite'
import { openPostgresStore } from '@linkyrpi/sink-postgres'
import { evaluate } from './appliance-eval.mjs'

const parts = new Set((process.env.BENCH_PARTS ?? 'appliances,year').split(','))
const before =
  process.env.BENCH_BEFORE === undefined ? null : await import(process.env.BENCH_BEFORE)

const root = new URL('../../..', import.meta.url).pathname
const cli = join(root, 'apps/linkyrpi/dist/main.js')
const PG_URL = process.env.LINKY_PG_URL ?? 'postgres://root@127.0.0.1:5432/test'
/** Opens a store from a SQLite path or a postgres:// URL (as the CLI's --store). */
const openStore = (target) =>
  /^postgres(ql)?:\/\//i.test(target) ? openPostgresStore(target) : openSqliteStore(target)
const dir = mkdtempSync(join(tmpdir(), 'linky-analytics-bench-'))
const line = (o) => process.stdout.write(`${JSON.stringify(o)}\n`)
const run = (args) =>
  execFileSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null
/**
 * Runs node with `args`: wall time, and the CPU time (user + system) when /usr/bin/time exists
 * (steadier than wall time on a shared, loaded machine). Best of `runs`.
 */
function wall(args, runs = 3) {
  let best = { wallMs: Infinity, cpuMs: null }
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r =
      TIME === null
        ? spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] })
        : spawnSync(TIME, ['-f', '%U %S', process.execPath, ...args], {
            stdio: ['ignore', 'ignore', 'pipe'],
            encoding: 'utf8',
          })
    const wallMs = performance.now() - t0
    if (r.status !== 0 && args.length > 1 && args[1] !== '--help')
      throw new Error(`exit ${r.status}: ${args.join(' ')}`)
    const cpu = TIME === null ? null : r.stderr.trim().split('\n').at(-1).split(' ').map(Number)
    const cpuMs = cpu === null ? null : Math.round((cpu[0] + cpu[1]) * 1000)
    if (wallMs < best.wallMs)
      best = {
        wallMs,
        cpuMs: best.cpuMs === null ? cpuMs : Math.min(best.cpuMs, cpuMs ?? Infinity),
      }
    else if (cpuMs !== null) best.cpuMs = Math.min(best.cpuMs ?? Infinity, cpuMs)
  }
  return { wallMs: Math.round(best.wallMs), cpuMs: best.cpuMs }
}

try {
  // 1. Appliances: profiles and seeds no test uses; two seeds a profile, so that a figure is not
  // one seed's. Summer and spring too: heating there is a few hundred watts on some nights, the
  // hardest to tell from the base load.
  const hc = (seed, start) => ['--option', 'hc', '--seed', String(seed), '--start', start]
  const baseStd = (seed, start) => [
    '--option',
    'base',
    '--mode',
    'standard',
    '--seed',
    String(seed),
    '--start',
    start,
  ]
  const splitOffPeak = '01:00-07:00,13:00-15:00'
  const tempoSplit = (seed, start) => [
    '--option',
    'tempo',
    '--seed',
    String(seed),
    '--start',
    start,
    '--off-peak',
    splitOffPeak,
  ]
  const profiles = [
    { name: 'hc-winter', seed: 101, args: hc(101, '2026-01-01T00:00:00+01:00') },
    { name: 'hc-winter', seed: 111, args: hc(111, '2025-01-15T00:00:00+01:00') },
    {
      name: 'base-autumn-standard',
      seed: 202,
      args: baseStd(202, '2025-11-10T00:00:00+01:00'),
    },
    {
      name: 'base-autumn-standard',
      seed: 212,
      args: baseStd(212, '2026-10-20T00:00:00+02:00'),
    },
    {
      name: 'tempo-winter-split-offpeak',
      seed: 303,
      args: tempoSplit(303, '2026-02-02T00:00:00+01:00'),
      offPeak: splitOffPeak,
    },
    {
      name: 'tempo-winter-split-offpeak',
      seed: 313,
      args: tempoSplit(313, '2025-12-08T00:00:00+01:00'),
      offPeak: splitOffPeak,
    },
    { name: 'hc-june', seed: 505, args: hc(505, '2026-06-01T00:00:00+02:00') },
    { name: 'hc-june', seed: 515, args: hc(515, '2025-06-12T00:00:00+02:00') },
    {
      name: 'base-summer-standard',
      seed: 616,
      args: baseStd(616, '2026-07-10T00:00:00+02:00'),
    },
    {
      name: 'base-summer-standard',
      seed: 626,
      args: baseStd(626, '2025-08-20T00:00:00+02:00'),
    },
    { name: 'hc-spring', seed: 717, args: hc(717, '2026-04-20T00:00:00+02:00') },
    { name: 'hc-spring', seed: 727, args: hc(727, '2025-05-05T00:00:00+02:00') },
  ]
  if (!parts.has('appliances')) profiles.length = 0
  for (const p of profiles) {
    const rec = join(dir, `${p.name}-${p.seed}.ticrec`)
    const truth = join(dir, `${p.name}-${p.seed}.truth.jsonl`)
    const db = join(dir, `${p.name}-${p.seed}.db`)
    run([
      'simulate',
      ...p.args,
      '--duration',
      '30d',
      '--interval',
      '1m',
      '--speed',
      'max',
      '--out',
      rec,
      '--format',
      'record',
      '--truth',
      truth,
    ])
    run(['replay', rec, '--speed', 'max', '--store', db])
    const store = await openStore(db)
    const [m] = await store.history.meters()
    const points = await store.history.samples(m.id, 0, 4e12, '1m')
    await store.close()
    const e = evaluate(points, truth, p.offPeak)
    const b = before === null ? null : evaluate(points, truth, p.offPeak, before)
    line({
      bench: 'appliances',
      profile: p.name,
      seed: p.seed,
      days: 30,
      waterHeater: e.waterHeater,
      heating: e.heating,
      cookingPerUse: e.cooking,
      energyWh: e.energyWh,
      truthWh: e.truthWh,
      ...(b === null
        ? {}
        : {
            before: {
              waterHeater: b.waterHeater,
              heating: b.heating,
              cookingPerUse: b.cooking,
              energyWh: b.energyWh,
            },
          }),
      target: 'precision and recall >= 0.8 for water heater and heating',
    })
  }

  // 2. A full year.
  if (parts.has('year')) {
    const interval = process.env.BENCH_YEAR_INTERVAL ?? '1m'
    const reuse = { sqlite: process.env.BENCH_YEAR_SQLITE, postgres: process.env.BENCH_YEAR_PG }
    const rec = join(dir, 'year.ticrec')
    if (reuse.sqlite === undefined || reuse.postgres === undefined)
      run([
        'simulate',
        '--option',
        'tempo',
        '--seed',
        '404',
        '--start',
        '2025-01-01T00:00:00+01:00',
        '--duration',
        '365d',
        '--interval',
        interval,
        '--speed',
        'max',
        '--out',
        rec,
        '--format',
        'record',
      ])
    const from = parseLocalDate('2025-01-01')
    const to = parseLocalDate('2026-01-01')
    const schema = `bench_${Math.random().toString(36).slice(2, 10)}`
    const targets = [
      { engine: 'sqlite', target: reuse.sqlite ?? join(dir, 'year.db') },
      {
        engine: 'postgres',
        target: reuse.postgres ?? `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`,
      },
    ]
    const baselineCli = process.env.BENCH_BASELINE_CLI
    for (const t of targets) {
      const t0 = performance.now()
      if (reuse[t.engine] === undefined) run(['replay', rec, '--speed', 'max', '--store', t.target])
      const importMs = reuse[t.engine] === undefined ? performance.now() - t0 : null
      const store = await openStore(t.target)
      const runs = []
      for (let i = 0; i < 3; i++) {
        const a = performance.now()
        const meter = await pickMeter(store.history, null)
        const data = await loadReportData(store.history, meter, from, to)
        const b = performance.now()
        const report = buildReport(data, DEFAULT_SETTINGS)
        const c = performance.now()
        runs.push({
          queryMs: b - a,
          computeMs: c - b,
          minutePoints: data.minutes.t.length,
          days: report.coverage.daysWithData,
        })
      }
      await store.close()
      // Baselines back to back with the command.
      const nodeStart = wall(['-e', '0'])
      const cliHelp = wall([cli, '--help'])
      const reportArgs = [
        'report',
        '--store',
        t.target,
        '--from',
        '2025-01-01',
        '--to',
        '2026-01-01',
        '--format',
        'json',
      ]
      // The baseline CLI (if any) and this one alternate, best of three each.
      const better = (a, b) => ({
        wallMs: Math.min(a.wallMs, b.wallMs),
        cpuMs: b.cpuMs === null ? null : Math.min(a.cpuMs, b.cpuMs),
      })
      let cliMs = { wallMs: Infinity, cpuMs: Infinity }
      let baseMs = baselineCli === undefined ? null : { wallMs: Infinity, cpuMs: Infinity }
      for (let i = 0; i < 3; i++) {
        if (baseMs !== null) baseMs = better(baseMs, wall([baselineCli, ...reportArgs], 1))
        cliMs = better(cliMs, wall([cli, ...reportArgs], 1))
      }
      const best = runs.reduce((x, y) =>
        x.queryMs + x.computeMs <= y.queryMs + y.computeMs ? x : y,
      )
      line({
        bench: 'year-report',
        engine: t.engine,
        frameInterval: interval,
        importMs: importMs === null ? null : Math.round(importMs),
        queryMs: Math.round(best.queryMs),
        computeMs: Math.round(best.computeMs),
        minutePoints: best.minutePoints,
        daysWithData: best.days,
        // Best of three, wall and CPU (user + system), each beside the same run's baselines.
        cliReportMs: cliMs.wallMs,
        cliReportCpuMs: cliMs.cpuMs,
        baselineNodeStartMs: nodeStart.wallMs,
        baselineNodeStartCpuMs: nodeStart.cpuMs,
        baselineCliHelpMs: cliHelp.wallMs,
        baselineCliHelpCpuMs: cliHelp.cpuMs,
        beyondNodeStartMs: cliMs.wallMs - nodeStart.wallMs,
        beyondNodeStartCpuMs:
          cliMs.cpuMs === null || nodeStart.cpuMs === null ? null : cliMs.cpuMs - nodeStart.cpuMs,
        ...(baseMs === null
          ? {}
          : {
              baselineCli,
              baselineReportMs: baseMs.wallMs,
              baselineReportCpuMs: baseMs.cpuMs,
              baselineBeyondNodeStartCpuMs:
                baseMs.cpuMs === null || nodeStart.cpuMs === null
                  ? null
                  : baseMs.cpuMs - nodeStart.cpuMs,
            }),
        ceilingMs: 1000,
      })
    }
    if (reuse.postgres === undefined) {
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`drop schema if exists ${schema} cascade`)
      await client.end()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
