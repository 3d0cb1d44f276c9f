import { asyncScheduler, Observable } from 'rxjs'
import type { SchedulerLike, Subscription } from 'rxjs'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { AckLedger } from './ack-ledger.js'
import type { AckMark } from './ack-ledger.js'
import { Alarm } from './alarm.js'
import { retryBatch } from './batch-retry.js'
import { isTransientError } from './engine.js'
import { StoreWriteError } from './errors.js'
import { FrameBatches } from './frame-batches.js'
import { OutagePolicy } from './outage-policy.js'
import type { StoreRecord } from './rows.js'
import { Spool } from './spool.js'
import { SpoolSpill } from './spool-spill.js'
import type { Store } from './store.js'
import { resolveStoreSinkOptions } from './store-sink-options.js'
import type { StoreSinkOptions } from './store-sink-options.js'

export type { StoreSinkOptions } from './store-sink-options.js'

/** What {@link storeSink} runs on besides the store: its timers and clock (tests pass a TestScheduler). */
export interface StoreSinkDeps {
  /** Flush, retry and outage timers, and the clock they are measured with (default: `asyncScheduler`). */
  readonly scheduler?: SchedulerLike
}

/** A frame waiting in memory (queue or staging) to be written or spooled: its record and its ledger mark. */
interface Entry {
  readonly record: StoreRecord
  readonly mark: AckMark
}

const recordsOf = (entries: readonly Entry[]): StoreRecord[] => entries.map((e) => e.record)
const marksOf = (entries: readonly Entry[]): AckMark[] => entries.map((e) => e.mark)

/**
 * The storage sink over any store: batches frames (size- and time-bounded), writes each batch in
 * one transaction with per-batch retries, and acknowledges each frame in input order once it is
 * committed, or once it is safe in the on-disk spool during an outage. Spooled frames are written
 * back in order when the database returns; frames arriving meanwhile go after them. Frames without
 * a meter id cannot be stored: they are counted, logged once, and acknowledged.
 *
 * Opens the store (connect + migrate) on subscribe and closes it on unsubscribe. Completes after
 * the input completes and everything is committed or spooled. Errors only with StoreWriteError (a
 * batch fails for a reason other than connectivity) or StoreSpoolFullError (`onFull: 'fail'`).
 *
 * A composition of small units: {@link FrameBatches} (the queues), {@link AckLedger} (ack order),
 * {@link retryBatch} (per-batch retries), {@link OutagePolicy} (when to try the database again),
 * {@link SpoolSpill} (the spool and its full policy) and {@link Alarm}s on `deps.scheduler`.
 */
