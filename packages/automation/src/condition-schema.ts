import { z } from 'zod'
import type { PeriodCode, TempoColour } from '@linkyrpi/tic-core'
import { WEEKDAYS } from './condition.js'
import type { Condition, Weekday } from './condition.js'

/** Every condition name the configuration accepts (besides `days` next to `time`). */
export const CONDITION_NAMES = [
  'period',
  'tempoToday',
  'tempoTomorrow',
  'ejpNotice',
  'peakNotice',
  'peakActive',
  'relay',
  'dryContact',
  'time',
  'days',
  'headroomVA',
  'stale',
  'all',
  'any',
  'not',
] as const

const PERIODS: readonly PeriodCode[] = ['base', 'hp', 'hc', 'hn', 'pm']
const COLOURS: readonly TempoColour[] = ['blue', 'white', 'red']

/** One problem found in a condition, with its path below the condition. */
interface Issue {
  readonly path: (string | number)[]
  readonly message: string
}

type Path = (string | number)[]

function listOf<T extends string>(
  raw: unknown,
  allowed: readonly T[],
  path: Path,
  issues: Issue[],
  what: string,
): T[] {
  const items = Array.isArray(raw) ? (raw as unknown[]) : [raw]
  const out: T[] = []
  if (items.length === 0)
    issues.push({ path, message: `${what}: give at least one of ${allowed.join(', ')}` })
  items.forEach((x, i) => {
    if (typeof x === 'string' && (allowed as readonly string[]).includes(x.toLowerCase()))
      out.push(x.toLowerCase() as T)
    else
      issues.push({
        path: Array.isArray(raw) ? [...path, i] : path,
        message: `unknown ${what} '${String(x)}' (one of ${allowed.join(', ')})`,
      })
  })
  return out
}

function bool(raw: unknown, path: Path, issues: Issue[]): boolean {
  if (typeof raw === 'boolean') return raw
  issues.push({ path, message: 'must be true or false' })
  return true
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/

function minutes(text: string): number | null {
  const m = HHMM.exec(text)
  return m === null ? (text === '24:00' ? 1440 : null) : Number(m[1]) * 60 + Number(m[2])
}

function days(raw: unknown, path: Path, issues: Issue[]): number[] {
  return listOf<Weekday>(raw, WEEKDAYS, path, issues, 'day').map((d) => WEEKDAYS.indexOf(d))
}

/**
 * Parses one condition of the configuration; every problem is pushed to `issues` with its path
 * (so that `config check` lists them all). Returns null when the condition is unusable.
 */
export function parseCondition(raw: unknown, path: Path, issues: Issue[]): Condition | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({
      path,
      message: `a condition is an object with one key (${CONDITION_NAMES.join(', ')})`,
    })
    return null
  }
  const entries = Object.entries(raw as Record<string, unknown>)
  const keys = entries.map(([k]) => k)
  const unknown = keys.filter((k) => !(CONDITION_NAMES as readonly string[]).includes(k))
  for (const k of unknown)
    issues.push({
      path: [...path, k],
      message: `unknown condition '${k}' (known: ${CONDITION_NAMES.join(', ')})`,
    })
  if (unknown.length > 0) return null
  const obj = raw as Record<string, unknown>
  if (keys.includes('time')) {
    const extra = keys.filter((k) => k !== 'time' && k !== 'days')
    if (extra.length > 0) {
      issues.push({
        path,
        message: `'time' takes only 'days' beside it; put '${extra.join("', '")}' in an 'all'`,
      })
      return null
    }
    const text = obj.time
    const parts = typeof text === 'string' ? text.split('-') : []
    const from = parts.length === 2 ? minutes(parts[0]!.trim()) : null
    const to = parts.length === 2 ? minutes(parts[1]!.trim()) : null
    const dayList = obj.days === undefined ? null : days(obj.days, [...path, 'days'], issues)
    if (from === null || to === null || from === to) {
      issues.push({
        path: [...path, 'time'],
        message: `must be "HH:MM-HH:MM" with two different times, got ${JSON.stringify(text)}`,
      })
      return null
    }
    return {
      kind: 'time',
      from,
      to: to % 1440,
      days: dayList,
      text: `${String(text).replace(/\s/g, '')}`,
    }
  }
  if (keys.length !== 1) {
    issues.push({
      path,
      message: `a condition has exactly one key, got ${keys.length === 0 ? 'none' : keys.join(', ')} (combine with 'all' or 'any')`,
    })
    return null
  }
  const key = keys[0] as (typeof CONDITION_NAMES)[number]
  const value = obj[key]
  const at: Path = [...path, key]
  switch (key) {
    case 'period':
      return { kind: 'period', codes: listOf(value, PERIODS, at, issues, 'period') }
    case 'tempoToday':
      return { kind: 'tempoToday', colours: listOf(value, COLOURS, at, issues, 'colour') }
    case 'tempoTomorrow':
      return { kind: 'tempoTomorrow', colours: listOf(value, COLOURS, at, issues, 'colour') }
    case 'ejpNotice':
    case 'peakNotice':
    case 'peakActive':
    case 'stale':
      return { kind: key, value: bool(value, at, issues) }
    case 'dryContact':
      return {
        kind: 'dryContact',
        closed: value === 'closed' ? true : value === 'open' ? false : bool(value, at, issues),
      }
    case 'relay': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 8) {
        issues.push({
          path: at,
          message: `relay must be a whole number from 1 to 8 (RELAIS has 8 relays), got ${JSON.stringify(value)}`,
        })
        return null
      }
      return { kind: 'relay', relay: value }
    }
    case 'days':
      return { kind: 'days', days: days(value, at, issues) }
    case 'headroomVA': {
      const o = (typeof value === 'object' && value !== null ? value : {}) as Record<
        string,
        unknown
      >
      const num = (k: string): number | null => {
        const v = o[k]
        if (v === undefined) return null
        if (typeof v === 'number' && Number.isFinite(v)) return v
        issues.push({ path: [...at, k], message: 'must be a number of VA' })
        return null
      }
      for (const k of Object.keys(o))
        if (k !== 'below' && k !== 'above')
          issues.push({ path: [...at, k], message: `unknown key '${k}' (below, above)` })
      const below = num('below')
      const above = num('above')
      if (below === null && above === null) {
        issues.push({ path: at, message: 'give { below: VA } and/or { above: VA }' })
        return null
      }
      return { kind: 'headroom', below, above }
    }
    case 'all':
    case 'any': {
      if (!Array.isArray(value) || value.length === 0) {
        issues.push({ path: at, message: `'${key}' takes a non-empty list of conditions` })
        return null
      }
      const of = (value as unknown[]).map((x, i) => parseCondition(x, [...at, i], issues))
      return of.every((x) => x !== null) ? { kind: key, of: of as Condition[] } : null
    }
    case 'not': {
      const of = parseCondition(value, at, issues)
      return of === null ? null : { kind: 'not', of }
    }
    case 'time':
      return null
  }
}

/** Zod schema of a condition: parsed by {@link parseCondition}, every problem an issue with its path. */
export const conditionSchema = z.unknown().transform((raw, ctx): Condition => {
  const issues: Issue[] = []
  const parsed = parseCondition(raw, [], issues)
  for (const issue of issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path })
  if (parsed === null && issues.length === 0)
    ctx.addIssue({ code: 'custom', message: 'invalid condition' })
  return parsed ?? { kind: 'all', of: [] }
})
