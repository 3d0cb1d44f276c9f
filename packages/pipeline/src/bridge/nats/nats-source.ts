import { Observable } from 'rxjs'
import type { Subscriber } from 'rxjs'
import { jetstream } from '@nats-io/jetstream'
import type { JsMsg } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { COMPACT_WIRE_VERSION, createCompactWireDecoder, fromWire } from '@linkyrpi/tic-core'
import type { PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import {
  BATCH_HEADER,
  MAX_BATCH_FRAMES,
  STAGE_HEADER,
  WIRE_HEADER,
  allFramesSubject,
  partitionConsumer,
} from './subjects.js'
import { leasePartitions } from './lease-partitions.js'

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
  readonly durable?: {
    readonly stream: string
    readonly consumer: string
    readonly batch?: number
    /**
     * A partitioned stream (count > 1): the process reads the partitions it leases (consumers
     * `<consumer>-p<n>`, see `leasePartitions`) instead of sharing `consumer`; a lost lease is an
     * error of `frames`. On unsubscribe it keeps its leases until every frame read is
     * acknowledged (at most `releaseWaitMs`, default 30 s), then releases them.
     */
    readonly partitions?: {
      readonly count: number
      readonly leaseMs: number
      readonly releaseWaitMs?: number
    }
  }
}

/** A frame source over NATS, with the acknowledgement path back to JetStream. */
export interface NatsFrameSource {
  /**
   * Frames, cold: subscribing starts consuming, unsubscribing stops (unacknowledged messages
   * are delivered again later). On a durable edge `meta.seq` is the JetStream stream sequence ×
   * {@link MAX_BATCH_FRAMES} + the frame's index in its message, a durable identity (the same
   * frame redelivered keeps it); on a live edge, a local counter.
   */
  readonly frames: Observable<PipelineFrame>
  /**
   * Acknowledges the frame with this `meta.seq`; the JetStream message is acknowledged once every
   * frame it holds is (no-op on a live edge).
   */
  ack(seq: number): void
}

const decoder = new TextDecoder()

/** A header's value, undefined when absent or empty. */
const headerOf = (
  h: { get(name: string): string } | undefined,
  name: string,
): string | undefined => {
  const value = h?.get(name)
  return value === undefined || value === '' ? undefined : value
}
const COMPACT = String(COMPACT_WIRE_VERSION)

/**
 * Reads frames from `linky.<site>.*.frames`. Durable: a JetStream pull consumer, acked only when
 * the downstream sink acknowledges (via {@link NatsFrameSource.ack}), so a crash redelivers what
 * was not stored. A payload that is not a valid wire frame is logged and terminated (never
 * redelivered), never an Observable error.
 */
