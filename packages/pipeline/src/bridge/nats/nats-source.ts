import { Observable } from 'rxjs'
import { jetstream } from '@nats-io/jetstream'
import type { JsMsg } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { fromWire } from '@linkyrpi/tic-core'
import type { PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { STAGE_HEADER, allFramesSubject } from './subjects.js'

/** Options of {@link natsSource}. */
export interface NatsSourceOptions {
  readonly connection: NatsConnection
  readonly site: string
  /** Only frames published by this upstream stage (the `Linky-Stage` header) are passed on. */
  readonly fromStage: string
  /**
   * A durable edge: the JetStream stream and durable consumer to read (both must exist, see
   * `ensureStream`/`ensureConsumer`). Absent: a live edge over core NATS.
   */
  readonly durable?: { readonly stream: string; readonly consumer: string; readonly batch?: number }
}

/** A frame source over NATS, with the acknowledgement path back to JetStream. */
export interface NatsFrameSource {
  /**
   * Frames, cold: subscribing starts consuming, unsubscribing stops (unacknowledged messages
   * are delivered again later). On a durable edge `meta.seq` is the JetStream stream sequence,
   * a durable identity (the same frame redelivered keeps it); on a live edge, a local counter.
   */
  readonly frames: Observable<PipelineFrame>
  /** Acknowledges the frame with this `meta.seq` to JetStream (no-op on a live edge). */
  ack(seq: number): void
}

const decoder = new TextDecoder()

/**
 * Reads frames from `linky.<site>.*.frames`. Durable: a JetStream pull consumer, acked only when
 * the downstream sink acknowledges (via {@link NatsFrameSource.ack}), so a crash redelivers what
 * was not stored. A payload that is not a valid wire frame is logged and terminated (never
 * redelivered), never an Observable error.
 */
export function natsSource(options: NatsSourceOptions, ctx: StageContext): NatsFrameSource {
  const pending = new Map<number, JsMsg>()
  const parse = (data: Uint8Array, stage: string | undefined): PipelineFrame | undefined => {
    if (stage !== undefined && stage !== options.fromStage) return undefined
    try {
      return fromWire(JSON.parse(decoder.decode(data)) as unknown)
    } catch (error) {
      ctx.logger.error('invalid frame payload dropped', { bytes: data.length, error: String(error) })
      return undefined
    }
  }
  const live = new Observable<PipelineFrame>((subscriber) => {
    let seq = 0
    const sub = options.connection.subscribe(allFramesSubject(options.site), {
      callback: (error, msg) => {
        if (error !== null) {
          subscriber.error(error)
          return
        }
        const frame = parse(msg.data, msg.headers?.get(STAGE_HEADER))
        if (frame === undefined) return
        seq += 1
        subscriber.next({ ...frame, meta: { ...frame.meta, seq } })
      },
    })
    return () => sub.unsubscribe()
  })
  const durable = options.durable
  const frames =
    durable === undefined
      ? live
      : new Observable<PipelineFrame>((subscriber) => {
          let stopped = false
          let messages: { stop(): void } | undefined
          void (async () => {
            const consumer = await jetstream(options.connection).consumers.get(durable.stream, durable.consumer)
            if (stopped) return
            const iterator = await consumer.consume({ max_messages: durable.batch ?? 256 })
            messages = iterator
            if (stopped) {
              iterator.stop()
              return
            }
            for await (const msg of iterator) {
              const frame = parse(msg.data, msg.headers?.get(STAGE_HEADER))
              if (frame === undefined) {
                // Another edge's frame (ack: it is not ours to keep) or a bad payload (term).
                if (msg.headers?.get(STAGE_HEADER) !== options.fromStage) msg.ack()
                else msg.term()
                continue
              }
              pending.set(msg.seq, msg)
              subscriber.next({ ...frame, meta: { ...frame.meta, seq: msg.seq } })
            }
            if (!stopped) subscriber.complete()
          })().catch((error: unknown) => {
            if (!stopped) subscriber.error(error)
          })
          return () => {
            stopped = true
            messages?.stop()
          }
        })
  return {
    frames,
    ack(seq) {
      const msg = pending.get(seq)
      if (msg === undefined) return
      pending.delete(seq)
      msg.ack()
    },
  }
}
