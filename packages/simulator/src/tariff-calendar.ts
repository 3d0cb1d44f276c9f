import type { PeriodCode, TempoColour } from '@linkyrpi/tic-core'
import { civilFromDays, parisInstantOf, parisLocalTime, weekdayOf } from '@linkyrpi/tic-core'
import type { ParisLocalTime } from '@linkyrpi/tic-core'
import { rand01 } from './random.js'

/** The tariff options the simulator implements. */
export type SimulatedOption = 'base' | 'hc' | 'ejp' | 'tempo'

/** An off-peak window in local legal time; `endMinute` may be smaller than `startMinute` (wraps midnight). */
export interface OffPeakRange {
  /** Minutes after local midnight, 0-1439. */
  readonly startMinute: number
  /** Minutes after local midnight, exclusive, 0-1440. */
  readonly endMinute: number
}

/** Everything the calendar says about one instant. */
export interface TariffState {
  readonly option: SimulatedOption
  /** Supplier index counting now (1-6), numbered as in tic-core (HC=1 HP=2; Tempo 1…6). */
  readonly index: number
  readonly code: PeriodCode
  /** True in an off-peak period (HC, Tempo HC); false for base and EJP. */
  readonly offPeak: boolean
  /** Today's Tempo colour (the Tempo day runs 06:00 → 06:00), null unless Tempo. */
  readonly tempoToday: TempoColour | null
  /** Tomorrow's Tempo colour once announced (20:00 local until 06:00), else null. */
  readonly tempoTomorrow: TempoColour | null
  /** EJP: within the 30 minutes before a mobile peak (06:30-07:00). */
  readonly ejpNotice: boolean
  /** EJP: mobile peak in progress (07:00 → 01:00 next day). */
  readonly ejpPeak: boolean
  /** Distributor index counting now (1 off-peak or base, 2 peak). */
  readonly distributorIndex: 1 | 2
  /** Relay 1 (the dry contact driving a water heater): closed in off-peak, open during an EJP peak. */
  readonly relayClosed: boolean
  /** Day type in the supplier calendar (NJOURF): Tempo 1 blue, 2 white, 3 red; EJP 2 on a peak day; else 1. */
  readonly dayType: number
  /** Tomorrow's day type (NJOURF+1), as the meter knows it. */
  readonly nextDayType: number
  /** Local day number this state belongs to (for per-day lookups). */
  readonly localDay: number
}

/** One slot of a day profile, ready for tic-core's `formatDayProfile`. */
export interface ProfileSlot {
  readonly startMinute: number
  readonly supplierIndex: number
  readonly dryContact: 'open' | 'close'
}

/** The supplier calendar of a simulated contract. */
export interface TariffCalendar {
  /** The tariff state at `epochMs` (pass `lt` when already computed). */
  at(epochMs: number, lt?: ParisLocalTime): TariffState
  /** Colour of the Tempo day that starts at 06:00 on local day `dayNumber`. */
  tempoColour(dayNumber: number): TempoColour
  /** True when local day `dayNumber` is an EJP day (peak from 07:00 to 01:00 the next day). */
  isEjpDay(dayNumber: number): boolean
  /** The profile of local day `dayNumber` (PJOURF+1 of the day before), merged slots. */
  dayProfile(dayNumber: number): ProfileSlot[]
}

/** Default off-peak hours: 22:00 → 06:00 (Tempo's fixed HC window, a common HC schedule). */
export const DEFAULT_OFF_PEAK: readonly OffPeakRange[] = [
  { startMinute: 22 * 60, endMinute: 6 * 60 },
]

const WINTER = new Set([11, 12, 1, 2, 3])
const TEMPO_ANNOUNCE_MINUTE = 20 * 60
const TEMPO_DAY_START = 6 * 60
const EJP_START = 7 * 60
const EJP_NOTICE = 6 * 60 + 30
const EJP_END_NEXT_DAY = 60

/** Parses `22:00-06:00,12:30-14:30` into ranges; throws TypeError naming the bad part. */
export function parseOffPeakHours(text: string): OffPeakRange[] {
  const out: OffPeakRange[] = []
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part)
    if (m === null) throw new TypeError(`off-peak hours must look like 22:00-06:00, got '${part}'`)
    const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [
      number,
      number,
      number,
      number,
    ]
    if (sh > 23 || eh > 24 || sm > 59 || em > 59)
      throw new TypeError(`off-peak hours out of range in '${part}'`)
    out.push({ startMinute: sh * 60 + sm, endMinute: eh * 60 + em })
  }
  return out
}

function inRanges(ranges: readonly OffPeakRange[], minute: number): boolean {
  for (const r of ranges) {
    if (
      r.startMinute <= r.endMinute
        ? minute >= r.startMinute && minute < r.endMinute
        : minute >= r.startMinute || minute < r.endMinute
    ) {
      return true
    }
  }
  return false
}

const COLOUR_TYPE: Readonly<Record<TempoColour, number>> = { blue: 1, white: 2, red: 3 }

