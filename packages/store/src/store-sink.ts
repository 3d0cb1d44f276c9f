import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Observable } from 'rxjs'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { isTransientError } from './engine.js'
import { StoreSpoolFullError, StoreWriteError } from './errors.js'
import type { Store } from './store.js'
import { DEFAULT_RETENTION_DAYS } from './retention.js'
import type { StoreRecord } from './rows.js'
import { DEFAULT_SPOOL_CAPACITY_BYTES, Spool } from './spool.js'

/** Options shared by the PostgreSQL and SQLite sinks. */
export interface StoreSinkOptions {
  /** Frames per write transaction, at most (default 1000). */
  readonly batchSize?: number
  /**
   * A batch is written at the latest this long after its first frame arrived (ms, default 2000).
   * This bounds what a crash (SIGKILL, power cut before the spool) can lose: the frames of the
   * last `flushMs` plus the batch being written.
   */
  readonly flushMs?: number
  /** Retries of one batch before declaring an outage: attempts (default 3) and first delay (ms, default 250, doubling). */
  readonly retry?: { readonly attempts?: number; readonly delayMs?: number }
  /** During an outage, the delay between two attempts to write the spool back (ms, default 5000). */
  readonly outageRetryMs?: number
  /** Frames waiting in memory, at most; beyond, new frames spill to the spool (default 20 × batchSize). */
  readonly maxQueueFrames?: number
  /** The on-disk spool used while the database is unreachable. */
  readonly spool?: {
    /**
     * Directory (created if missing). Keep it on persistent storage: the default here is
     * `<os tmpdir>/linkyrpi-spool-<stage>`; the `sqlite` sink puts it next to its file and the
     * app's `postgres` stage in `<dataDir>/spool/<stage>`.
     */
    readonly dir?: string
    /** Capacity in bytes (default 256 MiB). */
    readonly capacityBytes?: number
    /**
     * When the spool is full: `'drop-newest'` (default) acknowledges and drops incoming frames,
     * logging a warning and counting them; `'fail'` errors the sink (an upstream durable queue such
     * as JetStream then keeps the frames).
     */
    readonly onFull?: 'drop-newest' | 'fail'
  }
  /**
   * After the input completes, how long the sink keeps trying to write spooled frames back before
   * completing anyway, leaving them in the spool for the next start (ms, default 30000).
   */
  readonly completeTimeoutMs?: number
  /** Days of full-resolution samples and registers kept (default 30; 0 keeps everything). */
  readonly retentionDays?: number
  /** How often retention runs (ms, default one hour; also once at start). */
  readonly retentionIntervalMs?: number
}

/**
 * A frame's place in the acknowledgement order. The ledger holds only these, never a record: once
 * a frame is durable (committed, or safe in the spool) nothing in the sink references its record,
 * so an acknowledged frame costs a few bytes until the ledger is compacted, not a whole reading.
 */
interface Mark {
  readonly seq: number
  durable: boolean
}

/** A frame waiting in memory (queue or staging) to be written or spooled: its record and its mark. */
interface Entry {
  readonly record: StoreRecord
  readonly mark: Mark
}

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
 */
