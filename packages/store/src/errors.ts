/** The database cannot be reached (connection refused, lost, timed out). A retry can succeed. */
export class StoreConnectionError extends Error {
  override readonly name = 'StoreConnectionError'
  /** Retrying later makes sense. */
  readonly transient = true
}

/** A batch could not be written for a reason a retry will not fix (a bug, a schema mismatch). */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError'
}

/** The store target (SQLite path or postgres:// URL) or an option is invalid. */
export class StoreTargetError extends TypeError {
  override readonly name = 'StoreTargetError'
}

/** The outage spool is full and the sink was configured with `onFull: 'fail'`. */
export class StoreSpoolFullError extends Error {
  override readonly name = 'StoreSpoolFullError'
}
