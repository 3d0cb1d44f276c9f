import { defer, retry, throwError, timer } from 'rxjs'
import type { Observable, ObservableInput, SchedulerLike } from 'rxjs'
import { isTransientError } from './engine.js'
import { StoreWriteError } from './errors.js'

/** Options of {@link retryBatch}. */
export interface BatchRetryOptions {
  /** Attempts in all, at least 1. */
  readonly attempts: number
  /** Delay before the second attempt (ms); each further delay doubles. */
  readonly delayMs: number
  /** Called before each retry with the attempt that failed (1-based), its error and the delay (ms). */
  readonly onRetry?: (attempt: number, error: unknown, delayMs: number) => void
  /** When true, a transient failure is not retried (the sink is stopping). */
  readonly stopped?: () => boolean
}

/** The delay before retry number `attempt` (1-based) of a batch: `firstDelayMs`, doubling (ms). */
export function batchRetryDelayMs(attempt: number, firstDelayMs: number): number {
  return firstDelayMs * 2 ** (attempt - 1)
}

/**
 * One batch write with its retries: `write` is subscribed again after a transient failure
 * ({@link isTransientError}), after `delayMs`, `2 × delayMs`, … on `scheduler`, up to `attempts`
 * attempts; then the last error goes through, and the caller declares an outage. A failure that
 * is not transient is not retried: it errors at once as a {@link StoreWriteError}.
 */
export function retryBatch<T>(
  write: () => ObservableInput<T>,
  options: BatchRetryOptions,
  scheduler: SchedulerLike,
): Observable<T> {
  return defer(write).pipe(
    retry({
      delay: (error: unknown, attempt) => {
        if (!isTransientError(error))
          return throwError(() => new StoreWriteError('batch write failed', { cause: error }))
        if (attempt >= options.attempts || options.stopped?.() === true)
          return throwError(() => error)
        const delayMs = batchRetryDelayMs(attempt, options.delayMs)
        options.onRetry?.(attempt, error, delayMs)
        return timer(delayMs, scheduler)
      },
    }),
  )
}
