import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLocalDate } from '@linkyrpi/analytics'
import { openStore } from '@linkyrpi/pipeline'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { importChunks } from '@linkyrpi/store'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

// What `linkyrpi report` loads (docs/analytics.md, performance): on a store that is up to date
// (every migration, the shipped prices already in `tariff_prices`) it reads through the engine's
// light reader, without Kysely, YAML or RxJS. Only a store missing something opens the full
// store (Kysely) to write it. The built app runs as a user runs it, with a loader hook recording
// every module it loads.

const pgUp = await tcpReachable('127.0.0.1', 5432)
const root = fileURLToPath(new URL('../../', import.meta.url))
const APP = join(root, 'apps/linkyrpi/dist/main.js')
const RECORDER = fileURLToPath(new URL('../support/record-loads.mjs', import.meta.url))
// reflect-metadata: only commands that run a pipeline (tsyringe) need it.
const HEAVY = ['kysely', 'yaml', 'rxjs', 'reflect-metadata']

/** Runs `linkyrpi report <args>`: exit code, stdout, stderr and the heavy packages it loaded. */
function report(
  dir: string,
  args: readonly string[],
): { status: number | null; out: string; err: string; heavy: string[] } {
  const record = join(dir, 'report.loads')
  rmSync(record, { force: true })
  const r = spawnSync(process.execPath, ['--import', RECORDER, APP, 'report', ...args], {
    env: { ...process.env, LINKY_RECORD_LOADS: record },
    encoding: 'utf8',
  })
  const urls = existsSync(record) ? readFileSync(record, 'utf8').split('\n') : []
  const heavy = HEAVY.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)))
  return { status: r.status, out: r.stdout, err: r.stderr, heavy }
}

function lazyReport(makeTarget: () => TestTarget): void {
  let target: TestTarget
  beforeAll(async () => {
    if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
    target = makeTarget()
    const sim = createMeterSimulator({
      option: 'hc',
      seed: 9,
      start: parseLocalDate('2026-02-27') as number,
      intervalMs: 600_000,
    })
    const frames: { atMs: number; bytes: Uint8Array }[] = []
    while (sim.now < (parseLocalDate('2026-03-02') as number)) {
      const f = sim.next()
      frames.push({ atMs: f.at, bytes: f.bytes })
    }
    const store = await openStore(target.target)
    try {
      await importChunks(frames, store)
    } finally {
      await store.close()
    }
  }, 120_000)
  afterAll(async () => {
    await target?.dispose()
  })

  it('writes the shipped prices once (Kysely), then reads without Kysely, YAML or RxJS: the same report', () => {
    const args = ['--store', target.text, '--from', '2026-02-27', '--to', '2026-03-02']
    const first = report(target.dir, [...args, '--format', 'json'])
    expect(first.err).toBe('')
    expect(first.status).toBe(0)
    // The recorder works: the store had no prices yet, so the full store wrote them.
    expect(first.heavy).toContain('kysely')
    const second = report(target.dir, [...args, '--format', 'json'])
    expect(second.status).toBe(0)
    expect(second.heavy).toEqual([])
    expect(second.out).toBe(first.out)
    expect(JSON.parse(second.out)).toMatchObject({ from: '2026-02-27', to: '2026-03-02' })
  })

  it('a --config with other prices writes them, then reads light again', () => {
    const config = join(target.dir, 'prices.yaml')
    writeFileSync(
      config,
      "analytics:\n  prices:\n    grids:\n      - validFrom: '2026-03-01'\n        options: { hc: { energy: { hp: 0.3, hc: 0.1 }, subscription: { '6': 20 } } }\n",
    )
    const args = ['--store', target.text, '--from', '2026-02-27', '--to', '2026-03-02']
    const first = report(target.dir, [...args, '--config', config, '--format', 'json'])
    expect(first.status).toBe(0)
    expect(first.heavy).toEqual(['kysely', 'yaml'])
    const second = report(target.dir, [...args, '--config', config, '--format', 'json'])
    expect(second.heavy).toEqual(['yaml'])
    expect(second.out).toBe(first.out)
  })
}

describe('linkyrpi report loads only what it uses: sqlite', () => {
  lazyReport(sqliteTarget)

  it('migrates a store file without tables first, as before', () => {
    const t = sqliteTarget()
    try {
      const path = join(t.dir, 'empty.db')
      writeFileSync(path, '')
      const r = report(t.dir, ['--store', path])
      expect(r.status).toBe(2)
      expect(r.err).toMatch(/the store holds no meter yet/)
    } finally {
      void t.dispose()
    }
  })
})
describeWithService('postgresql', pgUp, 'linkyrpi report loads only what it uses: postgres', () =>
  lazyReport(() => postgresTarget()),
)
