import { Observable } from 'rxjs'
import { jetstream } from '@nats-io/jetstream'
import { headers } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { COMPACT_WIRE_VERSION, encodeCompactFrames, toWire } from '@linkyrpi/tic-core'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { backoff } from '../../backoff.js'
import {
  BATCH_HEADER,
  STAGE_HEADER,
  WIRE_HEADER,
  framesSubject,
  partitionOf,
  partitionedFramesSubject,
} from './subjects.js'

/** Options of {@link natsSink}. */
export interface NatsSinkOptions {
  readonly connection: NatsConnection
  /** Site: the second subject token. */
  readonly site: string
  /** Id of the stage whose frames these are (sent in the `Linky-Stage` header). */
  readonly fromStage: string
  /**
   * true: publish to JetStream and ack after the server's PubAck (the frame is stored); each
   * message carries a `Nats-Msg-Id` (`<source>:<meter>:<receivedAt>:<seq>`, `+<n>` for a batch:
   * two Pis share stage ids, not meters) so a
   * republish after a timeout or a reconnect is dropped as a duplicate. false: core NATS
   * publish, ack at once (at most once, for live edges).
   */
  readonly durable: boolean
  /** JetStream publish timeout before a retry, ms (default 5 000). */
  readonly timeoutMs?: number
  /**
   * Frames per NATS message, at most (default 1: one message per frame). Above 1, frames are
   * grouped into one message (a JSON array, header `Linky-Batch: <n>`, on the subject of the
   * batch's first meter): one publish and one PubAck per batch instead of per frame.
   */
  readonly batchFrames?: number
  /** How long a partial batch waits for more frames before it is published, ms (default 20). */
  readonly batchMs?: number
  /**
   * Payload form (default `json`): `json`, tic-core's versioned wire JSON (groups and reading);
   * `compact`, tic-core's compact wire form (groups and meta only, header `Linky-Wire: 2`, about a
   * tenth of the bytes; the receiver rebuilds readings, one reading builder per meter). Servers
   * must read the compact form before publishers send it.
   */
  readonly wire?: 'json' | 'compact'
  /**
   * Meter partitions of a durable edge (default 1: none). Above 1, each frame goes to
   * `linky.<site>.<meter>.frames.<partition>` and a batch holds frames of one partition only.
   */
  readonly partitions?: number
}

const encoder = new TextEncoder()

/**
 * Publishes frames on `linky.<site>.<meter>.frames` (meter = ADS, or the source stage id before
 * the meter is known; `.<partition>` appended on a partitioned stream) in tic-core's wire JSON or
 * compact form, one frame or a batch of frames per message.
 * Durable publishes are pipelined (the isolation buffer bounds how many are in flight) and
 * acknowledged in input order; a failed publish is retried with backoff, with the same message
 * id, for as long as the sink is subscribed.
 */
export function natsSink(options: NatsSinkOptions, ctx: StageContext): Sink {
  const js = jetstream(options.connection, { timeout: options.timeoutMs ?? 5000 })
  const batchFrames = Math.max(1, options.batchFrames ?? 1)
  const batchMs = options.batchMs ?? 20
  const partitions = options.durable ? Math.max(1, options.partitions ?? 1) : 1
  const meterOf = (f: PipelineFrame): string => f.reading.meter.id ?? f.meta.source
  return (input) =>
    new Observable<Ack>((subscriber) => {
      // Publishes complete in any order; acks go out in input order.
      let pending: { seq: number; done: boolean }[] = []
      let head = 0
      let inputDone = false
      let closed = false
      // One batch being filled per partition (one in all without partitions).
      const batches = new Map<
        number,
        {
          frames: PipelineFrame[]
          entries: { seq: number; done: boolean }[]
          timer: ReturnType<typeof setTimeout> | undefined
        }
      >()
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
      const publish = async (
        frames: readonly PipelineFrame[],
        partition: number,
      ): Promise<void> => {
        const first = frames[0] as PipelineFrame
        const subject =
          partitions > 1
            ? partitionedFramesSubject(options.site, meterOf(first), partition)
            : framesSubject(options.site, meterOf(first))
        const h = headers()
        h.set(STAGE_HEADER, options.fromStage)
        let payload: Uint8Array
        const compact = options.wire === 'compact' ? encodeCompactFrames(frames) : undefined
        if (compact !== undefined) {
          h.set(WIRE_HEADER, String(COMPACT_WIRE_VERSION))
          if (frames.length > 1) h.set(BATCH_HEADER, String(frames.length))
          payload = encoder.encode(compact)
        } else if (frames.length === 1 && batchFrames === 1) {
          payload = encoder.encode(JSON.stringify(toWire(first)))
        } else {
          h.set(BATCH_HEADER, String(frames.length))
          payload = encoder.encode(`[${frames.map((f) => JSON.stringify(toWire(f))).join(',')}]`)
        }
        if (!options.durable) {
          options.connection.publish(subject, payload, { headers: h })
          return
        }
        const msgID = `${first.meta.source}:${first.reading.meter.id ?? ''}:${first.meta.receivedAt}:${first.meta.seq}${frames.length > 1 ? `+${frames.length}` : ''}`
        for (let attempt = 1; !closed; attempt += 1) {
          try {
            await js.publish(subject, payload, { msgID, headers: h })
            return
          } catch (error) {
            const delay = backoff(attempt, { initialMs: 200, maxMs: 5000 })
            ctx.logger.warn('publish failed, retrying', {
              subject,
              seq: first.meta.seq,
              frames: frames.length,
              attempt,
              delayMs: delay,
              error: String(error),
            })
            await new Promise((resolve) => setTimeout(resolve, delay))
          }
        }
      }
      const send = (partition: number): void => {
        const batch = batches.get(partition)
        if (batch === undefined) return
        if (batch.timer !== undefined) clearTimeout(batch.timer)
        batches.delete(partition)
        const done = batch.entries
        publish(batch.frames, partition).then(
          () => {
            for (const entry of done) entry.done = true
            flush()
          },
          (error: unknown) => subscriber.error(error),
        )
      }
      const subscription = input.subscribe({
        next: (frame) => {
          const entry = { seq: frame.meta.seq, done: false }
          pending.push(entry)
          const partition = partitions > 1 ? partitionOf(meterOf(frame), partitions) : 0
          let batch = batches.get(partition)
          if (batch === undefined) {
            batch = { frames: [], entries: [], timer: undefined }
            batches.set(partition, batch)
          }
          batch.frames.push(frame)
          batch.entries.push(entry)
          if (batch.frames.length >= batchFrames) send(partition)
          else batch.timer ??= setTimeout(() => send(partition), batchMs)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          inputDone = true
          for (const partition of [...batches.keys()]) send(partition)
          flush()
        },
      })
      return () => {
        closed = true
        for (const batch of batches.values())
          if (batch.timer !== undefined) clearTimeout(batch.timer)
        subscription.unsubscribe()
      }
    })
}
