import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_RETENTION_DAYS } from './retention.js'
import { DEFAULT_SPOOL_CAPACITY_BYTES } from './spool.js'

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

/** {@link StoreSinkOptions} with every default applied (durations in ms, sizes in frames or bytes). */
export interface StoreSinkSettings {
  readonly batchSize: number
  readonly flushMs: number
  readonly attempts: number
  readonly retryDelayMs: number
  readonly outageRetryMs: number
  readonly maxQueueFrames: number
  readonly retentionDays: number
  readonly retentionIntervalMs: number
  readonly completeTimeoutMs: number
  readonly spoolDir: string
  readonly spoolCapacityBytes: number
  readonly onFull: 'drop-newest' | 'fail'
}

/** Applies the defaults of {@link StoreSinkOptions}; `stage` names the default spool directory. */
export function resolveStoreSinkOptions(
  options: StoreSinkOptions,
  stage: string,
): StoreSinkSettings {
  const batchSize = Math.max(1, options.batchSize ?? 1000)
  return {
    batchSize,
    flushMs: options.flushMs ?? 2000,
    attempts: Math.max(1, options.retry?.attempts ?? 3),
    retryDelayMs: options.retry?.delayMs ?? 250,
    outageRetryMs: options.outageRetryMs ?? 5000,
    maxQueueFrames: options.maxQueueFrames ?? batchSize * 20,
    retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
    retentionIntervalMs: options.retentionIntervalMs ?? 3_600_000,
    completeTimeoutMs: options.completeTimeoutMs ?? 30_000,
    spoolDir: options.spool?.dir ?? join(tmpdir(), `linkyrpi-spool-${stage}`),
    spoolCapacityBytes: options.spool?.capacityBytes ?? DEFAULT_SPOOL_CAPACITY_BYTES,
    onFull: options.spool?.onFull ?? 'drop-newest',
  }
}
