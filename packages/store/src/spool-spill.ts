import type { Logger } from '@linkyrpi/tic-core/stage'
import { StoreSpoolFullError } from './errors.js'
import type { StoreRecord } from './rows.js'
import type { Spool } from './spool.js'

/**
 * Frames spilled to the on-disk spool, with the full-spool policy: `'drop-newest'` drops what does
 * not fit (counted, logged) and `'fail'` returns a {@link StoreSpoolFullError} for the sink to
 * error with. Either way the frames given are then durable as far as acknowledgements go.
 */
export class SpoolSpill {
  readonly spool: Spool
  readonly #onFull: 'drop-newest' | 'fail'
  readonly #log: Logger
  #dropped = 0

  constructor(spool: Spool, onFull: 'drop-newest' | 'fail', log: Logger) {
    this.spool = spool
    this.#onFull = onFull
    this.#log = log
  }

  /** Frames dropped because the spool was full. */
  get dropped(): number {
    return this.#dropped
  }

  /** Puts records at the end of the spool; an error when the spool is full and the policy is `'fail'`. */
  append(records: readonly StoreRecord[]): StoreSpoolFullError | undefined {
    if (this.spool.append(records)) return undefined
    if (this.#onFull === 'fail') return this.#fullError()
    const dropped = this.#dropped
    // One warning at the first drop, then one per thousand frames dropped.
    if (dropped === 0 || Math.floor((dropped + records.length) / 1000) > Math.floor(dropped / 1000))
      this.#warn(dropped + records.length)
    this.#dropped += records.length
    return undefined
  }

  /**
   * Puts records, oldest first, before everything in the spool, in batches of `batchSize`; the
   * oldest batches that fit are kept. An error when some do not fit and the policy is `'fail'`.
   */
  prepend(records: readonly StoreRecord[], batchSize: number): StoreSpoolFullError | undefined {
    const batches: StoreRecord[][] = []
    for (let i = 0; i < records.length; i += batchSize)
      batches.push(records.slice(i, i + batchSize))
    const written = this.spool.prependBatches(batches)
    if (written === batches.length) return undefined
    if (this.#onFull === 'fail') return this.#fullError()
    const lost = batches.slice(written).reduce((n, b) => n + b.length, 0)
    this.#warn(this.#dropped + lost)
    this.#dropped += lost
    return undefined
  }

  #fullError(): StoreSpoolFullError {
    return new StoreSpoolFullError(
      `spool full (${String(this.spool.usedBytes)} of ${String(this.spool.capacityBytes)} bytes)`,
    )
  }

  #warn(dropped: number): void {
    this.#log.warn('spool full, dropping incoming frames', {
      dropped,
      spoolDir: this.spool.dir,
      spoolBytes: this.spool.usedBytes,
    })
  }
}
