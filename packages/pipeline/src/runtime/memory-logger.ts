import type { Logger } from '@linkyrpi/tic-core/stage'

/** One line recorded by {@link memoryLogger}. */
export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  readonly namespace: string
  readonly message: string
  readonly fields: Readonly<Record<string, unknown>> | undefined
}

/** A {@link Logger} that records every line in `records` (for tests and for `config check`). */
export function memoryLogger(
  records: LogRecord[] = [],
  namespace = 'linky',
): Logger & { readonly records: LogRecord[] } {
  const log =
    (level: LogRecord['level']) =>
    (message: string | (() => string), fields?: Readonly<Record<string, unknown>>): void => {
      records.push({
        level,
        namespace,
        message: typeof message === 'function' ? message() : message,
        fields,
      })
    }
  return {
    records,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (name) => memoryLogger(records, `${namespace}:${name}`),
  }
}
