/**
 * The store sink's frames in memory, in two queues: `queue` (frames for the database, oldest
 * first) and `staging` (frames that arrived during an outage or behind a spool, for the end of the
 * spool). A frame goes to staging once anything is staged, so the order across both is kept.
 */
export class FrameBatches<T> {
  #queue: T[] = []
  #staging: T[] = []
  readonly #batchSize: number
  readonly #maxQueue: number

  /** `batchSize`: frames per batch; `maxQueue`: frames in `queue` at most, beyond which frames are staged. */
  constructor(batchSize: number, maxQueue: number) {
    this.#batchSize = batchSize
    this.#maxQueue = maxQueue
  }

  /** Adds a frame: staged when `divert` (outage, spool not empty), when anything is staged, or when the queue is full. */
  admit(entry: T, divert: boolean): void {
    if (divert || this.#staging.length > 0 || this.#queue.length >= this.#maxQueue)
      this.#staging.push(entry)
    else this.#queue.push(entry)
  }

  /** Frames in the queue (for the database). */
  get queued(): number {
    return this.#queue.length
  }
  /** Frames staged (for the end of the spool). */
  get staged(): number {
    return this.#staging.length
  }
  /** True when nothing is in memory. */
  get empty(): boolean {
    return this.#queue.length === 0 && this.#staging.length === 0
  }
  /** True when the queue holds a full batch. */
  get queueFull(): boolean {
    return this.#queue.length >= this.#batchSize
  }
  /** True when staging holds a full batch. */
  get stagingFull(): boolean {
    return this.#staging.length >= this.#batchSize
  }

  /** The oldest batch of the queue, left in place until {@link dropQueued}. */
  peekQueued(): T[] {
    return this.#queue.slice(0, this.#batchSize)
  }
  /** Removes the `n` oldest frames of the queue (a batch now committed). */
  dropQueued(n: number): void {
    this.#queue = this.#queue.slice(n)
  }
  /** Empties the queue and returns its frames, oldest first. */
  takeQueue(): T[] {
    const all = this.#queue
    this.#queue = []
    return all
  }
  /** Removes and returns the oldest batch of staging. */
  takeStagedBatch(): T[] {
    const batch = this.#staging.slice(0, this.#batchSize)
    this.#staging = this.#staging.slice(batch.length)
    return batch
  }
  /** Empties staging and returns its frames, oldest first. */
  takeStaging(): T[] {
    const all = this.#staging
    this.#staging = []
    return all
  }
}
