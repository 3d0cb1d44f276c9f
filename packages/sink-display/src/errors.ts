/** The dashboard's HTTP server failed (port in use, address not available). */
export class DisplayServerError extends Error {
  override readonly name = 'DisplayServerError'
  /** Binding may succeed later (the port freed); the pipeline may retry. */
  readonly transient = true
}
