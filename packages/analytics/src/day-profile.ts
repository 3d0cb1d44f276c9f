import type { SamplePoint } from '@linkyrpi/tic-core/stage'
import { parisInstantOf, parisOffsetMs } from '@linkyrpi/tic-core/paris-time'
import { DAY_MS, HOUR_MS } from './paris-time.js'

/** One hour of a local day with its weight (average apparent power, VA). */
export interface HourWeight {
  /** Local hour of day, 0-23. */
  readonly hour: number
  readonly weight: number
}

/** Hourly weights per local day start, from the store's `1h` power rollups. */
export type DayProfiles = ReadonlyMap<number, readonly HourWeight[]>

/** Groups hourly power points by local day. Hours without power are left out. */
export function dayProfiles(hourly: readonly SamplePoint[]): DayProfiles {
  const out = new Map<number, HourWeight[]>()
  // Local day and hour from the UTC offset (a year is 8,760 points): the same as localDayStart
  // and localHour, without breaking every instant down into a calendar date.
  let dayNumber = NaN
  let list: HourWeight[] = []
  for (const p of hourly) {
    if (p.avgVA === null) continue
    const local = p.t + parisOffsetMs(p.t)
    const n = Math.floor(local / DAY_MS)
    if (n !== dayNumber) {
      dayNumber = n
      const day = parisInstantOf(n, 0)
      const known = out.get(day)
      if (known === undefined) {
        list = []
        out.set(day, list)
      } else list = known
    }
    list.push({ hour: Math.floor((local - n * DAY_MS) / HOUR_MS), weight: Math.max(0, p.avgVA) })
  }
  return out
}

const FLAT: readonly HourWeight[] = Array.from({ length: 24 }, (_, hour) => ({ hour, weight: 1 }))

/**
 * Splits a day's measured energy (exact, from the indexes) over hours, in proportion to the
 * hourly mean power; a day without any power point is split evenly over 24 hours. Returns the
 * share (0-1) of the day's energy for which `fraction(hour)` (0-1) holds.
 */
export function shareOfDay(
  profile: readonly HourWeight[] | undefined,
  fraction: (hour: number) => number,
): number {
  const hours = profile === undefined || profile.length === 0 ? FLAT : profile
  let total = 0
  let part = 0
  for (const h of hours) {
    total += h.weight
    part += h.weight * fraction(h.hour)
  }
  if (total === 0) return shareOfDay(FLAT, fraction)
  return part / total
}

/** A daily schedule as minute ranges [start, end) of the local day. */
export type DailySchedule = readonly (readonly [number, number])[]

/** Thrown for a schedule that cannot be read. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError'
}

/**
 * Parses `22:00-06:00` or `01:00-07:00,13:00-15:00` (ranges may cross midnight) into minute
 * ranges of the local day.
 */
export function parseSchedule(text: string): DailySchedule {
  const out: [number, number][] = []
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part)
    if (m === null)
      throw new ScheduleError(`invalid schedule '${part.trim()}': expected HH:MM-HH:MM`)
    const a = Number(m[1]) * 60 + Number(m[2])
    const b = Number(m[3]) * 60 + Number(m[4])
    if (a > 1440 || b > 1440 || Number(m[2]) > 59 || Number(m[4]) > 59)
      throw new ScheduleError(`invalid time in '${part.trim()}'`)
    if (a === b) throw new ScheduleError(`empty range '${part.trim()}'`)
    if (a < b) out.push([a, b])
    else {
      out.push([a, 1440])
      if (b > 0) out.push([0, b])
    }
  }
  return out
}

/** The fraction (0-1) of local hour `hour` that a schedule covers. */
export function hourFraction(schedule: DailySchedule, hour: number): number {
  const a = hour * 60
  const b = a + 60
  let covered = 0
  for (const [s, e] of schedule) covered += Math.max(0, Math.min(b, e) - Math.max(a, s))
  return Math.min(1, covered / 60)
}

const fractionTables = new WeakMap<DailySchedule, Float64Array>()

/**
 * {@link hourFraction} of hours 0-23 as a table, computed once per schedule (a year's comparison
 * asks for every hour of every day).
 */
export function hourFractions(schedule: DailySchedule): Float64Array {
  let table = fractionTables.get(schedule)
  if (table === undefined) {
    table = new Float64Array(24)
    for (let h = 0; h < 24; h++) table[h] = hourFraction(schedule, h)
    fractionTables.set(schedule, table)
  }
  return table
}
