import { Observable } from 'rxjs'
import type { OperatorFunction } from 'rxjs'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecoderEvent, PipelineFrame, TicDecoderOptions } from '@linkyrpi/tic-core'
import type { StageContext, TimedChunk } from '@linkyrpi/tic-core/stage'

/** Options of {@link decodeTic}. */
export interface DecodeTicOptions extends Omit<TicDecoderOptions, 'reading'> {
  /** Stage id of the source the bytes come from: `meta.source` of every frame. */
  readonly source: string
  /** First `meta.seq` of a subscription (default 1). */
  readonly firstSeq?: number
}

/**
 * Rx adapter over tic-core's `createTicDecoder({ reading: true })`: bytes in, {@link PipelineFrame}s
 * out, each stamped with `meta = { seq, receivedAt, source }`: `receivedAt` is the stamp of
 * the chunk that completed the frame ({@link TimedChunk}: the simulator) or else `ctx.now()`. `seq` counts from
 * `firstSeq` per subscription (a resubscription after a source failure starts a new count, with
 * a fresh framer and reading state). Discarded bytes and rejected groups are reported to
 * `ctx.diagnostics` (values, never errors); rejected groups also stay listed on the frame.
 * Completes when the input completes, after reporting a truncated partial frame.
 */
export function decodeTic(ctx: StageContext, options: DecodeTicOptions): OperatorFunction<Uint8Array, PipelineFrame> {
  const { source: sourceId, firstSeq, ...decoderOptions } = options
  return (input) =>
    new Observable<PipelineFrame>((subscriber) => {
      const decoder = createTicDecoder({ ...decoderOptions, reading: true })
      let seq = (firstSeq ?? 1) - 1
      let chunkAt: number | undefined
      const onEvent = (event: DecoderEvent): void => {
        if (event.kind === 'discarded') {
          ctx.diagnostics.report({ kind: 'bytes-discarded', stage: ctx.stage, reason: event.reason, byteCount: event.byteCount })
          return
        }
        const { frame } = event
        for (const rejection of frame.rejected) ctx.diagnostics.report({ kind: 'group-rejected', stage: ctx.stage, rejection })
        if (frame.reading === undefined) return
        seq += 1
        subscriber.next({ ...frame, reading: frame.reading, meta: { seq, receivedAt: chunkAt ?? ctx.now(), source: sourceId } })
      }
      return input.subscribe({
        next: (chunk: TimedChunk) => {
          chunkAt = chunk.receivedAt
          decoder.write(chunk, onEvent)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          chunkAt = undefined
          for (const event of decoder.end()) onEvent(event)
          subscriber.complete()
        },
      })
    })
}
