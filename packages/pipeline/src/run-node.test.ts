import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defer, from, map, tap, throwError } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { DiagnosticsSnapshot, HistoryStore, PipelineFrame } from '@linkyrpi/tic-core/stage'
import { loadConfig, parseConfig } from './config/load-config.js'
import { BUILTIN_STAGES } from './registry.js'
import { memoryLogger } from './runtime/memory-logger.js'
import { startNode } from './run-node.js'
import type { SinkDefinition, SourceDefinition } from './stage-definition.js'
import { buildFrame, concat } from '@linkyrpi/tic-core/testing'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { encodeRecord, encodeRecordingHeader } from '@linkyrpi/source-serial'
import { openStore } from './store-target.js'
import { DIAGNOSTICS_SNAPSHOT, HISTORY_STORE } from './tokens.js'

const examples = fileURLToPath(new URL('../examples/', import.meta.url))

/** A test registry: the built-ins plus sinks that record, fail, or look things up in the container. */
function testRegistry() {
  const seen = new Map<string, PipelineFrame[]>()
  const collect: SinkDefinition<{ failEvery?: number | undefined }> = {
    role: 'sink',
    summary: 'records frames',
    options: z.strictObject({ failEvery: z.number().optional() }),
    create: (options, ctx) => (input) => {
      const list = seen.get(ctx.stage) ?? []
      seen.set(ctx.stage, list)
      return input.pipe(
        tap((f) => {
          if (
            options.failEvery !== undefined &&
            f.meta.seq % options.failEvery === 0 &&
            !list.some((x) => x.meta.seq === f.meta.seq)
          ) {
            list.push(f)
            throw new Error('flaky sink')
          }
          if (!list.some((x) => x.meta.seq === f.meta.seq)) list.push(f)
        }),
        map((f) => ({ seq: f.meta.seq, sink: ctx.stage })),
      )
    },
  }
  const storedMeters = [{ id: '021861348591' }]
  const fakeHistory = { meters: async () => storedMeters } as unknown as HistoryStore
  const store: SinkDefinition<object> = {
    role: 'sink',
    summary: 'offers a history',
    options: z.strictObject({}),
    providesHistory: true,
    create: (_o, ctx) => ({
      stage: (input) => input.pipe(map((f) => ({ seq: f.meta.seq, sink: ctx.stage }))),
      history: fakeHistory,
    }),
  }
  const lookups: { history?: HistoryStore; snapshot?: () => DiagnosticsSnapshot } = {}
  const dashboard: SinkDefinition<object> = {
    role: 'sink',
    summary: 'resolves from the container',
    options: z.strictObject({}),
    durable: false,
    create: (_o, ctx, di) => {
      lookups.history = di.isRegistered(HISTORY_STORE, true) ? di.resolve(HISTORY_STORE) : undefined
      lookups.snapshot = di.resolve(DIAGNOSTICS_SNAPSHOT)
      return (input) => input.pipe(map((f) => ({ seq: f.meta.seq, sink: ctx.stage })))
    },
  }
  return { registry: { ...BUILTIN_STAGES, collect, store, dashboard }, seen, lookups, storedMeters }
}

