import { Observable } from 'rxjs'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { startDisplayServer } from './display-server.js'
import type { DisplayServer } from './display-server.js'
import type { DisplaySinkOptions } from './options.js'
import { resolveDisplayOptions } from './options.js'

/**
 * The touch dashboard as a pipeline sink. Subscribing starts the HTTP server (see
 * {@link DisplaySinkOptions}: bind address, port, `onListening` for the bound URL); each frame is
 * broadcast to the connected pages over Server-Sent Events and acknowledged right after the
 * broadcast, in order. When the input completes the server closes and the acks complete;
 * unsubscribing closes the server too. Errors only when the server cannot listen
 * (`DisplayServerError`, transient). Options are validated at once (`TypeError`).
 */
export function displaySink(options: DisplaySinkOptions, ctx: StageContext): Sink {
  resolveDisplayOptions(options)
  return (input: Observable<PipelineFrame>) =>
    new Observable<Ack>((subscriber) => {
      let server: DisplayServer | null = null
      let early: PipelineFrame | null = null
      let finished = false
      let inputDone = false

      const finish = (error?: unknown): void => {
        if (finished) return
        finished = true
        const done = (): void =>
          error === undefined ? subscriber.complete() : subscriber.error(error)
        if (server === null) done()
        else server.close().then(done, done)
      }

      startDisplayServer(options, ctx).then(
        (s) => {
          if (subscriber.closed) {
            void s.close()
            return
          }
          server = s
          // Frames before the server listened had no page to reach; the newest becomes the
          // first page's state.
          if (early !== null) s.publish(early)
          early = null
          if (inputDone) finish()
        },
        (error: unknown) => {
          finished = true
          subscriber.error(error)
        },
      )

      const subscription = input.subscribe({
        next(frame) {
          if (server === null) early = frame
          else server.publish(frame)
          subscriber.next({ seq: frame.meta.seq, sink: ctx.stage })
        },
        error(error: unknown) {
          inputDone = true
          finish(error)
        },
        complete() {
          inputDone = true
          if (server !== null) finish()
        },
      })

      return () => {
        subscription.unsubscribe()
        void server?.close()
      }
    })
}