/** Creates the calendar of `option`; Tempo colours and EJP days are drawn from `seed`. */
export function createTariffCalendar(
  option: SimulatedOption,
  seed: number,
  offPeak: readonly OffPeakRange[] = DEFAULT_OFF_PEAK,
): TariffCalendar {
  const colourCache = new Map<number, TempoColour>()
  function tempoColour(dayNumber: number): TempoColour {
    let c = colourCache.get(dayNumber)
    if (c !== undefined) return c
    const { month } = civilFromDays(dayNumber)
    const weekday = weekdayOf(dayNumber)
    const r = rand01(seed, 0x7e3b0, dayNumber)
    // About 22 red days (Nov-Mar weekdays) and 43 white days (never Sunday) a year, as RTE does.
    if (WINTER.has(month) && weekday >= 1 && weekday <= 5 && r < 0.2) c = 'red'
    else if (
      weekday !== 0 &&
      (WINTER.has(month) ? r < 0.45 : month === 4 || month === 10 ? r < 0.12 : false)
    )
      c = 'white'
    else c = 'blue'
    if (colourCache.size > 64) colourCache.clear()
    colourCache.set(dayNumber, c)
    return c
  }
  function isEjpDay(dayNumber: number): boolean {
    const { month } = civilFromDays(dayNumber)
    const weekday = weekdayOf(dayNumber)
    return WINTER.has(month) && weekday >= 1 && weekday <= 5 && rand01(seed, 0xe1b, dayNumber) < 0.2
  }
  function dayType(dayNumber: number): number {
    if (option === 'tempo') return COLOUR_TYPE[tempoColour(dayNumber)]
    if (option === 'ejp') return isEjpDay(dayNumber) ? 2 : 1
    return 1
  }

  function at(epochMs: number, lt: ParisLocalTime = parisLocalTime(epochMs)): TariffState {
    const m = lt.minuteOfDay
    const d = lt.dayNumber
    switch (option) {
      case 'base':
        return state(1, 'base', false, null, null, false, false, 1, false, 1, 1, d)
      case 'hc': {
        const hc = inRanges(offPeak, m)
        return state(
          hc ? 1 : 2,
          hc ? 'hc' : 'hp',
          hc,
          null,
          null,
          false,
          false,
          hc ? 1 : 2,
          hc,
          1,
          1,
          d,
        )
      }
      case 'tempo': {
        const tempoDay = m < TEMPO_DAY_START ? d - 1 : d
        const today = tempoColour(tempoDay)
        const announced = m < TEMPO_DAY_START || m >= TEMPO_ANNOUNCE_MINUTE
        const tomorrow = announced ? tempoColour(tempoDay + 1) : null
        const hc = inRanges(offPeak, m)
        const base = (COLOUR_TYPE[today] - 1) * 2
        return state(
          base + (hc ? 1 : 2),
          hc ? 'hc' : 'hp',
          hc,
          today,
          tomorrow,
          false,
          false,
          hc ? 1 : 2,
          hc,
          COLOUR_TYPE[today],
          dayType(d + 1),
          d,
        )
      }
      case 'ejp': {
        const peak = (m >= EJP_START && isEjpDay(d)) || (m < EJP_END_NEXT_DAY && isEjpDay(d - 1))
        const notice = !peak && m >= EJP_NOTICE && m < EJP_START && isEjpDay(d)
        // The next day's type is only known through the 30-minute notice, never a day ahead.
        return state(
          peak ? 2 : 1,
          peak ? 'pm' : 'hn',
          false,
          null,
          null,
          notice,
          peak,
          peak ? 2 : 1,
          !peak,
          dayType(d),
          1,
          d,
        )
      }
    }
  }

  function state(
    index: number,
    code: PeriodCode,
    off: boolean,
    tempoToday: TempoColour | null,
    tempoTomorrow: TempoColour | null,
    ejpNotice: boolean,
    ejpPeak: boolean,
    distributorIndex: 1 | 2,
    relayClosed: boolean,
    today: number,
    next: number,
    localDay: number,
  ): TariffState {
    return {
      option,
      index,
      code,
      offPeak: off,
      tempoToday,
      tempoTomorrow,
      ejpNotice,
      ejpPeak,
      distributorIndex,
      relayClosed,
      dayType: today,
      nextDayType: next,
      localDay,
    }
  }

  function dayProfile(dayNumber: number): ProfileSlot[] {
    const bounds = new Set<number>([0])
    for (const r of offPeak) {
      bounds.add(r.startMinute % 1440)
      bounds.add(r.endMinute % 1440)
    }
    if (option === 'tempo') bounds.add(TEMPO_DAY_START)
    const slots: ProfileSlot[] = []
    for (const minute of [...bounds].sort((a, b) => a - b)) {
      // EJP peaks are not known a day ahead: the profile is that of a normal day.
      const s =
        option === 'ejp'
          ? { index: 1, relayClosed: true }
          : at(parisInstantOf(dayNumber, minute) + 1000)
      const slot: ProfileSlot = {
        startMinute: minute,
        supplierIndex: s.index,
        dryContact: s.relayClosed ? 'close' : 'open',
      }
      const prev = slots[slots.length - 1]
      if (
        prev === undefined ||
        prev.supplierIndex !== slot.supplierIndex ||
        prev.dryContact !== slot.dryContact
      )
        slots.push(slot)
    }
    return slots
  }

  return { at, tempoColour, isEjpDay, dayProfile }
}
