/** A capture file that cannot be read (missing, unreadable, or a damaged recording header). */
export class CaptureFileError extends Error {
  override readonly name = 'CaptureFileError'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The serial device failed: it could not be opened, or it disappeared (adapter unplugged).
 * `transient` tells the pipeline's retry that reopening later makes sense.
 */
export class SerialPortError extends Error {
  override readonly name = 'SerialPortError'
  readonly transient = true
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}
