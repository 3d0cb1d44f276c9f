import { Observable } from 'rxjs'
import { jetstream } from '@nats-io/jetstream'
import { headers } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { toWire } from '@linkyrpi/tic-core'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { backoff } from '../../backoff.js'
import { STAGE_HEADER, framesSubject } from './subjects.js'

/** Options of {@link natsSink}. */
export interface NatsSinkOptions {
  readonly connection: NatsConnection
  /** Site: the second subject token. */
  readonly site: string
  /** Id of the stage whose frames these are (sent in the `Linky-Stage` header). */
  readonly fromStage: string
  /**
   * true: publish to JetStream and ack after the server's PubAck (the frame is stored); each
   * message carries a `Nats-Msg-Id` (`<source>:<receivedAt>:<seq>`) so a republish after a
   * timeout or a reconnect is dropped as a duplicate. false: core NATS publish, ack at once (at
   * most once, for live edges).
   */
  readonly durable: boolean
  /** JetStream publish timeout before a retry, ms (default 5 000). */
  readonly timeoutMs?: number
}

const encoder = new TextEncoder()

/**
 * Publishes frames on `linky.<site>.<meter>.frames` (meter = ADS, or the source stage id before
 * the meter is known) in tic-core's wire JSON. Durable publishes are pipelined (the isolation
 * buffer bounds how many are in flight) and acknowledged in input order; a failed publish is
 * retried with backoff, with the same message id, for as long as the sink is subscribed.
 */
export function natsSink(options: NatsSinkOptions, ctx: StageContext): Sink {
  const js = jetstream(options.connection, { timeout: options.timeoutMs ?? 5000 })
  return (input) =>
    new Observable<Ack>((subscriber) => {
      // Publishes complete in any order; acks go out in input order.
      let pending: { seq: number; done: boolean }[] = []
      let head = 0
      let inputDone = false
      let closed = false
      const flush = (): void => {
        while (head < pending.length && (pending[head] as { done: boolean }).done) {
          subscriber.next({ seq: (pending[head] as { seq: number }).seq, sink: ctx.stage })
          head += 1
        }
        if (head > 1024 && head * 2 > pending.length) {
          pending = pending.slice(head)
          head = 0
        }
        if (inputDone && head === pending.length) subscriber.complete()
      }
      const publish = async (frame: PipelineFrame): Promise<void> => {
        const subject = framesSubject(options.site, frame.reading.meter.id ?? frame.meta.source)
        const payload = encoder.encode(JSON.stringify(toWire(frame)))
        const h = headers()
        h.set(STAGE_HEADER, options.fromStage)
        if (!options.durable) {
          options.connection.publish(subject, payload, { headers: h })
          return
        }
        const msgID = `${frame.meta.source}:${frame.meta.receivedAt}:${frame.meta.seq}`
        for (let attempt = 1; !closed; attempt += 1) {
          try {
            await js.publish(subject, payload, { msgID, headers: h })
            return
          } catch (error) {
            const delay = backoff(attempt, { initialMs: 200, maxMs: 5000 })
            ctx.logger.warn('publish failed, retrying', { subject, seq: frame.meta.seq, attempt, delayMs: delay, error: String(error) })
            await new Promise((resolve) => setTimeout(resolve, delay))
          }
        }
      }
      const subscription = input.subscribe({
        next: (frame) => {
          const entry = { seq: frame.meta.seq, done: false }
          pending.push(entry)
          publish(frame).then(
            () => {
              entry.done = true
              flush()
            },
            (error: unknown) => subscriber.error(error),
          )
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          inputDone = true
          flush()
        },
      })
      return () => {
        closed = true
        subscription.unsubscribe()
      }
    })
}
