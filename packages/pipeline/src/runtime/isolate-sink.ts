import { Observable, Subject } from 'rxjs'
import type { Subscription } from 'rxjs'
import type { Ack, Logger, PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import { backoff } from '../backoff.js'
import type { BackoffOptions } from '../backoff.js'
import type { BufferConfig } from '../config/schema.js'
import { BufferOverflowError } from '../errors.js'
import type { SinkCounters } from './diagnostics-collector.js'

/** Options of {@link isolateSink}. */
export interface IsolateSinkOptions {
  /** Stage id (logs). */
  readonly id: string
  readonly buffer: BufferConfig
  readonly logger: Logger
  readonly counters: SinkCounters
  /** Delays between restarts of a failed sink (default: 0.5 s doubling up to 30 s). */
  readonly retry?: BackoffOptions
}

/**
 * Puts a sink behind its own bounded buffer so that it can never slow down its upstream or the
 * other sinks of the same frames:
 *
 * - Frames from upstream are queued (at most `buffer.size`) and handed to the sink from a
 *   `setImmediate` drain loop, never inside the upstream's emission; at most `buffer.inFlight`
 *   frames are handed over without an ack.
 * - When the queue is full, `buffer.overflow` applies: `drop-oldest` or `drop-newest` (counted in
 *   `counters.dropped`, logged at warn on the first drop and every 1 000th), or `fail` (the
 *   returned Observable errors with {@link BufferOverflowError}).
 * - When the sink errors, the error is logged and counted, and after a backoff the sink is
 *   subscribed again and its unacknowledged frames delivered again (at least once: durable sinks
 *   make their writes idempotent).
 * - When upstream completes, the queue is handed over, the sink's input completes, and the result
 *   completes once the sink completes (after its flush).
 *
 * The result emits the sink's acks as they come.
 */
export function isolateSink(
  sink: Sink,
  options: IsolateSinkOptions,
): (input: Observable<PipelineFrame>) => Observable<Ack> {
  const { buffer, logger, counters } = options
  return (input) =>
    new Observable<Ack>((subscriber) => {
      // Delivered slots are cleared (`undefined`) at once, so that a frame is kept only until its
      // sink acknowledges it; the array itself is compacted now and then.
      let queue: (PipelineFrame | undefined)[] = []
      let head = 0
      // Frames handed to the sink and not yet acknowledged: inflight[inflightHead…]. Acks come in
      // order, so an ack advances the head (O(1)) instead of copying the array.
      // Acknowledged slots are cleared at once so that no frame outlives its ack.
      let inflight: (PipelineFrame | undefined)[] = []
      let inflightHead = 0
      let upstreamDone = false
      let inputCompleted = false
      let attempt: { input: Subject<PipelineFrame>; subscription: Subscription } | undefined
      let failures = 0
      let drainHandle: ReturnType<typeof setImmediate> | undefined
      let retryTimer: ReturnType<typeof setTimeout> | undefined
      let closed = false

      const queued = (): number => queue.length - head
      const unacked = (): number => inflight.length - inflightHead
      const updateLag = (): void => {
        counters.lag = queued() + unacked()
      }
      const shift = (): PipelineFrame | undefined => {
        const frame = queue[head]
        queue[head] = undefined
        head += 1
        if (head > 1024 && head * 2 > queue.length) {
          queue = queue.slice(head)
          head = 0
        }
        return frame
      }

      const drain = (): void => {
        drainHandle = undefined
        if (closed || attempt === undefined) return
        const current = attempt
        while (unacked() < buffer.inFlight && queued() > 0 && attempt === current) {
          const frame = shift() as PipelineFrame
          inflight.push(frame)
          current.input.next(frame)
        }
        if (upstreamDone && queued() === 0 && !inputCompleted && attempt === current) {
          inputCompleted = true
          counters.state = 'flushing'
          current.input.complete()
        }
        updateLag()
      }
      const scheduleDrain = (): void => {
        if (drainHandle === undefined && !closed) drainHandle = setImmediate(drain)
      }

      const start = (): void => {
        retryTimer = undefined
        if (closed) return
        // Frames handed to a failed attempt and never acknowledged go first, in order.
        if (unacked() > 0) {
          queue = [...inflight.slice(inflightHead), ...queue.slice(head)]
          head = 0
        }
        inflight = []
        inflightHead = 0
        inputCompleted = false
        const attemptInput = new Subject<PipelineFrame>()
        const current: { input: Subject<PipelineFrame>; subscription: Subscription | undefined } = {
          input: attemptInput,
          subscription: undefined,
        }
        counters.state = 'running'
        const subscription = sink(attemptInput.asObservable()).subscribe({
          next: (ack) => {
            counters.acked += 1
            failures = 0
            let index = inflightHead
            while (
              index < inflight.length &&
              (inflight[index] as PipelineFrame).meta.seq !== ack.seq
            )
              index += 1
            if (index < inflight.length) {
              for (let i = inflightHead; i <= index; i++) inflight[i] = undefined
              inflightHead = index + 1
              if (inflightHead > 1024 && inflightHead * 2 > inflight.length) {
                inflight = inflight.slice(inflightHead)
                inflightHead = 0
              }
            }
            updateLag()
            subscriber.next(ack)
            scheduleDrain()
          },
          error: (error: unknown) => fail(current, error),
          complete: () => {
            if (attempt !== current) return
            if (!inputCompleted) {
              fail(current, new Error('sink completed before its input'))
              return
            }
            if (unacked() > 0)
              logger.warn('sink completed without acknowledging every frame', {
                sink: options.id,
                unacknowledged: unacked(),
              })
            counters.state = 'done'
            attempt = undefined
            subscriber.complete()
          },
        })
        current.subscription = subscription
        attempt = current as { input: Subject<PipelineFrame>; subscription: Subscription }
        scheduleDrain()
      }

      const fail = (
        current: { input: Subject<PipelineFrame>; subscription: Subscription | undefined },
        error: unknown,
      ): void => {
        if (attempt !== current && attempt !== undefined) return
        attempt = undefined
        current.subscription?.unsubscribe()
        failures += 1
        counters.errors += 1
        counters.retries += 1
        counters.state = 'retrying'
        const delay = backoff(failures, options.retry)
        logger.error('sink failed; restarting it', {
          sink: options.id,
          attempt: failures,
          delayMs: delay,
          unacknowledged: unacked(),
          error,
        })
        retryTimer = setTimeout(start, delay)
      }

      let droppedLogged = 0
      const upstream = input.subscribe({
        next: (frame) => {
          counters.received += 1
          if (queued() >= buffer.size) {
            if (buffer.overflow === 'fail') {
              counters.state = 'failed'
              subscriber.error(
                new BufferOverflowError(
                  `${options.id}: buffer of ${buffer.size} frames is full (overflow: fail)`,
                ),
              )
              return
            }
            counters.dropped += 1
            if (buffer.overflow === 'drop-oldest') {
              shift()
              queue.push(frame)
            }
            if (counters.dropped - droppedLogged >= 1000 || droppedLogged === 0) {
              droppedLogged = counters.dropped
              logger.warn('sink buffer full, dropping frames', {
                sink: options.id,
                policy: buffer.overflow,
                size: buffer.size,
                dropped: counters.dropped,
              })
            }
          } else {
            queue.push(frame)
          }
          updateLag()
          scheduleDrain()
        },
        error: (error: unknown) => {
          // The upstream (a source past its retry budget) failed: flush what we hold, then fail.
          logger.error('upstream failed; flushing the sink', { sink: options.id, error })
          upstreamDone = true
          scheduleDrain()
        },
        complete: () => {
          upstreamDone = true
          scheduleDrain()
        },
      })
      start()

      return () => {
        closed = true
        upstream.unsubscribe()
        attempt?.subscription.unsubscribe()
        if (drainHandle !== undefined) clearImmediate(drainHandle)
        if (retryTimer !== undefined) clearTimeout(retryTimer)
      }
    })
}
