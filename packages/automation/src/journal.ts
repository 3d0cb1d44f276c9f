/** One event for the store's `events` table. */
export interface JournalEvent {
  /** Meter id (ADS). */
  readonly meter: string
  /** Epoch ms. */
  readonly t: number
  /** `automation-switch`, `automation-override`, `automation-actuator-error`. */
  readonly kind: string
  readonly detail: Readonly<Record<string, unknown>>
}

/**
 * Where automation events are journaled: the node's store (SQLite or PostgreSQL). `append`
 * rejects when the store cannot take them now (the caller retries); events already stored (same
 * meter, t and kind) are left as they are.
 */
export interface EventJournal {
  append(events: readonly JournalEvent[]): Promise<void>
}
