import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Subject } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Ack, Logger, PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { StoreConnectionError } from './errors.js'
import type { Store } from './store.js'
import { storeSink } from './store-sink.js'
import { syntheticFrames } from './testing/index.js'

// A full garbage collection on demand, whether or not the worker runs with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
}
const context = (): StageContext => ({
  stage: 'store',
  logger: quiet,
  diagnostics: { report: () => undefined },
  now: () => Date.now(),
})

/** A store whose writer counts the records it is given and keeps none of them. */
function countingStore(written: { n: number }): Store {
  return {
    engine: { kind: 'sqlite' },
    ingest: {
      write: (records: readonly { reading: unknown }[]) => {
        written.n += records.length
        return Promise.resolve({ stored: records.length, duplicates: 0 })
      },
    },
    applyRetention: () => Promise.resolve({ samples: 0, registers: 0 }),
    close: () => Promise.resolve(),
  } as unknown as Store
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Readings still reachable once pending callbacks (timers of the sink's scheduler, the last
 * frame's generator step) have had up to 20 event-loop turns to settle, a full collection after
 * each: a reading the sink keeps stays reachable through all of them.
 */
async function alive(refs: readonly WeakRef<object>[]): Promise<number> {
  let n = refs.length
  for (let i = 0; i < 20 && n > 0; i++) {
    await turn()
    gc()
    n = refs.filter((r) => r.deref() !== undefined).length
  }
  return n
}

/**
 * Pushes `count` frames through the sink (the test keeps only a WeakRef to each reading) and
 * waits until every one is acknowledged, the sink still subscribed (its ledger alive).
 */
async function pushAndAck(
  open: () => Promise<Store>,
  options: Parameters<typeof storeSink>[1],
  count: number,
): Promise<{ refs: WeakRef<object>[]; acks: number[]; stop: () => void }> {
  const input = new Subject<PipelineFrame>()
  const acks: number[] = []
  const subscription = storeSink(
    open,
    options,
    context(),
  )(input).subscribe({ next: (a: Ack) => acks.push(a.seq) })
  const refs: WeakRef<object>[] = []
  for (const frame of syntheticFrames({ start: Date.UTC(2026, 0, 5, 8), count })) {
    refs.push(new WeakRef(frame.reading))
    input.next(frame)
    if (refs.length % 50 === 0) await turn()
  }
  while (acks.length < count) await turn()
  return { refs, acks, stop: () => subscription.unsubscribe() }
}

describe('storeSink ledger', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const spoolDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'linky-sink-'))
    dirs.push(d)
    return d
  }

  it('keeps no record of a frame once it is committed and acknowledged', async () => {
    const written = { n: 0 }
    const store = countingStore(written)
    const { refs, acks, stop } = await pushAndAck(
      () => Promise.resolve(store),
      { batchSize: 50, flushMs: 600_000, retentionDays: 0, spool: { dir: spoolDir() } },
      600,
    )
    try {
      expect(written.n).toBe(600)
      expect(acks).toEqual(Array.from({ length: 600 }, (_, i) => i + 1))
      expect(await alive(refs)).toBe(0)
    } finally {
      stop()
    }
  })

  it('keeps no record of a frame once it is spooled during an outage and acknowledged', async () => {
    const opens = { n: 0 }
    const open = (): Promise<Store> => (
      opens.n++,
      Promise.reject(new StoreConnectionError('database down'))
    )
    const { refs, acks, stop } = await pushAndAck(
      open,
      {
        batchSize: 50,
        flushMs: 600_000,
        outageRetryMs: 600_000,
        retentionDays: 0,
        spool: { dir: spoolDir() },
      },
      600,
    )
    try {
      expect(opens.n).toBe(1)
      expect(acks).toEqual(Array.from({ length: 600 }, (_, i) => i + 1))
      expect(await alive(refs)).toBe(0)
    } finally {
      stop()
    }
  })
})
