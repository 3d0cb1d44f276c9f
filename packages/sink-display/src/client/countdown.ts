/**
 * When the tariff period changes next, from what the meter says: the day profile (standard
 * PJOURF+1, valid today when today's day number equals tomorrow's), announced mobile peaks
 * (DPMx), and the regulated hours of Tempo (HC 22:00–06:00) and EJP (peak 07:00–01:00, notice
 * PEJP 30 min before). Null when the meter does not tell (historique HC: the hours are the
 * installation's).
 */
import type { TicReading } from '@linkyrpi/tic-core'
import { localFields, localStart } from '../local-time.js'

/** The next period: when it starts (epoch ms) and its kind. */
export interface NextPeriod {
  readonly at: number
  /** Supplier index of the next period, when the profile says it. */
  readonly index: number | null
  /** Kind of the next period. */
  readonly code: 'hc' | 'hp' | 'hn' | 'pm' | 'base' | null
}

const MINUTE = 60_000

/** Epoch ms of local `minute` (minutes after midnight) today, or tomorrow when already past. */
function nextLocal(now: number, minute: number, timeZone: string): number {
  const today = localStart(now, timeZone, 'day')
  let at = today + minute * MINUTE
  if (at <= now) at = localStart(today + 36 * 3_600_000, timeZone, 'day') + minute * MINUTE
  return at
}

/** Minutes after local midnight of `now`. */
function minuteOfDay(now: number, timeZone: string): number {
  const f = localFields(now, timeZone)
  return f.h * 60 + f.min
}

/** Kind of a supplier index for an option (Enedis-NOI-CPT_54E §6.1 numbering). */
export function codeOfIndex(option: string | null, n: number): NextPeriod['code'] {
  if (option === 'hc' || option === 'tempo') return n % 2 === 1 ? 'hc' : 'hp'
  if (option === 'ejp') return n === 1 ? 'hn' : n === 2 ? 'pm' : null
  if (option === 'base') return 'base'
  return null
}

/** The next period change after `now` (epoch ms) for reading `r`, or null when unknown. */
export function nextPeriod(r: TicReading, now: number, timeZone: string): NextPeriod | null {
  const option = r.contract.option
  const current = r.period.index
  const profile = r.calendar.nextDayProfile
  const sameDay = r.calendar.dayNumber !== null && r.calendar.dayNumber === r.calendar.nextDayNumber
  if (profile !== null && sameDay && current !== null) {
    // Today's profile is tomorrow's: the next slot switching to another index, today or tomorrow.
    const slots = profile
      .filter((s) => s.supplierIndex !== null)
      .sort((a, b) => a.startMinute - b.startMinute)
    const m = minuteOfDay(now, timeZone)
    const ordered = [
      ...slots.filter((s) => s.startMinute > m),
      ...slots.filter((s) => s.startMinute <= m),
    ]
    const next = ordered.find((s) => s.supplierIndex !== current)
    if (next !== undefined)
      return {
        at: nextLocal(now, next.startMinute, timeZone),
        index: next.supplierIndex,
        code: codeOfIndex(option, next.supplierIndex!),
      }
  }
  const peak = r.calendar.mobilePeaks.find((p) => p.start !== null)
  if (peak?.start != null && !r.alerts.includes('peak-active')) {
    const [h, min] = peak.start.split(':').map(Number)
    if (h !== undefined && min !== undefined && Number.isFinite(h) && Number.isFinite(min))
      return { at: nextLocal(now, h * 60 + min, timeZone), index: null, code: 'pm' }
  }
  const code = r.period.code
  if (option === 'tempo' && (code === 'hc' || code === 'hp')) {
    return code === 'hc'
      ? { at: nextLocal(now, 6 * 60, timeZone), index: null, code: 'hp' }
      : { at: nextLocal(now, 22 * 60, timeZone), index: null, code: 'hc' }
  }
  if (option === 'ejp') {
    if (code === 'pm') return { at: nextLocal(now, 60, timeZone), index: 1, code: 'hn' }
    if (r.alerts.includes('peak-notice'))
      return { at: nextLocal(now, 7 * 60, timeZone), index: 2, code: 'pm' }
  }
  return null
}
