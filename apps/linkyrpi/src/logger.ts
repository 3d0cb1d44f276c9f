import { pino } from 'pino'
import type { Logger } from '@linkyrpi/tic-core/stage'

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Minimum level (default `info`). */
  readonly level?: LogLevel
  /**
   * `json`: one JSON object per line (pino), what journald and log shippers want. `pretty`: a
   * readable line per record for a terminal. Default: `json` when stdout is not a TTY or when
   * running under systemd (`INVOCATION_ID` or `JOURNAL_STREAM` set), else `pretty`.
   */
  readonly format?: 'json' | 'pretty'
  /** Where lines go (default stdout). */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean }
  readonly env?: NodeJS.ProcessEnv
}

/** Makes `Error` values in fields serialisable (name, message, cause, stack). */
function plain(
  fields: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields))
    out[key] = value instanceof Error ? errorFields(value) : value
  return out
}

function errorFields(error: Error): Record<string, unknown> {
  return {
    type: error.name,
    message: error.message,
    ...(error.cause !== undefined
      ? { cause: error.cause instanceof Error ? errorFields(error.cause) : String(error.cause) }
      : {}),
    stack: error.stack,
  }
}

/**
 * The app's {@link Logger}: pino JSON lines under systemd, readable lines on a terminal. Namespaces
 * (`linky:meter`, `linky:nats`) are the `ns` field; `debug` thunks are only called when debug is on.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const env = options.env ?? process.env
  const stream = options.stream ?? process.stdout
  const level = options.level ?? 'info'
  const underSystemd = env.INVOCATION_ID !== undefined || env.JOURNAL_STREAM !== undefined
  const format = options.format ?? (underSystemd || stream.isTTY !== true ? 'json' : 'pretty')
  if (format === 'pretty') return prettyLogger(stream, LOG_LEVELS.indexOf(level), 'linky')
  const root = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  )
  // Children are made from the root, so that each record carries one `ns` field.
  const wrap = (p: pino.Logger, ns: string): Logger => ({
    debug: (message, fields) => {
      if (p.isLevelEnabled('debug'))
        p.debug(plain(fields) ?? {}, typeof message === 'function' ? message() : message)
    },
    info: (message, fields) => p.info(plain(fields) ?? {}, message),
    warn: (message, fields) => p.warn(plain(fields) ?? {}, message),
    error: (message, fields) => p.error(plain(fields) ?? {}, message),
    child: (name) => wrap(root.child({ ns: `${ns}:${name}` }), `${ns}:${name}`),
  })
  return wrap(root.child({ ns: 'linky' }), 'linky')
}

const COLOURS: Record<LogLevel, string> = {
  debug: '\x1b[90m',
  info: '\x1b[36m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
}

function prettyLogger(stream: NodeJS.WritableStream, min: number, ns: string): Logger {
  const write = (
    level: LogLevel,
    message: string | (() => string),
    fields?: Readonly<Record<string, unknown>>,
  ): void => {
    if (LOG_LEVELS.indexOf(level) < min) return
    const time = new Date().toISOString().slice(11, 19)
    const text = typeof message === 'function' ? message() : message
    const extra = Object.entries(plain(fields) ?? {})
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ')
    stream.write(
      `${time} ${COLOURS[level]}${level.padEnd(5)}\x1b[0m \x1b[2m${ns}\x1b[0m ${text}${extra === '' ? '' : ` \x1b[2m${extra}\x1b[0m`}\n`,
    )
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (name) => prettyLogger(stream, min, `${ns}:${name}`),
  }
}