describe('startNode', () => {
  it('runs source → decoder → every sink; a failing sink is restarted without holding the others', async () => {
    const { registry, seen } = testRegistry()
    const config = await parseConfig(
      `
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, speed: 0, frames: 120, seed: 7 }
  frames: { type: tic-decode, from: meter }
  good: { type: collect, from: frames }
  flaky: { type: collect, from: frames, failEvery: 40 }
`,
      { registry },
    )
    const logger = memoryLogger()
    const node = await startNode(config, { platform: { logger } })
    await node.done
    expect(seen.get('good')?.map((f) => f.meta.seq)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    )
    expect(new Set(seen.get('flaky')?.map((f) => f.meta.seq)).size).toBe(120)
    const snapshot = node.snapshot()
    expect(snapshot.source).toMatchObject({
      id: 'meter',
      frames: 120,
      state: 'simulating',
      mode: 'historique',
    })
    expect(snapshot.source.bytes).toBeGreaterThan(120 * 50)
    expect(snapshot.sinks.find((s) => s.id === 'good')).toMatchObject({
      acked: 120,
      lag: 0,
      errors: 0,
    })
    expect(snapshot.sinks.find((s) => s.id === 'flaky')).toMatchObject({
      acked: 120,
      lag: 0,
      errors: 3,
      retries: 3,
    })
    expect(logger.records.some((r) => r.message === 'node stopped')).toBe(true)
  })

  it('gives the dashboard the history of a store configured after it, and the diagnostics provider (DI without decorators)', async () => {
    const { registry, lookups, storedMeters } = testRegistry()
    const config = await parseConfig(
      'diagnostics: { logIntervalMs: 0 }\nstages:\n  m: { type: simulator, speed: 0, frames: 3 }\n  f: { type: tic-decode, from: m }\n  dash: { type: dashboard, from: f }\n  db: { type: store, from: f }\n',
      { registry },
    )
    const node = await startNode(config)
    await node.done
    expect(await lookups.history?.meters()).toBe(storedMeters)
    expect(lookups.snapshot?.().source.frames).toBe(3)
  })

  it('stops gracefully: the source completes, sinks flush, the CSV example has every acknowledged frame', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-node-'))
    const file = join(dir, 'linkyrpi.config.yaml')
    await writeFile(
      file,
      `diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, speed: 20 }
  frames: { type: tic-decode, from: meter }
  csv: { type: "${join(examples, 'csv-sink.mjs')}", from: frames, path: "\${CSV_FILE}", flushMs: 60000 }
`,
    )
    const csvFile = join(dir, 'readings.csv')
    const config = await loadConfig(file, { env: { CSV_FILE: csvFile } })
    const node = await startNode(config)
    while (node.snapshot().source.frames < 5)
      await new Promise((resolve) => setTimeout(resolve, 20))
    node.stop()
    await node.done
    const lines = (await readFile(csvFile, 'utf8')).trim().split('\n')
    const snapshot = node.snapshot()
    expect(lines[0]).toBe('received_at,meter,mode,period,power_va,import_wh')
    expect(lines.length - 1).toBe(snapshot.source.frames)
    expect(snapshot.sinks[0]).toMatchObject({
      id: 'csv',
      acked: snapshot.source.frames,
      lag: 0,
      state: 'done',
    })
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT.*,"\d{12}",historique,"H[PC]\.\.",\d+,\d+$/)
  })

  it('spools a postgres stage into <dataDir>/spool/<stage> while the database cannot be reached', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-node-'))
    // Port 9 (discard) is closed on loopback: every connection is refused at once.
    const config = await parseConfig(
      `dataDir: "${dir}"
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, speed: 0, frames: 20 }
  frames: { type: tic-decode, from: meter }
  db: { type: postgres, from: frames, url: "postgres://root@127.0.0.1:9/none", retentionDays: 0, completeTimeoutMs: 100, flushMs: 10 }
`,
    )
    const logger = memoryLogger()
    const node = await startNode(config, { platform: { logger } })
    await node.done
    const spooled = await readdir(join(dir, 'spool', 'db'))
    expect(spooled.filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(0)
    const lines = (
      await Promise.all(spooled.map((f) => readFile(join(dir, 'spool', 'db', f), 'utf8')))
    )
      .join('')
      .trim()
      .split('\n')
    expect(lines.length).toBe(20)
    expect(node.snapshot().sinks.find((s) => s.id === 'db')).toMatchObject({ acked: 20 })
    expect(
      logger.records.some((r) => r.message === 'database unreachable, spooling frames to disk'),
    ).toBe(true)
  })

  it('replays a recording into SQLite with its recorded receive times: a second run adds nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-node-'))
    // Historique frames (no meter clock): their key in the store is their receive time.
    const sim = createMeterSimulator({
      mode: 'historique',
      seed: 3,
      start: Date.UTC(2026, 0, 5, 8),
      intervalMs: 1500,
    })
    const parts: Uint8Array[] = [
      encodeRecordingHeader({ startedAt: new Date(Date.UTC(2026, 0, 5, 8)).toISOString() }),
    ]
    const times: number[] = []
    for (let i = 0; i < 40; i++) {
      const f = sim.next()
      times.push(f.at + f.durationMs - 25)
      parts.push(encodeRecord(times[i]!, f.bytes))
    }
    await writeFile(join(dir, 'morning.ticrec'), concat(parts))
    const yaml = `dataDir: "${dir}"
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: replay, path: "${join(dir, 'morning.ticrec')}", speed: max }
  frames: { type: tic-decode, from: meter }
  db: { type: sqlite, from: frames, retentionDays: 0, flushMs: 10 }
`
    for (let run = 0; run < 2; run++) {
      const node = await startNode(await parseConfig(yaml))
      await node.done
    }
    const store = await openStore(join(dir, 'linkyrpi.db'))
    try {
      const rows = await store.engine.db
        .selectFrom('samples')
        .select(['t', 'received_at'])
        .orderBy('t')
        .execute()
      expect(rows.map((r) => Number(r.t))).toEqual(times)
    } finally {
      await store.close()
    }
  })

  it('retries a source that fails with a transient error, and fails the node on any other error', async () => {
    const { registry, seen } = testRegistry()
    let opened = 0
    const flaky: SourceDefinition<{ fatal: boolean }> = {
      role: 'source',
      summary: 'fails once',
      options: z.strictObject({ fatal: z.boolean() }),
      create: (options) =>
        defer(() => {
          opened += 1
          if (opened === 1)
            return throwError(() =>
              Object.assign(new Error('port unplugged'), { transient: !options.fatal }),
            )
          return from([
            buildFrame('historique', [
              ['ADCO', '021861348497'],
              ['BASE', '000000001'],
            ]),
          ])
        }),
    }
    const config = await parseConfig(
      'diagnostics: { logIntervalMs: 0 }\nstages:\n  m: { type: flaky, fatal: false }\n  f: { type: tic-decode, from: m }\n  out: { type: collect, from: f }\n',
      {
        registry: { ...registry, flaky },
      },
    )
    const logger = memoryLogger()
    const node = await startNode(config, { platform: { logger } })
    await node.done
    expect(opened).toBe(2)
    expect(seen.get('out')).toHaveLength(1)
    expect(
      logger.records.some((r) => r.level === 'warn' && r.message === 'source failed, retrying'),
    ).toBe(true)

    opened = 0
    const fatal = await parseConfig(
      'diagnostics: { logIntervalMs: 0 }\nstages:\n  m: { type: flaky, fatal: true }\n  f: { type: tic-decode, from: m }\n  out2: { type: collect, from: f }\n',
      {
        registry: { ...registry, flaky },
      },
    )
    const failing = await startNode(fatal)
    await expect(failing.done).rejects.toThrow(/m: source failed/)
    expect(opened).toBe(1)
  })

  it('refuses a node without stages', async () => {
    const config = await parseConfig(
      'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  o: { type: log, from: f }\n',
    )
    await expect(startNode(config, { node: 'pi' })).rejects.toThrow(
      /node 'pi' has no stages \(nodes in this file: main\)/,
    )
  })
})
