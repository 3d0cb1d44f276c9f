import { retry, throwError, timer } from 'rxjs'
import type { MonoTypeOperatorFunction, SchedulerLike } from 'rxjs'
import { backoff } from '../backoff.js'
import type { BackoffOptions } from '../backoff.js'

/** Options of {@link retryTransient}. */
export interface RetryTransientOptions extends BackoffOptions {
  /** Called before each wait: attempt number (from 1), the delay in ms, the error. */
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void
  /** Uniform random source in [0, 1) for the jitter (default `Math.random`; tests pin it). */
  readonly random?: () => number
  /** Scheduler of the waits (default RxJS's async scheduler; marble tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike
}

/** True for an error that says it may pass (`error.transient === true`, e.g. a vanished device). */
export const isTransient = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { transient?: unknown }).transient === true

/**
 * Resubscribes the source after a transient error, waiting {@link backoff}'s delay (attempt 1, 2, …,
 * reset after each value received); any other error passes through at once.
 */
export function retryTransient<T>(
  options: RetryTransientOptions = {},
): MonoTypeOperatorFunction<T> {
  return retry<T>({
    resetOnSuccess: true,
    delay: (error: unknown, count) => {
      if (!isTransient(error)) return throwError(() => error)
      const delayMs = backoff(count, options, options.random)
      options.onRetry?.(count, delayMs, error)
      return timer(delayMs, options.scheduler)
    },
  })
}
