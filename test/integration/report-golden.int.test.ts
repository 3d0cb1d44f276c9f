import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLocalDate } from '@linkyrpi/analytics'
import { openStore } from '@linkyrpi/pipeline'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { importChunks } from '@linkyrpi/store'
import { reportCommand } from '../../apps/linkyrpi/src/commands/report.js'
import { recordingIo } from '../support/command-io.js'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

// `linkyrpi report --format json` is a stable contract (docs/analytics.md): the same store gives
// the same bytes, whatever the read path (light reader or full store, SQLite or PostgreSQL,
// packed PostgreSQL minutes) and however the analytics computes them. The expectation was
// printed by the report before its read path and analytics were made faster (issue #12); it is
// rewritten only with LINKY_UPDATE_GOLDEN=1, after checking the change is meant.

const pgUp = await tcpReachable('127.0.0.1', 5432)
const FROM = '2026-01-28'
const TO = '2026-03-04'

/** Two meters: a single-phase Tempo consumer (the slim reads) and a three-phase producer. */
const METERS = [
  { name: 'tempo', option: 'tempo', seed: 12, phases: 1, producer: false },
  { name: 'three-phase-producer', option: 'hc', seed: 13, phases: 3, producer: true },
] as const

const expectationPath = (meter: string): string =>
  fileURLToPath(new URL(`./report-golden.${meter}.expected.json`, import.meta.url))

function golden(makeTarget: () => TestTarget): void {
  const targets = new Map<string, TestTarget>()
  beforeAll(async () => {
    for (const m of METERS) {
      const target = makeTarget()
      targets.set(m.name, target)
      const sim = createMeterSimulator({
        option: m.option,
        mode: 'standard',
        phases: m.phases,
        producer: m.producer,
        seed: m.seed,
        start: parseLocalDate(FROM) as number,
        intervalMs: 300_000,
      })
      const end = parseLocalDate(TO) as number
      const frames: { atMs: number; bytes: Uint8Array }[] = []
      while (sim.now < end) {
        const f = sim.next()
        frames.push({ atMs: f.at, bytes: f.bytes })
      }
      const store = await openStore(target.target)
      try {
        await importChunks(frames, store)
      } finally {
        await store.close()
      }
    }
  }, 900_000)
  afterAll(async () => {
    for (const t of targets.values()) await t.dispose()
  })

  for (const m of METERS)
    it(`prints the expected JSON for ${m.name}, through the full store and the light reader`, async () => {
      const target = targets.get(m.name) as TestTarget
      const args = ['--store', target.text, '--from', FROM, '--to', TO, '--format', 'json']
      const first = recordingIo()
      expect(await reportCommand.run(args, first)).toBe(0) // writes the prices (full store)
      const second = recordingIo()
      expect(await reportCommand.run(args, second)).toBe(0) // the light reader
      expect(second.err()).toBe('')
      expect(second.out()).toBe(first.out())
      const path = expectationPath(m.name)
      if (process.env.LINKY_UPDATE_GOLDEN === '1') writeFileSync(path, second.out())
      expect(existsSync(path), `${path} is missing: LINKY_UPDATE_GOLDEN=1 writes it`).toBe(true)
      expect(second.out()).toBe(readFileSync(path, 'utf8'))
    }, 120_000)
}

describe('linkyrpi report JSON on SQLite is the expected one', () => golden(sqliteTarget))

describeWithService(
  'PostgreSQL',
  pgUp,
  'linkyrpi report JSON on PostgreSQL is the expected one',
  () => golden(postgresTarget),
)
