import {
  Observable,
  Subject,
  concatMap,
  filter,
  firstValueFrom,
  from,
  lastValueFrom,
  map,
  share,
  toArray,
} from 'rxjs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import type { Ack, PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import { bufferSchema } from '../config/schema.js'
import { BufferOverflowError } from '../errors.js'
import { DiagnosticsCollector } from './diagnostics-collector.js'
import { isolateSink } from './isolate-sink.js'
import { memoryLogger } from './memory-logger.js'

// A full garbage collection on demand, whether or not the worker runs with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const frame = (seq: number): PipelineFrame =>
  ({ meta: { seq, receivedAt: seq, source: 's' } }) as unknown as PipelineFrame
const frames = (n: number): PipelineFrame[] => Array.from({ length: n }, (_, i) => frame(i + 1))

/** Acks every frame at once. */
const fastSink =
  (id: string): Sink =>
  (input) =>
    input.pipe(map((f) => ({ seq: f.meta.seq, sink: id })))

/** Acks nothing until `release` emits; then acks everything received so far and what follows. */
function gatedSink(id: string, release: Promise<void>): { sink: Sink; received: number[] } {
  const received: number[] = []
  const sink: Sink = (input) =>
    input.pipe(
      concatMap(async (f) => {
        received.push(f.meta.seq)
        await release
        return { seq: f.meta.seq, sink: id }
      }),
    )
  return { sink, received }
}

function setup(
  id: string,
  buffer: Partial<{
    size: number
    inFlight: number
    overflow: 'drop-oldest' | 'drop-newest' | 'fail'
  }> = {},
) {
  const diagnostics = new DiagnosticsCollector(() => 0)
  const logger = memoryLogger()
  const counters = diagnostics.sink(id)
  return {
    logger,
    counters,
    options: {
      id,
      buffer: bufferSchema.parse(buffer),
      logger,
      counters,
      retry: { initialMs: 1, maxMs: 5 },
    },
  }
}

