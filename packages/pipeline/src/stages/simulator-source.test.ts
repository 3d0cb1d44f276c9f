import { lastValueFrom, map, toArray } from 'rxjs'
import type { Observable } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type {
  DiagnosticEvent,
  PipelineFrame,
  StageContext,
  TimedChunk,
} from '@linkyrpi/tic-core/stage'
import { parseConfig } from '../config/load-config.js'
import { BUILTIN_STAGES } from '../registry.js'
import { memoryLogger } from '../runtime/memory-logger.js'
import { startNode } from '../run-node.js'
import type { SinkDefinition } from '../stage-definition.js'
import { simulatorSource as librarySource } from '../sources/simulator-source.js'
import type { SimulatorSourceOptions } from '../sources/simulator-source.js'
import { simulatorSource } from './simulator-source.js'

const START = Date.parse('2026-03-01T00:00:00Z')

function context(events: DiagnosticEvent[] = [], now = () => START): StageContext {
  return {
    stage: 'meter',
    logger: memoryLogger(),
    diagnostics: { report: (e) => events.push(e) },
    now,
  }
}

/** The `simulator` stage built from config-style options, as the runner builds it. */
function stage(
  options: Record<string, unknown>,
  ctx: StageContext = context(),
): Observable<TimedChunk> {
  const parsed = simulatorSource.options.safeParse(options)
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues))
  return simulatorSource.create(parsed.data, ctx, undefined as never) as Observable<TimedChunk>
}

/** Chunks as comparable values: bytes (latin1) and stamp. */
const chunks = (source: Observable<TimedChunk>) =>
  lastValueFrom(
    source.pipe(
      map((c) => [Buffer.from(c).toString('latin1'), c.receivedAt] as const),
      toArray(),
    ),
  )

/** Runs `meter` → tic-decode → a collecting sink on a node; returns the decoded frames. */
async function throughNode(meter: string): Promise<PipelineFrame[]> {
  const seen: PipelineFrame[] = []
  const collect: SinkDefinition<object> = {
    role: 'sink',
    summary: 'records frames',
    options: z.strictObject({}),
    create: (_o, ctx) => (input) =>
      input.pipe(map((f) => (seen.push(f), { seq: f.meta.seq, sink: ctx.stage }))),
  }
  const config = await parseConfig(
    `diagnostics: { logIntervalMs: 0 }\nstages:\n  meter: ${meter}\n  frames: { type: tic-decode, from: meter }\n  out: { type: collect, from: frames }\n`,
    {
      registry: { ...BUILTIN_STAGES, collect },
    },
  )
  const node = await startNode(config)
  await node.done
  return seen
}

describe('simulator stage', () => {
  it('gives each decoded frame its simulated end as meta.receivedAt, as fast as possible and paced', async () => {
    const expected = Array.from({ length: 6 }, (_, k) => START + k * 2000 + 1975)
    for (const speed of [0, 40]) {
      const frames = await throughNode(
        `{ type: simulator, seed: 3, start: "2026-03-01T00:00:00Z", intervalMs: 2000, frames: 6, speed: ${String(speed)} }`,
      )
      expect(frames.map((f) => f.meta.receivedAt)).toEqual(expected)
      expect(frames.map((f) => f.meta.seq)).toEqual([1, 2, 3, 4, 5, 6])
    }
  })

  it('slices frames at a finite speed, every slice stamped, and emits one stamped chunk per frame at speed 0', async () => {
    const max = await chunks(stage({ speed: 0, frames: 4, intervalMs: 2000 }))
    const paced = await chunks(stage({ speed: 100, frames: 4, intervalMs: 2000 }))
    expect(max.map(([, at]) => at)).toEqual([0, 1, 2, 3].map((k) => START + k * 2000 + 1975))
    expect(paced.length).toBeGreaterThan(4 * 10)
    expect(paced.map(([bytes]) => bytes).join('')).toBe(max.map(([bytes]) => bytes).join(''))
    const stamps = paced.map(([, at]) => at as number)
    expect(stamps.every((at, i) => i === 0 || at > (stamps[i - 1] as number))).toBe(true)
    expect(stamps.filter((at) => (at - START) % 2000 === 1975)).toEqual(max.map(([, at]) => at))
  })

  it('completes after `frames` frames, or after `durationMs` when that comes first', async () => {
    expect(await chunks(stage({ speed: 0, frames: 7 }))).toHaveLength(7)
    expect(
      await chunks(stage({ speed: 0, frames: 70, intervalMs: 1000, durationMs: 5000 })),
    ).toHaveLength(5)
    const frames = await throughNode('{ type: simulator, mode: standard, speed: 100, frames: 3 }')
    expect(frames).toHaveLength(3)
  })

  it('gives the same chunks, bytes and stamps, as the library source with the same options', async () => {
    const defaults: SimulatorSourceOptions = {
      mode: 'historique',
      option: 'hc',
      phases: 1,
      producer: false,
      seed: 1,
      start: START,
    }
    expect(await chunks(stage({ speed: 0, frames: 300 }))).toEqual(
      await chunks(librarySource({ ...defaults, speed: 'max', frames: 300 })),
    )
    const standard = {
      mode: 'standard',
      option: 'tempo',
      phases: 3,
      producer: true,
      seed: 8,
    } as const
    expect(
      await chunks(stage({ ...standard, start: '2026-03-01T00:00:00Z', speed: 200, frames: 3 })),
    ).toEqual(await chunks(librarySource({ ...standard, start: START, speed: 200, frames: 3 })))
    expect(await chunks(stage({ speed: 0, intervalMs: 60_000, durationMs: 3_600_000 }))).toEqual(
      await chunks(
        librarySource({ ...defaults, intervalMs: 60_000, speed: 'max', durationMs: 3_600_000 }),
      ),
    )
  })

  it('starts the meter at ctx.now() of each subscription and reports the simulating state each time', async () => {
    const events: DiagnosticEvent[] = []
    let now = START
    const source = stage(
      { mode: 'standard', speed: 0, frames: 1 },
      context(events, () => now),
    )
    const [first] = await chunks(source)
    now = START + 86_400_000
    const [second] = await chunks(source)
    expect((second?.[1] as number) - (first?.[1] as number)).toBe(86_400_000)
    expect(events).toEqual(
      [0, 1].map(() => ({
        kind: 'state',
        stage: 'meter',
        state: 'simulating',
        detail: { mode: 'standard', baudRate: 9600 },
      })),
    )
  })
})
