/**
 * The statements of one transaction, in order. Those whose outcome the caller does not read (rows
 * written, no result) are not waited for ({@link Statements.defer}): the server works on them
 * while ingest builds the next ones. pg runs one query at a time on a connection (calling
 * `client.query` while one runs is deprecated), so each statement is sent when the one before it
 * is done. The first deferred statement to fail is the transaction's error; the ones behind it
 * are then not sent (the transaction is aborted).
 */
export class Statements {
  #tail: Promise<void> = Promise.resolve()
  #failure: { error: unknown } | null = null
  /** Sends `run`'s statement after the ones given before, without waiting for it. */
  defer(run: () => Promise<unknown>): void {
    this.#tail = this.#tail
      .then(async () => {
        if (this.#failure === null) await run()
      })
      .catch((error: unknown) => {
        this.#failure ??= { error }
      })
  }
  /** Sends `run`'s statement after the deferred ones and returns its result. */
  async run<T>(run: () => Promise<T>): Promise<T> {
    await this.settle()
    return run()
  }
  /** Waits for every deferred statement; throws the first failure. */
  async settle(): Promise<void> {
    await this.#tail
    if (this.#failure !== null) throw this.#failure.error
  }
  /** After `error`: the first deferred failure if there is one (the cause), else `error`. */
  async cause(error: unknown): Promise<unknown> {
    await this.#tail
    return this.#failure === null ? error : this.#failure.error
  }
}