describe('isolateSink', () => {
  it('a slow sink never delays another sink of the same frames', async () => {
    let open: () => void = () => undefined
    const slow = gatedSink('slow', new Promise<void>((resolve) => (open = resolve)))
    const shared = from(frames(50)).pipe(share())
    const fast = setup('fast')
    const slowSetup = setup('slow')
    const fastAcks = lastValueFrom(
      shared.pipe(isolateSink(fastSink('fast'), fast.options), toArray()),
    )
    const slowAcks = lastValueFrom(
      shared.pipe(isolateSink(slow.sink, slowSetup.options), toArray()),
    )
    // The fast sink finishes while the slow one has acknowledged nothing.
    expect((await fastAcks).map((a) => a.seq)).toEqual(frames(50).map((f) => f.meta.seq))
    expect(slowSetup.counters.acked).toBe(0)
    expect(slowSetup.counters.lag).toBe(50)
    open()
    expect((await slowAcks).length).toBe(50)
    expect(slowSetup.counters).toMatchObject({ acked: 50, lag: 0, dropped: 0, state: 'done' })
  })

  it('drop-oldest keeps the newest frames, counts and logs the drops', async () => {
    let open: () => void = () => undefined
    const gated = gatedSink('s', new Promise<void>((resolve) => (open = resolve)))
    const s = setup('s', { size: 3, inFlight: 1, overflow: 'drop-oldest' })
    const input = new Subject<PipelineFrame>()
    const acks = lastValueFrom(input.pipe(isolateSink(gated.sink, s.options), toArray()))
    input.next(frame(1))
    await new Promise((resolve) => setImmediate(resolve))
    for (const f of frames(10).slice(1)) input.next(f)
    input.complete()
    open()
    expect((await acks).map((a) => a.seq)).toEqual([1, 8, 9, 10])
    expect(s.counters.dropped).toBe(6)
    expect(
      s.logger.records.filter(
        (r) => r.level === 'warn' && r.message === 'sink buffer full, dropping frames',
      ),
    ).toHaveLength(1)
  })

  it('drop-newest keeps the oldest frames', async () => {
    let open: () => void = () => undefined
    const gated = gatedSink('s', new Promise<void>((resolve) => (open = resolve)))
    const s = setup('s', { size: 2, inFlight: 1, overflow: 'drop-newest' })
    const input = new Subject<PipelineFrame>()
    const acks = lastValueFrom(input.pipe(isolateSink(gated.sink, s.options), toArray()))
    input.next(frame(1))
    await new Promise((resolve) => setImmediate(resolve))
    for (const f of frames(6).slice(1)) input.next(f)
    input.complete()
    open()
    expect((await acks).map((a) => a.seq)).toEqual([1, 2, 3])
    expect(s.counters.dropped).toBe(3)
  })

  it('fail turns an overflow into an error', async () => {
    const gated = gatedSink('s', new Promise<void>(() => undefined))
    const s = setup('s', { size: 2, inFlight: 1, overflow: 'fail' })
    await expect(
      lastValueFrom(from(frames(5)).pipe(isolateSink(gated.sink, s.options))),
    ).rejects.toBeInstanceOf(BufferOverflowError)
  })

  it('restarts a failed sink and delivers its unacknowledged frames again, in order', async () => {
    let attempts = 0
    const delivered: number[][] = []
    const flaky: Sink = (input) => {
      attempts += 1
      const attempt = attempts
      const seen: number[] = []
      delivered.push(seen)
      return new Observable<Ack>((subscriber) =>
        input.subscribe({
          next: (f) => {
            seen.push(f.meta.seq)
            if (attempt === 1 && f.meta.seq === 3) subscriber.error(new Error('database went away'))
            else if (attempt > 1 || f.meta.seq === 1)
              subscriber.next({ seq: f.meta.seq, sink: 'flaky' })
          },
          complete: () => subscriber.complete(),
        }),
      )
    }
    const s = setup('flaky')
    const acks = await lastValueFrom(from(frames(5)).pipe(isolateSink(flaky, s.options), toArray()))
    expect(acks.map((a) => a.seq)).toEqual([1, 2, 3, 4, 5])
    expect(delivered[0]?.slice(0, 3)).toEqual([1, 2, 3])
    expect(delivered[1]?.[0]).toBe(2)
    expect(s.counters).toMatchObject({ errors: 1, retries: 1, acked: 5, lag: 0 })
    expect(
      s.logger.records.some(
        (r) => r.level === 'error' && r.message === 'sink failed; restarting it',
      ),
    ).toBe(true)
  })

  it('hands frames over outside the upstream emission', async () => {
    let inside = false
    let sawInside = false
    const probe: Sink = (input) =>
      input.pipe(
        map((f) => {
          sawInside ||= inside
          return { seq: f.meta.seq, sink: 'p' }
        }),
      )
    const input = new Subject<PipelineFrame>()
    const s = setup('p')
    const acks = firstValueFrom(
      input.pipe(
        isolateSink(probe, s.options),
        filter((a) => a.seq === 3),
        map((a) => a.seq),
      ),
    )
    for (const f of frames(3)) {
      inside = true
      input.next(f)
      inside = false
    }
    expect(await acks).toBe(3)
    expect(sawInside).toBe(false)
  })

  it('after thousands of in-order acks, a failure redelivers exactly the unacknowledged frames', async () => {
    const { options } = setup('big', { inFlight: 5000, size: 10_000 })
    const attempts: number[][] = []
    let calls = 0
    const sink: Sink = (input) =>
      new Observable<Ack>((subscriber) => {
        calls += 1
        const seen: number[] = []
        attempts.push(seen)
        const first = calls === 1
        return input.subscribe({
          next: (f) => {
            seen.push(f.meta.seq)
            // The first attempt acks 2 500 frames, then fails with the rest unacknowledged.
            if (first && seen.length > 2500) {
              if (seen.length === 3000) subscriber.error(new Error('boom'))
              return
            }
            subscriber.next({ seq: f.meta.seq, sink: 'big' })
          },
          complete: () => subscriber.complete(),
        })
      })
    const acks = await lastValueFrom(from(frames(4000)).pipe(isolateSink(sink, options), toArray()))
    expect(acks.map((a) => a.seq)).toEqual(frames(4000).map((f) => f.meta.seq))
    expect(attempts[1]?.[0]).toBe(2501)
    expect(attempts[1]?.length).toBe(1500)
  })

  it('keeps no frame once the sink has it acknowledged (a live pipeline runs for months)', async () => {
    const s = setup('s')
    const input = new Subject<PipelineFrame>()
    const acks: number[] = []
    const subscription = input
      .pipe(isolateSink(fastSink('s'), s.options))
      .subscribe((a) => acks.push(a.seq))
    const refs: WeakRef<object>[] = []
    for (let seq = 1; seq <= 600; seq++) {
      const f = frame(seq)
      refs.push(new WeakRef(f))
      input.next(f)
      // One frame at a time, as a meter sends them: each is delivered and acknowledged.
      while (acks.length < seq) await turn()
    }
    await turn()
    gc()
    await turn()
    gc()
    try {
      expect(refs.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1)
    } finally {
      subscription.unsubscribe()
    }
  })
})
