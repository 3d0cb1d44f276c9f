import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '@linkyrpi/pipeline'
import { syntheticCapture } from '@linkyrpi/store/testing'
import { dbMigrateCommand } from '../../apps/linkyrpi/src/commands/db-migrate.js'
import { replayCommand } from '../../apps/linkyrpi/src/commands/replay.js'
import { recordingIo as io } from '../support/command-io.js'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)

async function snapshot(target: TestTarget): Promise<unknown> {
  const store = await openStore(target.target)
  const out: Record<string, unknown> = {}
  for (const t of [
    'meters',
    'contracts',
    'samples',
    'registers',
    'events',
    'power_rollups',
    'energy_rollups',
  ] as const) {
    out[t] = (await store.engine.db.selectFrom(t).selectAll().execute()).length
  }
  out.samplesT = (
    await store.engine.db
      .selectFrom('samples')
      .select(['meter', 't'])
      .orderBy('meter')
      .orderBy('t')
      .execute()
  ).map((r) => `${r.meter}@${String(r.t)}`)
  await store.close()
  return out
}

function cli(makeTarget: () => TestTarget): void {
  let target: TestTarget
  let standard: string
  let historique: string
  beforeAll(() => {
    target = makeTarget()
    standard = join(target.dir, 'standard.tic')
    historique = join(target.dir, 'historique.tic')
    writeFileSync(
      standard,
      syntheticCapture({ start: Date.UTC(2026, 9, 1), count: 1500, intervalMs: 2000 }),
    )
    writeFileSync(
      historique,
      syntheticCapture({
        start: Date.UTC(2026, 9, 1),
        count: 800,
        intervalMs: 1500,
        mode: 'historique',
        meter: '031762120123',
      }),
    )
  })
  afterAll(async () => {
    await target?.dispose()
  })

  it('db migrate creates the schema, then reports it up to date', async () => {
    const a = io()
    expect(await dbMigrateCommand.run(['--store', target.text], a)).toBe(0)
    expect(a.out()).toMatch(/applied 2026_11_28_000000_initial/)
    const b = io()
    expect(await dbMigrateCommand.run(['--store', target.text], b)).toBe(0)
    expect(b.out()).toMatch(/already up to date/)
  })

  it('replay --store imports a capture; running it twice leaves exactly the same rows', async () => {
    const a = io()
    expect(await replayCommand.run([standard, '--speed', 'max', '--store', target.text], a)).toBe(0)
    expect(a.err()).toMatch(/1500 frames, 1500 stored, 0 already stored/)
    expect(a.err()).not.toMatch(/created a new store/)
    const h = io()
    expect(await replayCommand.run([historique, '--store', target.text], h)).toBe(0)
    expect(h.err()).toMatch(/800 frames, 800 stored/)
    const first = await snapshot(target)
    const b = io()
    expect(await replayCommand.run([standard, '--speed', 'max', '--store', target.text], b)).toBe(0)
    expect(b.err()).toMatch(/1500 frames, 0 stored, 1500 already stored/)
    expect(await replayCommand.run([historique, '--store', target.text], io())).toBe(0)
    expect(await snapshot(target)).toEqual(first)
  })
}

describe('store CLI: sqlite', () => {
  cli(sqliteTarget)
  it('replay --store into a path where no store exists says so on stderr (a mistyped path must not go unnoticed)', async () => {
    const t = sqliteTarget()
    try {
      const capture = join(t.dir, 'capture.tic')
      writeFileSync(
        capture,
        syntheticCapture({ start: Date.UTC(2026, 0, 10), count: 20, mode: 'standard' }),
      )
      const a = io()
      expect(await replayCommand.run([capture, '--store', t.text], a)).toBe(0)
      expect(a.err()).toContain(`linkyrpi replay: created a new store at ${t.text}\n`)
      expect(a.err()).toMatch(/20 frames, 20 stored/)
      const b = io()
      expect(await replayCommand.run([capture, '--store', t.text], b)).toBe(0)
      expect(b.err()).not.toMatch(/created a new store/)
      // A relative path is named in full.
      const c = io()
      const cwd = process.cwd()
      process.chdir(t.dir)
      try {
        expect(await replayCommand.run([capture, '--store', 'typo.db'], c)).toBe(0)
      } finally {
        process.chdir(cwd)
      }
      expect(c.err()).toContain(`created a new store at ${join(t.dir, 'typo.db')}`)
    } finally {
      await t.dispose()
    }
  })
  it('rejects a target that is neither a file nor postgres://', async () => {
    await expect(dbMigrateCommand.run(['--store', 'mysql://localhost/x'], io())).rejects.toThrow(
      /unsupported store URL/,
    )
    await expect(dbMigrateCommand.run([], io())).rejects.toThrow(/--store TARGET is required/)
  })
  it('db migrate fails with exit code 1 when PostgreSQL cannot be reached', async () => {
    const a = io()
    expect(await dbMigrateCommand.run(['--store', 'postgres://root@127.0.0.1:1/test'], a)).toBe(1)
    expect(a.err()).toMatch(/cannot connect to PostgreSQL/)
  })
})
describeWithService('postgresql', pgUp, 'store CLI: postgres', () => cli(() => postgresTarget()))
