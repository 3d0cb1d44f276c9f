import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Subject } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import type { TestMessage } from 'rxjs/internal/testing/TestMessage'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Ack, Logger, PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { StoreConnectionError } from './errors.js'
import type { StoreRecord } from './rows.js'
import type { Store } from './store.js'
import { storeSink } from './store-sink.js'
import type { StoreSinkOptions } from './store-sink-options.js'
import { syntheticFrames } from './testing/index.js'

// The sink awaits its store (promises), so these marble tests drive TestScheduler's virtual clock
// one due action at a time and let promise continuations run in between; the diagrams are
// TestScheduler's (run-mode syntax, 1 frame = 1 ms), and so is the clock the sink reads.

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
}
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Runs every action due up to `until` (virtual ms), letting promises settle before each. */
async function advanceTo(s: TestScheduler, until: number): Promise<void> {
  for (;;) {
    await settle()
    await settle()
    const next = s.actions[0]
    if (next === undefined || next.delay > until) break
    s.maxFrames = next.delay
    s.flush()
  }
  s.frame = until
}

const frames = [...syntheticFrames({ start: Date.UTC(2026, 0, 5, 8), count: 5 })]
const values: Record<string, PipelineFrame> = {
  a: frames[0]!,
  b: frames[1]!,
  c: frames[2]!,
  d: frames[3]!,
  e: frames[4]!,
}
const letterOf = (seq: number): string => 'abcde'[seq - 1]!
const letterOfRecord = (r: StoreRecord): string =>
  letterOf(frames.findIndex((f) => f.meta.receivedAt === r.receivedAt) + 1)

/** A store whose writes fail (transiently) while `down()`, recording each attempt and each committed batch. */
function fakeStore(
  s: TestScheduler,
  down: () => boolean = () => false,
): { store: Store; attempts: number[]; committed: { at: number; frames: string }[] } {
  const attempts: number[] = []
  const committed: { at: number; frames: string }[] = []
  const store = {
    engine: { kind: 'sqlite' },
    ingest: {
      write: (records: readonly StoreRecord[]) => {
        attempts.push(s.now())
        if (down()) return Promise.reject(new StoreConnectionError('database down'))
        committed.push({ at: s.now(), frames: records.map(letterOfRecord).join('') })
        return Promise.resolve({ stored: records.length, duplicates: 0 })
      },
    },
    applyRetention: () => Promise.resolve({ samples: 0, registers: 0 }),
    close: () => Promise.resolve(),
  } as unknown as Store
  return { store, attempts, committed }
}

describe('storeSink on a virtual clock (marbles)', () => {
  const dirs: string[] = []
  // Run-mode diagrams outside `run()`: one character is one frame (1 ms).
  const factor = TestScheduler.frameTimeFactor
  beforeAll(() => {
    TestScheduler.frameTimeFactor = 1
  })
  afterAll(() => {
    TestScheduler.frameTimeFactor = factor
  })
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  /** Feeds `inputMarbles` to the sink and returns its acks as marble messages (letters a–e for seq 1–5). */
  async function run(
    s: TestScheduler,
    store: Store,
    options: StoreSinkOptions,
    inputMarbles: string,
    until: number,
  ): Promise<TestMessage[]> {
    const dir = mkdtempSync(join(tmpdir(), 'linky-sink-marble-'))
    dirs.push(dir)
    const ctx: StageContext = {
      stage: 'store',
      logger: quiet,
      diagnostics: { report: () => undefined },
      now: () => s.now(),
    }
    const input = new Subject<PipelineFrame>()
    const out: TestMessage[] = []
    const sub = storeSink(
      () => Promise.resolve(store),
      { retentionDays: 0, spool: { dir: join(dir, 'spool') }, ...options },
      ctx,
      { scheduler: s },
    )(input).subscribe({
      next: (a: Ack) =>
        out.push({ frame: s.now(), notification: { kind: 'N', value: letterOf(a.seq) } }),
      error: (error: unknown) => out.push({ frame: s.now(), notification: { kind: 'E', error } }),
      complete: () => out.push({ frame: s.now(), notification: { kind: 'C' } }),
    })
    for (const m of TestScheduler.parseMarbles(inputMarbles, values, undefined, false, true)) {
      const n = m.notification
      s.schedule(
        () => (n.kind === 'N' ? input.next(n.value as PipelineFrame) : input.complete()),
        m.frame,
      )
    }
    await advanceTo(s, until)
    sub.unsubscribe()
    return out
  }
  const expected = (marbles: string): TestMessage[] =>
    TestScheduler.parseMarbles(
      marbles,
      { a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' },
      undefined,
      false,
      true,
    )

  it('writes a partial batch flushMs after its first frame, a full one at once, and completes with the input', async () => {
    const s = new TestScheduler(() => undefined)
    const { store, committed } = fakeStore(s)
    const acks = await run(
      s,
      store,
      { batchSize: 3, flushMs: 2000 },
      'a 499ms b 2499ms cde 997ms |',
      10_000,
    )
    expect(acks).toEqual(expected('2000ms (ab) 998ms (cde) 993ms |'))
    expect(committed).toEqual([
      { at: 2000, frames: 'ab' },
      { at: 3002, frames: 'cde' },
    ])
  })

  it('retries a failed batch after 250 then 500 ms, and acknowledges it once committed', async () => {
    const s = new TestScheduler(() => undefined)
    let failures = 2
    const { store, attempts, committed } = fakeStore(s, () => failures-- > 0)
    const acks = await run(
      s,
      store,
      { batchSize: 2, flushMs: 2000, retry: { attempts: 3, delayMs: 250 } },
      'ab',
      10_000,
    )
    expect(attempts).toEqual([1, 251, 751])
    expect(committed).toEqual([{ at: 751, frames: 'ab' }])
    expect(acks).toEqual(expected('751ms (ab)'))
  })

  it('outage: spools and acknowledges, catches up in order at the next attempt, then writes directly again', async () => {
    const s = new TestScheduler(() => undefined)
    let down = true
    s.schedule(() => (down = false), 3000)
    const { store, attempts, committed } = fakeStore(s, () => down)
    const acks = await run(
      s,
      store,
      { batchSize: 2, flushMs: 2000, retry: { attempts: 2, delayMs: 100 }, outageRetryMs: 5000 },
      'ab 997ms cd 4999ms e 2999ms |',
      20_000,
    )
    // a, b fail twice and go to the spool (acked at 101); c, d arrive during the outage and go
    // after them (acked at once); the spool is written back at the next attempt (101 + 5000), in
    // order; e is written directly, flushMs after it arrived.
    expect(attempts).toEqual([1, 101, 5101, 5101, 8000])
    expect(committed).toEqual([
      { at: 5101, frames: 'ab' },
      { at: 5101, frames: 'cd' },
      { at: 8000, frames: 'e' },
    ])
    expect(acks).toEqual(expected('101ms (ab) 895ms (cd) 6996ms e 999ms |'))
  })
})
