import type { Logger } from '@linkyrpi/tic-core/stage'

/** A {@link Logger} that discards everything (the default when none is registered). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
}
