/** Shared helpers of the store-*.int.test.ts files: per-test stores on both engines. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { StoreTarget } from '@linkyrpi/pipeline'
import { openPostgresStore } from '@linkyrpi/sink-postgres'
import { openSqliteStore } from '@linkyrpi/sink-sqlite'
import type { Store, StoreOptions } from '@linkyrpi/store'
import type { TicReading } from '@linkyrpi/tic-core'
import type { DiagnosticEvent, Logger, StageContext } from '@linkyrpi/tic-core/stage'
import { PG_URL } from '../support/services.js'

/** A store location for one test file, removed by `dispose`. */
export interface TestTarget {
  readonly target: StoreTarget
  /** Same target as a command-line string. */
  readonly text: string
  readonly dir: string
  dispose(): Promise<void>
}

/** A fresh SQLite file in a temporary directory. */
export function sqliteTarget(): TestTarget {
  const dir = mkdtempSync(join(tmpdir(), 'linky-store-'))
  const path = join(dir, 'linky.db')
  return {
    target: { kind: 'sqlite', path },
    text: path,
    dir,
    dispose: () => {
      rmSync(dir, { recursive: true, force: true })
      return Promise.resolve()
    },
  }
}

/** A fresh PostgreSQL schema `t_<random>` on the test server, dropped by `dispose`. */
export function postgresTarget(url: string = PG_URL): TestTarget {
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`
  const dir = mkdtempSync(join(tmpdir(), 'linky-store-'))
  return {
    target: { kind: 'postgres', url, schema },
    text: `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`,
    dir,
    async dispose() {
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`drop schema if exists ${schema} cascade`)
      await client.end()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A logger that records messages. */
export function recordingLogger(
  lines: { level: string; message: string; fields?: unknown }[] = [],
): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
    child: () => logger,
  }
  return logger
}

/** A stage context with a recording logger and diagnostics. */
export function testContext(stage = 'store'): StageContext & {
  readonly logs: { level: string; message: string; fields?: unknown }[]
  readonly events: DiagnosticEvent[]
} {
  const logs: { level: string; message: string; fields?: unknown }[] = []
  const events: DiagnosticEvent[] = []
  return {
    stage,
    logger: recordingLogger(logs),
    diagnostics: { report: (e) => events.push(e) },
    now: () => Date.now(),
    logs,
    events,
  }
}

/** One engine under test: how to make a fresh target and open a store on it with options. */
export interface StoreCase {
  readonly name: 'sqlite' | 'postgres'
  /** The service the engine needs (null: none). */
  readonly service: 'postgres' | null
  readonly target: () => TestTarget
  readonly open: (t: TestTarget, options: StoreOptions) => Promise<Store>
}

/** Both engines, SQLite first (for tests that run the same cases on each). */
export const STORE_CASES: readonly StoreCase[] = [
  {
    name: 'sqlite',
    service: null,
    target: sqliteTarget,
    open: (t, o) => openSqliteStore((t.target as { path: string }).path, o),
  },
  {
    name: 'postgres',
    service: 'postgres',
    target: () => postgresTarget(),
    open: (t, o) => openPostgresStore(t.text, o),
  },
]

/**
 * A synthetic frame's reading made three-phase and producing, every sample column holding values
 * varied by the frame's index `k`: per-phase powers, injection (null every 5th frame), currents,
 * voltages and the export index.
 */
export function threePhaseProducer(reading: TicReading, k: number): TicReading {
  const va = reading.power.apparentVA!
  return {
    ...reading,
    meter: { ...reading.meter, phases: 3, producer: true },
    power: {
      ...reading.power,
      apparentVAByPhase: [
        Math.round(va / 3),
        Math.round(va / 3) + 7,
        va - 2 * Math.round(va / 3) - 7,
      ],
      injectedVA: k % 5 === 0 ? null : (k * 13) % 900,
    },
    current: { ...reading.current, rmsA: [k % 9, (k + 1) % 9, (k + 2) % 9] },
    voltage: { ...reading.voltage, rmsV: [230 + (k % 4), 231, 229 - (k % 3)] },
    energy: { ...reading.energy, exportWh: 50_000 + Math.floor(k / 40) },
  }
}
