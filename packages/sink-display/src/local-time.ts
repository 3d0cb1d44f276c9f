/**
 * Local calendar helpers for "today" and "this month" in a given IANA time zone. The default zone,
 * Europe/Paris, is computed by tic-core's French-time module (no ICU); any other zone goes through
 * `Intl`. Shared by the server and the browser client.
 */
import { PARIS_TIME_ZONE, parisDayStart, parisLocalTime, parisMonthStart } from '@linkyrpi/tic-core'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Local wall-clock fields of `epochMs` in `timeZone`. */
export function localFields(
  epochMs: number,
  timeZone: string,
): { y: number; m: number; d: number; h: number; min: number; s: number } {
  if (timeZone === PARIS_TIME_ZONE) {
    const t = parisLocalTime(epochMs)
    return { y: t.year, m: t.month, d: t.day, h: t.hour, min: t.minute, s: t.second }
  }
  const p: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  return {
    y: p.year ?? 0,
    m: p.month ?? 1,
    d: p.day ?? 1,
    h: p.hour ?? 0,
    min: p.minute ?? 0,
    s: p.second ?? 0,
  }
}

/** Offset of `timeZone` from UTC at `epochMs`, in ms (e.g. +3 600 000 in Paris in winter). */
function offsetAt(epochMs: number, timeZone: string): number {
  const f = localFields(epochMs, timeZone)
  return Date.UTC(f.y, f.m - 1, f.d, f.h, f.min, f.s) - Math.floor(epochMs / 1000) * 1000
}

/** Epoch ms of local midnight starting the day (or the month) that contains `epochMs`. */
export function localStart(epochMs: number, timeZone: string, unit: 'day' | 'month'): number {
  if (timeZone === PARIS_TIME_ZONE)
    return unit === 'day' ? parisDayStart(epochMs) : parisMonthStart(epochMs)
  const f = localFields(epochMs, timeZone)
  const wall = Date.UTC(f.y, f.m - 1, unit === 'day' ? f.d : 1)
  // Two passes settle the offset across a DST change.
  let t = wall - offsetAt(wall, timeZone)
  t = wall - offsetAt(t, timeZone)
  return t
}
