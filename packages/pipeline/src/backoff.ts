/** Options of {@link backoff}. */
export interface BackoffOptions {
  /** First delay, ms (default 500). */
  readonly initialMs?: number
  /** Upper bound of a delay, ms (default 30 000). */
  readonly maxMs?: number
  /** Multiplier between attempts (default 2). */
  readonly factor?: number
}

/**
 * Exponential backoff with full jitter: the delay in ms before retry number `attempt` (from 1),
 * uniformly drawn in [delay/2, delay] where delay = min(maxMs, initialMs × factor^(attempt-1));
 * `random` is the uniform source in [0, 1) (tests pin it).
 */
export function backoff(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialMs ?? 500
  const max = options.maxMs ?? 30_000
  const factor = options.factor ?? 2
  const delay = Math.min(max, initial * Math.pow(factor, Math.max(0, attempt - 1)))
  return Math.round(delay / 2 + (random() * delay) / 2)
}