export function natsSource(options: NatsSourceOptions, ctx: StageContext): NatsFrameSource {
  // JetStream messages delivered and not yet acknowledged, by stream sequence, with the number
  // of their frames not yet acknowledged.
  const pending = new Map<number, { msg: JsMsg; left: number; partition: number }>()
  // Readings of compact frames are rebuilt here, one builder per meter.
  const compact = createCompactWireDecoder()
  const parse = (
    data: Uint8Array,
    headers: { get(name: string): string } | undefined,
  ): PipelineFrame[] | undefined => {
    const stage = headers?.get(STAGE_HEADER)
    if (stage !== undefined && stage !== options.fromStage) return undefined
    try {
      const wire = headerOf(headers, WIRE_HEADER)
      if (wire !== undefined) {
        if (wire !== COMPACT) throw new Error(`unknown wire form ${wire}`)
        const frames = compact.decode(decoder.decode(data))
        if (frames.length === 0 || frames.length > MAX_BATCH_FRAMES)
          throw new Error(`a batch must hold 1 to ${MAX_BATCH_FRAMES} frames`)
        return frames
      }
      const batch = headerOf(headers, BATCH_HEADER)
      const json = JSON.parse(decoder.decode(data)) as unknown
      if (batch === undefined) return [fromWire(json)]
      if (!Array.isArray(json) || json.length === 0 || json.length > MAX_BATCH_FRAMES)
        throw new Error(`a batch must be an array of 1 to ${MAX_BATCH_FRAMES} frames`)
      return json.map((item) => fromWire(item))
    } catch (error) {
      ctx.logger.error('invalid frame payload dropped', {
        bytes: data.length,
        error: String(error),
      })
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
        const batch = parse(msg.data, msg.headers)
        if (batch === undefined) return
        for (const frame of batch) {
          seq += 1
          subscriber.next({ ...frame, meta: { ...frame.meta, seq } })
        }
      },
    })
    return () => sub.unsubscribe()
  })
  const durable = options.durable
  /** Reads one durable consumer into `subscriber` until `stopped()`; resolves when its iterator ends. */
  const consume = async (
    name: string,
    subscriber: Subscriber<PipelineFrame>,
    stopped: () => boolean,
    onIterator: (iterator: { stop(): void }) => void,
    partition = -1,
  ): Promise<void> => {
    const d = durable as NonNullable<typeof durable>
    const consumer = await jetstream(options.connection).consumers.get(d.stream, name)
    if (stopped()) return
    const iterator = await consumer.consume({ max_messages: d.batch ?? 256 })
    onIterator(iterator)
    if (stopped()) {
      iterator.stop()
      return
    }
    for await (const msg of iterator) {
      // Stopped (partition handed over, node stopping): left unacknowledged, delivered again.
      if (stopped()) continue
      const batch = parse(msg.data, msg.headers)
      if (batch === undefined) {
        // Another edge's frame (ack: it is not ours to keep) or a bad payload (term).
        if (msg.headers?.get(STAGE_HEADER) !== options.fromStage) msg.ack()
        else msg.term()
        continue
      }
      pending.set(msg.seq, { msg, left: batch.length, partition })
      for (let i = 0; i < batch.length; i += 1) {
        const frame = batch[i] as PipelineFrame
        subscriber.next({
          ...frame,
          meta: { ...frame.meta, seq: msg.seq * MAX_BATCH_FRAMES + i },
        })
      }
    }
  }
  const shared = (d: NonNullable<typeof durable>): Observable<PipelineFrame> =>
    new Observable<PipelineFrame>((subscriber) => {
      let stopped = false
      let messages: { stop(): void } | undefined
      consume(
        d.consumer,
        subscriber,
        () => stopped,
        (iterator) => (messages = iterator),
      ).then(
        () => {
          if (!stopped) subscriber.complete()
        },
        (error: unknown) => {
          if (!stopped) subscriber.error(error)
        },
      )
      return () => {
        stopped = true
        messages?.stop()
      }
    })
  const partitioned = (
    d: NonNullable<typeof durable>,
    p: NonNullable<NonNullable<typeof durable>['partitions']>,
  ): Observable<PipelineFrame> =>
    new Observable<PipelineFrame>((subscriber) => {
      let stopped = false
      const iterators = new Map<number, { stop(): void }>()
      const handedOver = new Set<number>()
      const fail = (error: unknown): void => {
        if (!stopped) subscriber.error(error)
      }
      const leases = leasePartitions(
        {
          connection: options.connection,
          site: options.site,
          group: d.consumer,
          partitions: p.count,
          leaseMs: p.leaseMs,
          onAcquire: (partition) => {
            handedOver.delete(partition)
            consume(
              partitionConsumer(d.consumer, partition),
              subscriber,
              () => stopped || handedOver.has(partition),
              (iterator) => iterators.set(partition, iterator),
              partition,
            ).catch(fail)
          },
          onRelease: async (partition) => {
            handedOver.add(partition)
            iterators.get(partition)?.stop()
            iterators.delete(partition)
            const deadline = Date.now() + (p.releaseWaitMs ?? 30_000)
            const busy = (): boolean => {
              for (const entry of pending.values()) if (entry.partition === partition) return true
              return false
            }
            while (busy() && Date.now() < deadline)
              await new Promise((resolve) => setTimeout(resolve, 50))
          },
          onLost: (partition) =>
            fail(
              new Error(
                `partition ${partition} of ${d.consumer}: lease lost (this process stalled longer than leaseMs); restart it`,
              ),
            ),
        },
        ctx,
      )
      leases.catch(fail)
      return () => {
        stopped = true
        for (const iterator of iterators.values()) iterator.stop()
        // Keep the leases until what was read is committed, then hand the partitions over.
        leases
          .then((l) => l.release(() => pending.size === 0, p.releaseWaitMs ?? 30_000))
          .catch((error: unknown) =>
            ctx.logger.warn('partition leases not released', { error: String(error) }),
          )
      }
    })
  const frames =
    durable === undefined
      ? live
      : durable.partitions !== undefined && durable.partitions.count > 1
        ? partitioned(durable, durable.partitions)
        : shared(durable)
  return {
    frames,
    ack(seq) {
      const streamSeq = Math.floor(seq / MAX_BATCH_FRAMES)
      const entry = pending.get(streamSeq)
      if (entry === undefined) return
      entry.left -= 1
      if (entry.left > 0) return
      pending.delete(streamSeq)
      entry.msg.ack()
    },
  }
}
