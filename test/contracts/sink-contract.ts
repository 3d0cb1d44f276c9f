import {
  Subject,
  firstValueFrom,
  from,
  lastValueFrom,
  toArray,
  EMPTY,
  concat,
  NEVER,
  take,
} from 'rxjs'
import { afterAll, describe, expect, it } from 'vitest'
import type { DiagnosticEvent, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { memoryLogger } from '@linkyrpi/pipeline'
import { contractFrames, degenerateFrame } from './contract-frames.js'

/** A sink under test, made fresh for each case. */
export interface SinkUnderTest {
  readonly sink: Sink<PipelineFrame>
  /** Frames the sink made durable (read back from its storage), when it can tell. */
  readonly stored?: () => Promise<number>
  /** Releases what the test set up (tables, files, connections). */
  readonly cleanup?: () => Promise<void>
}

/** Options of {@link describeSinkContract}. */
export interface SinkContractOptions {
  /** Frames per case (default 50). */
  readonly frames?: number
}

/** A {@link StageContext} for contract tests: a recording logger and diagnostics. */
export function contractContext(stage: string, events: DiagnosticEvent[] = []): StageContext {
  return {
    stage,
    logger: memoryLogger(),
    diagnostics: { report: (e) => events.push(e) },
    now: Date.now,
  }
}

/**
 * The conformance suite every sink passes (house-style §2.12): one ack per frame, in input
 * order, with the sink's own id; completion only after the input completes and every ack is out;
 * no error on empty input; data problems (rejected groups, no meter id) acknowledged, never an
 * error; a second subscription after the first completed or was unsubscribed mid-stream works
 * (resources are released on unsubscribe and reopened on subscribe — the pipeline restarts failed
 * sinks that way).
 *
 * `make(ctx)` builds a fresh sink for each case.
 */
export function describeSinkContract(
  name: string,
  make: (ctx: StageContext) => Promise<SinkUnderTest> | SinkUnderTest,
  options: SinkContractOptions = {},
): void {
  const n = options.frames ?? 50
  const cleanups: (() => Promise<void>)[] = []
  const fresh = async (stage: string): Promise<SinkUnderTest> => {
    const made = await make(contractContext(stage))
    if (made.cleanup !== undefined) cleanups.push(made.cleanup)
    return made
  }
  describe(`sink contract: ${name}`, () => {
    afterAll(async () => {
      for (const c of cleanups) await c()
    })

    it('acknowledges every frame once, in input order, with its stage id', async () => {
      const { sink, stored } = await fresh('contract-order')
      const frames = [
        ...contractFrames(n / 2, { mode: 'historique' }),
        ...contractFrames(n / 2, { mode: 'standard', seed: 12 }).map((f, i) => ({
          ...f,
          meta: { ...f.meta, seq: n / 2 + i + 1 },
        })),
      ]
      const acks = await lastValueFrom(sink(from(frames)).pipe(toArray()))
      expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
      expect(new Set(acks.map((a) => a.sink))).toEqual(new Set(['contract-order']))
      if (stored !== undefined) expect(await stored()).toBe(frames.length)
    })

    it('completes only after the input completes, with every ack out first', async () => {
      const { sink } = await fresh('contract-complete')
      const input = new Subject<PipelineFrame>()
      const events: string[] = []
      const done = new Promise<void>((resolve, reject) => {
        sink(input).subscribe({
          next: (a) => events.push(`ack ${a.seq}`),
          error: reject,
          complete: () => (events.push('complete'), resolve()),
        })
      })
      const frames = contractFrames(5)
      for (const f of frames) input.next(f)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(events).not.toContain('complete')
      input.complete()
      await done
      expect(events).toEqual([...frames.map((f) => `ack ${f.meta.seq}`), 'complete'])
    })

    it('completes without error on empty input', async () => {
      const { sink } = await fresh('contract-empty')
      await expect(lastValueFrom(sink(EMPTY).pipe(toArray()))).resolves.toEqual([])
    })

    it('acknowledges frames with data problems and never errors on them', async () => {
      const { sink } = await fresh('contract-bad-data')
      const good = contractFrames(3)
      const frames = [
        good[0] as PipelineFrame,
        degenerateFrame(2, (good[0] as PipelineFrame).meta.receivedAt + 1),
        { ...(good[2] as PipelineFrame), meta: { ...(good[2] as PipelineFrame).meta, seq: 3 } },
      ]
      const acks = await lastValueFrom(sink(from(frames)).pipe(toArray()))
      expect(acks.map((a) => a.seq)).toEqual([1, 2, 3])
    })

    it('can be subscribed again after an unsubscription mid-stream', async () => {
      const { sink } = await fresh('contract-resubscribe')
      const frames = contractFrames(6, { seed: 13 })
      // First subscription: two frames, then an input that never ends; cut after the first ack.
      await firstValueFrom(sink(concat(from(frames.slice(0, 2)), NEVER)).pipe(take(1)))
      const acks = await lastValueFrom(sink(from(frames.slice(2))).pipe(toArray()))
      expect(acks.map((a) => a.seq)).toEqual([3, 4, 5, 6])
    })
  })
}
