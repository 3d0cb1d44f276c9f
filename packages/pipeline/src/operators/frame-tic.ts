import { Observable } from 'rxjs'
import type { OperatorFunction } from 'rxjs'
import { createTicFramer } from '@linkyrpi/tic-core'
import type { FramerOptions, RawFrame } from '@linkyrpi/tic-core'
import type { StageContext } from '@linkyrpi/tic-core/stage'

/**
 * Rx adapter over tic-core's framer: bytes in, {@link RawFrame}s out (each owns a copy of its
 * bytes). The framer is created per subscription, so a resubscription after a source failure
 * starts clean. Discarded bytes are reported to `ctx.diagnostics` as values, never as errors;
 * when the input completes, a partial frame still held is reported as `truncated`.
 */
export function frameTic(ctx: StageContext, options: FramerOptions = {}): OperatorFunction<Uint8Array, RawFrame> {
  return (source) =>
    new Observable<RawFrame>((subscriber) => {
      const framer = createTicFramer(options)
      const handle = (events: ReturnType<typeof framer.end>): void => {
        for (const event of events) {
          if (event.kind === 'frame') subscriber.next(event.frame)
          else ctx.diagnostics.report({ kind: 'bytes-discarded', stage: ctx.stage, reason: event.reason, byteCount: event.byteCount })
        }
      }
      return source.subscribe({
        next: (chunk) => handle(framer.push(chunk)),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          handle(framer.end())
          subscriber.complete()
        },
      })
    })
}
