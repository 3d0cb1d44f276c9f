/** One problem found in a configuration file, located by its dotted path (`stages.store.url`). */
export interface ConfigIssue {
  /** Dotted path inside the file (`stages.store.from`), or `(root)`. */
  readonly path: string
  readonly message: string
}

/**
 * A configuration that cannot run. Lists *every* problem found (schema, environment variables,
 * unknown types, graph), one per line as `path: message`. Thrown before any I/O starts.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  /** Every problem found, in file order. */
  readonly issues: readonly ConfigIssue[]

  constructor(issues: readonly ConfigIssue[], options?: ErrorOptions) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'),
      options,
    )
    this.issues = issues
  }
}

/** A sink kept failing past its retry budget, or a stage failed at run time. */
export class StageFailedError extends Error {
  override readonly name = 'StageFailedError'
  /** Stage id from the config. */
  readonly stage: string

  constructor(stage: string, message: string, options?: ErrorOptions) {
    super(`${stage}: ${message}`, options)
    this.stage = stage
  }
}

/** A sink's bounded buffer overflowed under the `fail` policy. */
export class BufferOverflowError extends Error {
  override readonly name = 'BufferOverflowError'
}

/** NATS is unreachable or refused an operation; retried where the pipeline retries. */
export class NatsBridgeError extends Error {
  override readonly name = 'NatsBridgeError'
  /** Retrying makes sense (house-style §2.9). */
  readonly transient = true
}