export function storeSink(open: () => Promise<Store>, options: StoreSinkOptions, ctx: StageContext): Sink<PipelineFrame> {
  const batchSize = Math.max(1, options.batchSize ?? 1000)
  const flushMs = options.flushMs ?? 2000
  const attempts = Math.max(1, options.retry?.attempts ?? 3)
  const retryDelayMs = options.retry?.delayMs ?? 250
  const outageRetryMs = options.outageRetryMs ?? 5000
  const maxQueue = options.maxQueueFrames ?? batchSize * 20
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS
  const retentionIntervalMs = options.retentionIntervalMs ?? 3_600_000
  const completeTimeoutMs = options.completeTimeoutMs ?? 30_000
  const onFull = options.spool?.onFull ?? 'drop-newest'
  const spoolDir = options.spool?.dir ?? join(tmpdir(), `linkyrpi-spool-${ctx.stage}`)
  const log = ctx.logger

  return (input) =>
    new Observable<Ack>((subscriber) => {
      const spool = new Spool(spoolDir, options.spool?.capacityBytes ?? DEFAULT_SPOOL_CAPACITY_BYTES)
      const ledger: Mark[] = []
      let ledgerHead = 0
      let queue: Entry[] = []
      let staging: Entry[] = []
      let store: Store | null = null
      let outage = !spool.isEmpty
      let inputDone = false
      let completedAt = 0
      let stopped = false
      let running = false
      let flushDue = false
      let flushTimer: ReturnType<typeof setTimeout> | undefined
      let wakeTimer: ReturnType<typeof setTimeout> | undefined
      let nextAttemptAt = 0
      let nextRetentionAt = 0
      let dropped = 0
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
          detail: { spoolBytes: spool.usedBytes, spoolCapacityBytes: spool.capacityBytes, dropped, unstorable },
        })
      }
      if (outage) log.warn('spool holds frames from a previous run; writing them first', { spoolDir: spool.dir, spoolBytes: spool.usedBytes })

      const emitAcks = (): void => {
        while (ledgerHead < ledger.length && ledger[ledgerHead]!.durable) {
          subscriber.next({ seq: ledger[ledgerHead]!.seq, sink: ctx.stage })
          ledgerHead++
        }
        // Acknowledged marks (a seq and a flag each, no record) are dropped in bulk: the splice
        // costs O(ledger) and runs at most once per 4096 acknowledgements.
        if (ledgerHead > 4096 && ledgerHead * 2 > ledger.length) {
          ledger.splice(0, ledgerHead)
          ledgerHead = 0
        }
      }
      const markDurable = (entries: readonly Entry[]): void => {
        for (const e of entries) e.mark.durable = true
        emitAcks()
      }
      const armFlush = (): void => {
        if (flushTimer !== undefined || stopped) return
        flushTimer = setTimeout(() => {
          flushTimer = undefined
          flushDue = true
          kick()
        }, flushMs)
      }
      const sleep = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          wakeTimer = setTimeout(() => {
            wakeTimer = undefined
            resolve()
          }, ms)
        })

      /** Puts entries at the end of the spool; applies the full policy. Returns false when the sink must stop. */
      const toSpool = (entries: Entry[]): boolean => {
        const ok = spool.append(entries.map((e) => e.record))
        if (!ok) {
          if (onFull === 'fail') {
            fail(new StoreSpoolFullError(`spool full (${String(spool.usedBytes)} of ${String(spool.capacityBytes)} bytes)`))
            return false
          }
          if (dropped === 0 || Math.floor((dropped + entries.length) / 1000) > Math.floor(dropped / 1000)) {
            log.warn('spool full, dropping incoming frames', { dropped: dropped + entries.length, spoolDir: spool.dir, spoolBytes: spool.usedBytes })
          }
          dropped += entries.length
        }
        markDurable(entries)
        report('spooling')
        return true
      }

      /** Puts entries, oldest first, before everything in the spool (in batches); applies the full policy. */
      const spoolFront = (entries: Entry[]): boolean => {
        const batches: Entry[][] = []
        for (let i = 0; i < entries.length; i += batchSize) batches.push(entries.slice(i, i + batchSize))
        const written = spool.prependBatches(batches.map((b) => b.map((e) => e.record)))
        if (written < batches.length) {
          if (onFull === 'fail') {
            fail(new StoreSpoolFullError(`spool full (${String(spool.usedBytes)} of ${String(spool.capacityBytes)} bytes)`))
            return false
          }
          const lost = batches.slice(written).reduce((n, b) => n + b.length, 0)
          log.warn('spool full, dropping incoming frames', { dropped: dropped + lost, spoolDir: spool.dir, spoolBytes: spool.usedBytes })
          dropped += lost
        }
        markDurable(entries)
        report('spooling')
        return true
      }

      const fail = (error: Error): void => {
        if (stopped) return
        stopped = true
        log.error('storage failed', { error })
        subscriber.error(error)
      }

      const writeBatch = async (entries: readonly Entry[]): Promise<void> => {
        const records = entries.map((e) => e.record)
        for (let attempt = 1; ; attempt++) {
          try {
            const r = await store!.ingest.write(records)
            if (r.duplicates > 0) log.debug('frames already stored (replay or redelivery)', { duplicates: r.duplicates })
            return
          } catch (error) {
            if (!isTransientError(error)) throw new StoreWriteError('batch write failed', { cause: error })
            if (attempt >= attempts || stopped) throw error
            log.warn('batch write failed, retrying', { attempt, frames: records.length, error })
            await sleep(retryDelayMs * 2 ** (attempt - 1))
          }
        }
      }

      const enterOutage = (error: unknown): void => {
        if (!outage) log.warn('database unreachable, spooling frames to disk', { error, spoolDir: spool.dir })
        outage = true
        nextAttemptAt = Date.now() + outageRetryMs
        report('spooling')
      }

      const ensureStore = async (): Promise<boolean> => {
        if (store !== null) return true
        if (Date.now() < nextAttemptAt) return false
        try {
          store = await open()
          if (stopped) {
            await store.close()
            return false
          }
          log.info('store open', { engine: store.engine.kind })
          report(outage ? 'draining' : 'writing')
          return true
        } catch (error) {
          if (!isTransientError(error)) throw error
          enterOutage(error)
          return false
        }
      }

      const step = async (): Promise<'again' | 'idle'> => {
        // 0. Open (connect + migrate) at start, and retry opening during an outage.
        if (store === null && Date.now() >= nextAttemptAt) {
          if (!(await ensureStore())) return 'idle'
          if (spool.isEmpty && staging.length === 0 && outage) {
            outage = false
            report('writing')
          }
          return 'again'
        }
        // 1. Frames in memory (older than anything staged) go to the database, or to the front of the spool.
        if (queue.length > 0 && (queue.length >= batchSize || flushDue || inputDone || outage)) {
          if (!outage && (await ensureStore())) {
            const batch = queue.slice(0, batchSize)
            try {
              await writeBatch(batch)
              queue = queue.slice(batch.length)
              markDurable(batch)
              return 'again'
            } catch (error) {
              if (error instanceof StoreWriteError) throw error
              enterOutage(error)
            }
          }
          // Outage: everything still in memory is older than what is spooled since, so it goes
          // to the front of the spool, in arrival order.
          const all = queue
          queue = []
          return spoolFront(all) ? 'again' : 'idle'
        }
        // 2. Frames that arrived during the outage go to the end of the spool.
        if (staging.length > 0 && (staging.length >= batchSize || flushDue || inputDone)) {
          const batch = staging.slice(0, batchSize)
          staging = staging.slice(batch.length)
          return toSpool(batch) ? 'again' : 'idle'
        }
        if (queue.length === 0 && staging.length === 0) flushDue = false
        // 3. The spool drains in order once the database answers again.
        if (!spool.isEmpty && Date.now() >= nextAttemptAt && (await ensureStore())) {
          const seg = spool.peek()!
          try {
            await store!.ingest.write(seg.records)
          } catch (error) {
            if (!isTransientError(error)) throw new StoreWriteError('spooled batch write failed', { cause: error })
            enterOutage(error)
            return 'idle'
          }
          spool.shift()
          drainedFrames += seg.records.length
          report('draining')
          if (spool.isEmpty) {
            log.info('spool drained, writing directly again', { frames: drainedFrames })
            drainedFrames = 0
            if (staging.length === 0) {
              outage = false
              report('writing')
            }
          }
          return 'again'
        }
        if (spool.isEmpty && staging.length === 0 && outage && store !== null) {
          outage = false
          report('writing')
        }
        // 4. Retention, at start and then periodically.
        if (store !== null && retentionDays > 0 && Date.now() >= nextRetentionAt) {
          nextRetentionAt = Date.now() + retentionIntervalMs
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

      const done = (): boolean => inputDone && queue.length === 0 && staging.length === 0 && ledgerHead === ledger.length
      const loop = async (): Promise<void> => {
        running = true
        try {
          for (;;) {
            if (stopped) return
            if ((await step()) === 'again') continue
            if (done() && (spool.isEmpty || Date.now() - completedAt >= completeTimeoutMs)) {
              if (!spool.isEmpty) log.warn('input ended with frames still spooled; they are written at the next start', { spoolDir: spool.dir, spoolBytes: spool.usedBytes })
              stopped = true
              subscriber.complete()
              return
            }
            if (!spool.isEmpty || (outage && store === null)) {
              let wait = Math.max(10, nextAttemptAt - Date.now())
              if (inputDone) wait = Math.max(1, Math.min(wait, completedAt + completeTimeoutMs - Date.now()))
              if (queue.length === 0 && staging.length === 0) {
                // Sleep until the next outage attempt unless new input arrives (kick wakes us).
                wakeTimer = setTimeout(() => {
                  wakeTimer = undefined
                  kick()
                }, wait)
              }
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
        if (wakeTimer !== undefined) {
          clearTimeout(wakeTimer)
          wakeTimer = undefined
        }
        void loop().then(() => {
          // Input that arrived while the loop was finishing.
          if (!stopped && !running && ((queue.length >= batchSize || staging.length >= batchSize) || (inputDone && !done()) || flushDue)) kick()
        })
      }

      const subscription = input.subscribe({
        next(frame) {
          const id = frame.reading.meter.id
          if (id === null) {
            if (unstorable === 0) log.warn('frame without a meter id (ADCO/ADSC) cannot be stored', { seq: frame.meta.seq })
            unstorable++
            ledger.push({ seq: frame.meta.seq, durable: true })
            emitAcks()
            return
          }
          const mark: Mark = { seq: frame.meta.seq, durable: false }
          ledger.push(mark)
          const entry: Entry = { record: { reading: frame.reading, receivedAt: frame.meta.receivedAt }, mark }
          if (outage || staging.length > 0 || !spool.isEmpty || queue.length >= maxQueue) staging.push(entry)
          else queue.push(entry)
          if (staging.length >= batchSize) {
            // Written to the spool right away, even while a database write is in flight: memory
            // stays bounded by maxQueueFrames + batchSize whatever the input rate.
            const batch = staging
            staging = []
            if (!toSpool(batch)) return
          }
          if (queue.length >= batchSize) kick()
          else armFlush()
        },
        error(error: unknown) {
          fail(error instanceof Error ? error : new Error(String(error)))
        },
        complete() {
          inputDone = true
          completedAt = Date.now()
          kick()
        },
      })
      kick()

      return () => {
        stopped = true
        subscription.unsubscribe()
        if (flushTimer !== undefined) clearTimeout(flushTimer)
        if (wakeTimer !== undefined) clearTimeout(wakeTimer)
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
