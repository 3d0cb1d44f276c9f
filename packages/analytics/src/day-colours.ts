import { civilFromDays, daysFromCivil, weekdayOf } from '@linkyrpi/tic-core/paris-time'
import { localWeekday, parseLocalDate } from './paris-time.js'

/** A Tempo colour. */
export type TempoColour = 'blue' | 'white' | 'red'

/** Colour probabilities of one day (sum 1). */
export type ColourOdds = Readonly<Record<TempoColour, number>>

/** How the comparison assumes Tempo colours and EJP days on days the meter did not tell. */
export interface CalendarAssumptions {
  /** Red days per Tempo year (1 Sep - 31 Aug), all on Mon-Fri from 1 Nov to 31 Mar. Default 22. */
  readonly tempoRedDays: number
  /** White days per Tempo year, on Mon-Sat from 1 Oct to 31 May outside red days. Default 43. */
  readonly tempoWhiteDays: number
  /** EJP peak days per winter, on Mon-Fri from 1 Nov to 31 Mar. Default 22. */
  readonly ejpPeakDays: number
  /** Known colours (`YYYY-MM-DD` → colour), e.g. past seasons from RTE, from the configuration. */
  readonly tempoDays: Readonly<Record<string, TempoColour>>
  /** Known EJP peak days (`YYYY-MM-DD`), from the configuration. */
  readonly ejpDays: readonly string[]
}

/** The defaults: the Tempo and EJP rules of docs/tariffs.md, no known day. */
export const DEFAULT_CALENDAR: CalendarAssumptions = {
  tempoRedDays: 22,
  tempoWhiteDays: 43,
  ejpPeakDays: 22,
  tempoDays: {},
  ejpDays: [],
}

const inWinter = (day: string): boolean => {
  const md = day.slice(5)
  return md >= '11-01' || md <= '03-31'
}
const inWhiteSeason = (day: string): boolean => {
  const md = day.slice(5)
  return md >= '10-01' || md <= '05-31'
}

/** Start (local midnight) of the Tempo year (1 September) containing the local day `day`. */
function seasonStart(day: string): number {
  const y = Number(day.slice(0, 4))
  const start = Number(day.slice(5, 7)) >= 9 ? y : y - 1
  return parseLocalDate(`${start}-09-01`) as number
}

/**
 * The statistical calendar: the expected colour of a day when nothing says which it was. Red
 * days are spread evenly over the weekdays of 1 Nov - 31 Mar, white days over the Mon-Sat days of
 * 1 Oct - 31 May (what is left after red), so that a Tempo year has on average exactly
 * `tempoRedDays` red and `tempoWhiteDays` white days; Sundays are always blue. Known days win.
 */
export function tempoOdds(day: string, a: CalendarAssumptions): ColourOdds {
  let memo = tempoMemo.get(a)
  if (memo === undefined) {
    memo = new Map()
    tempoMemo.set(a, memo)
  }
  let odds = memo.get(day)
  if (odds === undefined) {
    odds = computeTempoOdds(day, a)
    memo.set(day, odds)
  }
  return odds
}

// Odds per calendar and day: the comparison asks for each day twice (as today and as yesterday).
const tempoMemo = new WeakMap<CalendarAssumptions, Map<string, ColourOdds>>()
const ejpMemo = new WeakMap<CalendarAssumptions, Map<string, number>>()

function computeTempoOdds(day: string, a: CalendarAssumptions): ColourOdds {
  const known = a.tempoDays[day]
  if (known !== undefined)
    return {
      blue: known === 'blue' ? 1 : 0,
      white: known === 'white' ? 1 : 0,
      red: known === 'red' ? 1 : 0,
    }
  const stats = seasonStats(seasonStart(day), a)
  const wd = localWeekday((parseLocalDate(day) as number) + 43_200_000)
  const redEligible = inWinter(day) && wd >= 1 && wd <= 5
  const whiteEligible = inWhiteSeason(day) && wd !== 0
  const red = redEligible ? stats.pRed : 0
  const white = whiteEligible ? stats.kWhite * (1 - red) : 0
  return { red, white, blue: 1 - red - white }
}

/** Probability that a day is an EJP peak day (1 or 0 for a known day). */
export function ejpOdds(day: string, a: CalendarAssumptions): number {
  let memo = ejpMemo.get(a)
  if (memo === undefined) {
    memo = new Map()
    ejpMemo.set(a, memo)
  }
  let odds = memo.get(day)
  if (odds === undefined) {
    odds = computeEjpOdds(day, a)
    memo.set(day, odds)
  }
  return odds
}

function computeEjpOdds(day: string, a: CalendarAssumptions): number {
  if (a.ejpDays.includes(day)) return 1
  if (a.ejpDays.length > 0 && a.ejpDays.some((d) => seasonStart(d) === seasonStart(day))) return 0
  const wd = localWeekday((parseLocalDate(day) as number) + 43_200_000)
  if (!inWinter(day) || wd === 0 || wd === 6) return 0
  return Math.min(1, a.ejpPeakDays / seasonStats(seasonStart(day), a).winterWeekdays)
}

const cache = new Map<string, { pRed: number; kWhite: number; winterWeekdays: number }>()

function seasonStats(
  start: number,
  a: CalendarAssumptions,
): { pRed: number; kWhite: number; winterWeekdays: number } {
  const id = `${start}|${a.tempoRedDays}|${a.tempoWhiteDays}`
  const hit = cache.get(id)
  if (hit !== undefined) return hit
  let winterWeekdays = 0
  let whiteEligible = 0
  // Calendar days of the Tempo year (1 September to 31 August) by day number: no local time
  // needed for dates, and this runs once per season.
  const year = civilFromDays(Math.floor((start + 7_200_000) / 86_400_000)).year
  const last = daysFromCivil(year + 1, 9, 1)
  for (let dn = daysFromCivil(year, 9, 1); dn < last; dn++) {
    const { month } = civilFromDays(dn)
    const wd = weekdayOf(dn)
    if ((month >= 11 || month <= 3) && wd >= 1 && wd <= 5) winterWeekdays++
    if ((month >= 10 || month <= 5) && wd !== 0) whiteEligible++
  }
  const pRed = Math.min(1, a.tempoRedDays / winterWeekdays)
  // Expected non-red eligible days: every white-eligible day minus the expected red days.
  const kWhite = Math.min(1, a.tempoWhiteDays / (whiteEligible - pRed * winterWeekdays))
  const stats = { pRed, kWhite, winterWeekdays }
  cache.set(id, stats)
  return stats
}
