/**
 * A frame's place in the acknowledgement order. The ledger holds only these, never a record: once
 * a frame is durable (committed, or safe in the spool) nothing in the sink references its record,
 * so an acknowledged frame costs a few bytes until the ledger is compacted, not a whole reading.
 */
export interface AckMark {
  readonly seq: number
  durable: boolean
}

/** Acknowledged marks are dropped in bulk once more than this many (and over half the ledger) are acknowledged. */
const COMPACT_AFTER = 4096

/**
 * The acknowledgement ledger of a sink: frames in input order, each acknowledged (by `emit`) once it
 * and every frame before it are durable, so acknowledgements leave in input order whatever the
 * order in which batches become durable.
 */
export class AckLedger {
  #marks: AckMark[] = []
  #head = 0
  readonly #emit: (seq: number) => void

  /** `emit` receives each acknowledged `seq`, in input order. */
  constructor(emit: (seq: number) => void) {
    this.#emit = emit
  }

  /** Records a frame (in input order); a frame born durable (nothing to store) is acknowledged when its turn comes. */
  push(seq: number, durable = false): AckMark {
    const mark: AckMark = { seq, durable }
    this.#marks.push(mark)
    if (durable) this.flush()
    return mark
  }

  /** Marks frames durable and acknowledges every frame that is now durable along with all before it. */
  markDurable(marks: Iterable<AckMark>): void {
    for (const m of marks) m.durable = true
    this.flush()
  }

  /** True when every recorded frame has been acknowledged. */
  get settled(): boolean {
    return this.#head === this.#marks.length
  }

  /** Marks recorded and not yet acknowledged. */
  get pending(): number {
    return this.#marks.length - this.#head
  }

  /** Marks held (acknowledged ones included until compaction); for tests. */
  get size(): number {
    return this.#marks.length
  }

  /** Emits every acknowledgement now due. */
  flush(): void {
    while (this.#head < this.#marks.length && this.#marks[this.#head]!.durable) {
      this.#emit(this.#marks[this.#head]!.seq)
      this.#head++
    }
    // Every mark acknowledged (at a meter's pace, after each commit): the ledger starts afresh at
    // no cost, so it holds only the frames of the batch in hand instead of growing for
    // COMPACT_AFTER frames (more than an hour at a meter's pace) between compactions.
    if (this.#head === this.#marks.length) {
      if (this.#head > 0) {
        this.#marks = []
        this.#head = 0
      }
      return
    }
    // Otherwise acknowledged marks (a seq and a flag each, no record) are dropped in bulk: the
    // splice costs O(ledger) and runs at most once per COMPACT_AFTER acknowledgements.
    if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#marks.length) {
      this.#marks.splice(0, this.#head)
      this.#head = 0
    }
  }
}
