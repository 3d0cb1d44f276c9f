import { Observable } from 'rxjs'
import type { OperatorFunction } from 'rxjs'
import { createPipelineFrameDecoder } from '@linkyrpi/tic-core'
import type { PipelineFrame, PipelineFrameSink, TicDecoderOptions } from '@linkyrpi/tic-core'
import type { StageContext, TimedChunk } from '@linkyrpi/tic-core/stage'

/** Options of {@link decodeTic}. */
export interface DecodeTicOptions extends Omit<TicDecoderOptions, 'reading'> {
  /** Stage id of the source the bytes come from: `meta.source` of every frame. */
  readonly source: string
  /** First `meta.seq` of a subscription (default 1). */
  readonly firstSeq?: number
}

/**
 * Rx adapter over tic-core's `createPipelineFrameDecoder`: bytes in, {@link PipelineFrame}s
 * out, each stamped with `meta = { seq, receivedAt, source }`: `receivedAt` is the stamp of
 * the chunk that completed the frame ({@link TimedChunk}: the simulator, a recording's replay) or
 * else `ctx.now()`, made increasing: frames completed by one unstamped chunk (a raw capture
 * replayed as fast as possible) get 1 ms apart, so that no two frames of a source share a receive
 * time (it keys historique frames in a store); a clock set back by more than a second is followed. `seq` counts from
 * `firstSeq` per subscription (a resubscription after a source failure starts a new count, with
 * a fresh framer and reading state). Discarded bytes and rejected groups are reported to
 * `ctx.diagnostics` (values, never errors); rejected groups also stay listed on the frame.
 * Completes when the input completes, after reporting a truncated partial frame.
 */
export function decodeTic(
  ctx: StageContext,
  options: DecodeTicOptions,
): OperatorFunction<Uint8Array, PipelineFrame> {
  return (input) =>
    new Observable<PipelineFrame>((subscriber) => {
      const decoder = createPipelineFrameDecoder(options)
      let lastNow = -Infinity
      const now = (): number => {
        const t = ctx.now()
        // Within a second of the last one: 1 ms after it. A larger step back (the clock was set) is taken as is.
        lastNow = t > lastNow || lastNow - t > 1000 ? t : lastNow + 1
        return lastNow
      }
      const sink: PipelineFrameSink = {
        frame: (frame) => subscriber.next(frame),
        discarded: ({ reason, byteCount }) =>
          ctx.diagnostics.report({ kind: 'bytes-discarded', stage: ctx.stage, reason, byteCount }),
        rejected: (rejection) =>
          ctx.diagnostics.report({ kind: 'group-rejected', stage: ctx.stage, rejection }),
      }
      return input.subscribe({
        next: (chunk: TimedChunk) => {
          const at = chunk.receivedAt
          decoder.write(chunk, at === undefined ? now : () => at, sink)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          decoder.end(now, sink)
          subscriber.complete()
        },
      })
    })
}
