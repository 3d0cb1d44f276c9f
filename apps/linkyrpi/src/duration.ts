import { UsageError } from './commands/command.js'

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/**
 * Parses a duration such as `7d`, `90m`, `1h30m`, `500ms` or `45` (seconds) into milliseconds.
 * Throws UsageError naming `option` when the text is not a positive duration.
 */
export function parseDuration(text: string, option: string): number {
  const t = text.trim()
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy
  let total = 0
  let end = 0
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * UNITS[m[2]!]!
    end = re.lastIndex
  }
  if (end !== t.length || end === 0 || !(total > 0)) {
    throw new UsageError(
      `${option} must be a duration like 30s, 15m, 2h, 7d or 1h30m, got '${text}'`,
    )
  }
  return total
}

/** Parses `N` or `max` for a --speed option. */
export function parseSpeed(text: string | undefined, option = '--speed'): number | 'max' {
  if (text === undefined) return 1
  if (text === 'max') return 'max'
  const n = Number(text.replace(/x$/, ''))
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(
      `${option} must be a positive number (1 = real time) or 'max', got '${text}'`,
    )
  return n
}

/** Parses a probability option in [0, 1]; accepts `2%`. */
export function parseRate(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined
  const n = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text)
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(
      `${option} must be a rate between 0 and 1 (or a percentage like 2%), got '${text}'`,
    )
  return n
}
