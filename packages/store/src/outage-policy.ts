/**
 * The store sink's outage state: whether the database is considered unreachable, and when the next
 * attempt to reach it is due. Times come from `now` (ms), the sink's scheduler clock.
 */
export class OutagePolicy {
  readonly #retryMs: number
  readonly #now: () => number
  #active: boolean
  #nextAttemptAt = 0

  /** `retryMs`: delay between two attempts during an outage (ms); `active`: start in an outage (a non-empty spool). */
  constructor(retryMs: number, now: () => number, active: boolean) {
    this.#retryMs = retryMs
    this.#now = now
    this.#active = active
  }

  /** True while the database is considered unreachable (new frames go to the spool). */
  get active(): boolean {
    return this.#active
  }

  /** A write or open failed for a transient reason: the next attempt waits `retryMs`. Returns true when the outage starts now. */
  enter(): boolean {
    const starts = !this.#active
    this.#active = true
    this.#nextAttemptAt = this.#now() + this.#retryMs
    return starts
  }

  /** The database answers again and nothing is left to catch up. */
  end(): void {
    this.#active = false
  }

  /** True when an attempt to reach the database may be made now. */
  get attemptDue(): boolean {
    return this.#now() >= this.#nextAttemptAt
  }

  /** Time until the next attempt is due, at least `floorMs` (ms). */
  waitMs(floorMs: number): number {
    return Math.max(floorMs, this.#nextAttemptAt - this.#now())
  }
}