export function storeSink(
  open: () => Promise<Store>,
  options: StoreSinkOptions,
  ctx: StageContext,
  deps: StoreSinkDeps = {},
): Sink<PipelineFrame> {
  const settings = resolveStoreSinkOptions(options, ctx.stage)
  const { batchSize, completeTimeoutMs, retentionDays, retentionIntervalMs } = settings
  const scheduler = deps.scheduler ?? asyncScheduler
  const clock = (): number => scheduler.now()
  const log = ctx.logger

  return (input) =>
    new Observable<Ack>((subscriber) => {
      const spill = new SpoolSpill(
        new Spool(settings.spoolDir, settings.spoolCapacityBytes),
        settings.onFull,
        log,
      )
      const spool = spill.spool
      const ledger = new AckLedger((seq) => subscriber.next({ seq, sink: ctx.stage }))
      const memory = new FrameBatches<Entry>(batchSize, settings.maxQueueFrames)
      const outage = new OutagePolicy(settings.outageRetryMs, clock, !spool.isEmpty)
      const flushAlarm = new Alarm(scheduler)
      const wakeAlarm = new Alarm(scheduler)
      let store: Store | null = null
      let inputDone = false
      let completedAt = 0
      let stopped = false
      let running = false
      let flushDue = false
      let writing: Subscription | undefined
      let nextRetentionAt = 0
      let unstorable = 0
      let drainedFrames = 0
      let state = ''

      const report = (next: string): void => {
        if (next === state) return
        state = next
        ctx.diagnostics.report({
          kind: 'state',
          stage: ctx.stage,
          state: next,
          detail: {
            spoolBytes: spool.usedBytes,
            spoolCapacityBytes: spool.capacityBytes,
            dropped: spill.dropped,
            unstorable,
          },
        })
      }
      if (outage.active)
        log.warn('spool holds frames from a previous run; writing them first', {
          spoolDir: spool.dir,
          spoolBytes: spool.usedBytes,
        })

      const armFlush = (): void => {
        if (flushAlarm.armed || stopped) return
        flushAlarm.set(settings.flushMs, () => {
          flushDue = true
          kick()
        })
      }
      const fail = (error: Error): void => {
        if (stopped) return
        stopped = true
        log.error('storage failed', { error })
        subscriber.error(error)
      }
      /** Entries spilled to the spool (at its end, or before everything in it), then durable. False when the sink must stop. */
      const spillEntries = (entries: Entry[], where: 'end' | 'front'): boolean => {
        const records = recordsOf(entries)
        const error = where === 'end' ? spill.append(records) : spill.prepend(records, batchSize)
        if (error !== undefined) {
          fail(error)
          return false
        }
        ledger.markDurable(marksOf(entries))
        report('spooling')
        return true
      }
      const writeBatch = (records: readonly StoreRecord[]): Promise<void> =>
        new Promise((resolve, reject) => {
          writing = retryBatch(
            () => store!.ingest.write(records),
            {
              attempts: settings.attempts,
              delayMs: settings.retryDelayMs,
              stopped: () => stopped,
              onRetry: (attempt, error) =>
                log.warn('batch write failed, retrying', {
                  attempt,
                  frames: records.length,
                  error,
                }),
            },
            scheduler,
          ).subscribe({
            next: (r) => {
              if (r.duplicates > 0)
                log.debug('frames already stored (replay or redelivery)', {
                  duplicates: r.duplicates,
                })
            },
            error: reject,
            complete: resolve,
          })
        })
      const enterOutage = (error: unknown): void => {
        if (outage.enter())
          log.warn('database unreachable, spooling frames to disk', { error, spoolDir: spool.dir })
        report('spooling')
      }
      const ensureStore = async (): Promise<boolean> => {
        if (store !== null) return true
        if (!outage.attemptDue) return false
        try {
          store = await open()
          if (stopped) {
            await store.close()
            return false
          }
          log.info('store open', { engine: store.engine.kind })
          report(outage.active ? 'draining' : 'writing')
          return true
        } catch (error) {
          if (!isTransientError(error)) throw error
          enterOutage(error)
          return false
        }
      }
      const caughtUp = (): void => {
        outage.end()
        report('writing')
      }

      const step = async (): Promise<'again' | 'idle'> => {
        // 0. Open (connect + migrate) at start, and retry opening during an outage.
        if (store === null && outage.attemptDue) {
          if (!(await ensureStore())) return 'idle'
          if (spool.isEmpty && memory.staged === 0 && outage.active) caughtUp()
          return 'again'
        }
        // 1. Frames in memory (older than anything staged) go to the database, or to the front of the spool.
        if (memory.queued > 0 && (memory.queueFull || flushDue || inputDone || outage.active)) {
          if (!outage.active && (await ensureStore())) {
            const batch = memory.peekQueued()
            try {
              await writeBatch(recordsOf(batch))
              memory.dropQueued(batch.length)
              ledger.markDurable(marksOf(batch))
              return 'again'
            } catch (error) {
              if (error instanceof StoreWriteError) throw error
              enterOutage(error)
            }
          }
          // Outage: everything still in memory is older than what is spooled since, so it goes
          // to the front of the spool, in arrival order.
          return spillEntries(memory.takeQueue(), 'front') ? 'again' : 'idle'
        }
        // 2. Frames that arrived during the outage go to the end of the spool.
        if (memory.staged > 0 && (memory.stagingFull || flushDue || inputDone)) {
          return spillEntries(memory.takeStagedBatch(), 'end') ? 'again' : 'idle'
        }
        if (memory.empty) flushDue = false
        // 3. The spool drains in order once the database answers again.
        if (!spool.isEmpty && outage.attemptDue && (await ensureStore())) {
          const seg = spool.peek()!
          try {
            await store!.ingest.write(seg.records)
          } catch (error) {
            if (!isTransientError(error))
              throw new StoreWriteError('spooled batch write failed', { cause: error })
            enterOutage(error)
            return 'idle'
          }
          spool.shift()
          drainedFrames += seg.records.length
          report('draining')
          if (spool.isEmpty) {
            log.info('spool drained, writing directly again', { frames: drainedFrames })
            drainedFrames = 0
            if (memory.staged === 0) caughtUp()
          }
          return 'again'
        }
        if (spool.isEmpty && memory.staged === 0 && outage.active && store !== null) caughtUp()
        // 4. Retention, at start and then periodically.
        if (store !== null && retentionDays > 0 && clock() >= nextRetentionAt) {
          nextRetentionAt = clock() + retentionIntervalMs
          try {
            const r = await store.applyRetention(ctx.now(), retentionDays)
            if (r.samples + r.registers > 0) log.info('retention applied', { ...r, retentionDays })
          } catch (error) {
            log.warn('retention failed', { error })
          }
          return 'again'
        }
        return 'idle'
      }

      const done = (): boolean => inputDone && memory.empty && ledger.settled
      const loop = async (): Promise<void> => {
        running = true
        try {
          for (;;) {
            if (stopped) return
            if ((await step()) === 'again') continue
            if (done() && (spool.isEmpty || clock() - completedAt >= completeTimeoutMs)) {
              if (!spool.isEmpty)
                log.warn(
                  'input ended with frames still spooled; they are written at the next start',
                  { spoolDir: spool.dir, spoolBytes: spool.usedBytes },
                )
              stopped = true
              subscriber.complete()
              return
            }
            if ((!spool.isEmpty || (outage.active && store === null)) && memory.empty) {
              // Sleep until the next outage attempt (or the completion deadline) unless new input arrives (kick wakes us).
              let wait = outage.waitMs(10)
              if (inputDone)
                wait = Math.max(1, Math.min(wait, completedAt + completeTimeoutMs - clock()))
              wakeAlarm.set(wait, kick)
            }
            return
          }
        } catch (error) {
          fail(error instanceof Error ? error : new StoreWriteError(String(error)))
        } finally {
          running = false
        }
      }
      const kick = (): void => {
        if (running || stopped) return
        wakeAlarm.clear()
        void loop().then(() => {
          // Input that arrived while the loop was finishing.
          if (
            !stopped &&
            !running &&
            (memory.queueFull || memory.stagingFull || (inputDone && !done()) || flushDue)
          )
            kick()
        })
      }

      const subscription = input.subscribe({
        next(frame) {
          if (frame.reading.meter.id === null) {
            if (unstorable === 0)
              log.warn('frame without a meter id (ADCO/ADSC) cannot be stored', {
                seq: frame.meta.seq,
              })
            unstorable++
            ledger.push(frame.meta.seq, true)
            return
          }
          const mark = ledger.push(frame.meta.seq)
          memory.admit(
            { record: { reading: frame.reading, receivedAt: frame.meta.receivedAt }, mark },
            outage.active || !spool.isEmpty,
          )
          if (memory.stagingFull) {
            // Written to the spool right away, even while a database write is in flight: memory
            // stays bounded by maxQueueFrames + batchSize whatever the input rate.
            if (!spillEntries(memory.takeStaging(), 'end')) return
          }
          if (memory.queueFull) kick()
          else armFlush()
        },
        error(error: unknown) {
          fail(error instanceof Error ? error : new Error(String(error)))
        },
        complete() {
          inputDone = true
          completedAt = clock()
          kick()
        },
      })
      kick()

      return () => {
        stopped = true
        subscription.unsubscribe()
        flushAlarm.clear()
        wakeAlarm.clear()
        writing?.unsubscribe()
        const s = store
        store = null
        if (unstorable > 0) log.info('frames without a meter id were not stored', { unstorable })
        if (s !== null) {
          // Closing waits for a write in flight: its transaction either commits or is rolled back.
          void s.close().catch((error: unknown) => log.warn('closing the store failed', { error }))
        }
      }
    })
}
