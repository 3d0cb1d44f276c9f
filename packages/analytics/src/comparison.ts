import { contractOnDay, pricedOption } from './contracts.js'
import type { ContractSpan } from './contracts.js'
import type { DayEnergy } from './day-energy.js'
import { ejpOdds, tempoOdds } from './day-colours.js'
import type { CalendarAssumptions, TempoColour } from './day-colours.js'
import { hourFractions, shareOfDay } from './day-profile.js'
import type { DailySchedule, DayProfiles } from './day-profile.js'
import { PRICED_OPTIONS, periodOfIndex } from './options.js'
import type { PricedOption } from './options.js'
import { pricesOn } from './price-catalogue.js'
import type { DayPrices, PriceCatalogue } from './price-catalogue.js'
import { subscriptionNote, subscriptionPerDay } from './cost.js'
import { addLocalDays, localDayKey, localDaysBetween, nextLocalDay } from './paris-time.js'

/** What the comparison needs besides the measured days. */
export interface ComparisonInput {
  readonly days: readonly DayEnergy[]
  readonly contracts: readonly ContractSpan[]
  readonly catalogue: PriceCatalogue
  /** Hourly power per local day, to split a day's energy into periods the meter did not count. */
  readonly profiles: DayProfiles
  /** Off-peak hours for HP/HC on days the meter was not on HP/HC (default 22:00-06:00). */
  readonly offPeak: DailySchedule
  readonly calendar: CalendarAssumptions
  /** The subscribed power every option is priced at, kVA (the current contract's). */
  readonly kva: number | null
  /** The option of the current contract. */
  readonly currentOption: string | null
}

/** One option priced over the measured consumption. */
export interface ComparisonRow {
  readonly option: PricedOption
  readonly subscribedKVA: number | null
  /** Over the days of the range from the first to the last day with data; null when unpriced. */
  readonly totalEur: number | null
  readonly energyEur: number | null
  readonly subscriptionEur: number | null
  /** `totalEur` × 365 / days priced. */
  readonly annualEur: number | null
  readonly current: boolean
  /**
   * `measured`: every day's periods come from the meter's own indexes (the option was the
   * contract); `modelled`: split by the hourly power curve and the schedules/calendar; `mixed`.
   */
  readonly basis: 'measured' | 'modelled' | 'mixed'
  /** 1 = cheapest of the priced options; null when unpriced. */
  readonly rank: number | null
  /** Why the option could not be priced. */
  readonly missing: string | null
}

const COLOURS: readonly TempoColour[] = ['blue', 'white', 'red']
const hours = (from: number, to: number) => (h: number) => (h >= from && h < to ? 1 : 0)

/** The energy of one day split into the periods of `option`, Wh (fractional when modelled). */
export function periodEnergy(
  day: DayEnergy,
  option: PricedOption,
  measured: boolean,
  input: Pick<ComparisonInput, 'profiles' | 'offPeak' | 'calendar'>,
): Record<string, number> {
  const out: Record<string, number> = {}
  if (measured) {
    for (const [i, wh] of Object.entries(day.byIndexWh)) {
      const period = periodOfIndex(option, Number(i))
      if (period !== null) out[period] = (out[period] ?? 0) + wh
    }
    return out
  }
  const e = day.importWh
  const profile = input.profiles.get(day.start)
  switch (option) {
    case 'base':
      return { base: e }
    case 'hc': {
      const fractions = hourFractions(input.offPeak)
      const s = shareOfDay(profile, (h) => fractions[h] as number)
      return { hc: e * s, hp: e * (1 - s) }
    }
    case 'tempo': {
      // The Tempo day runs 06:00 → 06:00: 00-06 is the previous Tempo day's HC.
      const today = tempoOdds(day.day, input.calendar)
      const yesterday = tempoOdds(localDayKey(addLocalDays(day.start, -1)), input.calendar)
      const hp = shareOfDay(profile, hours(6, 22))
      const lateHc = shareOfDay(profile, hours(22, 24))
      const earlyHc = shareOfDay(profile, hours(0, 6))
      for (const c of COLOURS) {
        out[`${c}-hp`] = e * hp * today[c]
        out[`${c}-hc`] = e * (lateHc * today[c] + earlyHc * yesterday[c])
      }
      return out
    }
    case 'ejp': {
      // Peak 07:00 → 01:00 the next day.
      const p = ejpOdds(day.day, input.calendar)
      const pYesterday = ejpOdds(localDayKey(addLocalDays(day.start, -1)), input.calendar)
      const peak =
        e * (shareOfDay(profile, hours(7, 24)) * p + shareOfDay(profile, hours(0, 1)) * pYesterday)
      return { pm: peak, hn: e - peak }
    }
  }
}

/**
 * Prices the same measured consumption under Base, HP/HC, Tempo and EJP at the same subscribed
 * power, over the same days (from the first to the last day with data), and ranks the options.
 * Days on a given option use the meter's own indexes for it; other days are modelled.
 */
export function compareOptions(input: ComparisonInput): ComparisonRow[] {
  const { days, contracts, catalogue, kva } = input
  const first = days[0]
  const last = days[days.length - 1]
  // Looked up once for the four options: the option the meter was on each day, and each day's
  // prices per option (the energy and the subscription loops ask for the same days).
  const meterOption = days.map((d) => pricedOption(contractOnDay(contracts, d.start)))
  const priceCache = new Map<string, DayPrices | null>()
  const pricesFor = (day: string, option: PricedOption): DayPrices | null => {
    const key = `${option}|${day}`
    let p = priceCache.get(key)
    if (p === undefined) {
      p = pricesOn(catalogue, day, option, kva)
      priceCache.set(key, p)
    }
    return p
  }
  const rows = PRICED_OPTIONS.map((option): Omit<ComparisonRow, 'rank'> => {
    let energyEur = 0
    let subscriptionEur = 0
    let measuredDays = 0
    let missing: string | null = null
    for (let i = 0; i < days.length; i++) {
      const d = days[i] as DayEnergy
      const measured = meterOption[i] === option
      if (measured) measuredDays++
      const prices = pricesFor(d.day, option)
      if (prices === null) {
        missing ??= `no ${option} price on ${d.day}`
        continue
      }
      for (const [period, wh] of Object.entries(periodEnergy(d, option, measured, input))) {
        if (wh === 0) continue
        const price = prices.energy[period]
        if (price === undefined) missing ??= `no ${option} ${period} price on ${d.day}`
        else energyEur += (wh / 1000) * price
      }
    }
    let priced = 0
    if (first !== undefined && last !== undefined) {
      for (const start of localDaysBetween(first.start, nextLocalDay(last.start))) {
        priced++
        const day = localDayKey(start)
        const dayPrices = pricesFor(day, option)
        const sub = dayPrices?.subscriptionEurPerMonth ?? null
        if (sub === null)
          missing ??=
            kva === null
              ? 'subscribed power unknown'
              : `no ${option} subscription price for ${kva} kVA on ${day}${subscriptionNote(dayPrices)}`
        else subscriptionEur += subscriptionPerDay(sub)
      }
    }
    if (days.length === 0) missing = 'no data in the range'
    const ok = missing === null
    const total = energyEur + subscriptionEur
    return {
      option,
      subscribedKVA: kva,
      totalEur: ok ? total : null,
      energyEur: ok ? energyEur : null,
      subscriptionEur: ok ? subscriptionEur : null,
      annualEur: ok && priced > 0 ? (total * 365) / priced : null,
      current: option === input.currentOption,
      basis:
        measuredDays === days.length && days.length > 0
          ? 'measured'
          : measuredDays === 0
            ? 'modelled'
            : 'mixed',
      missing,
    }
  })
  const ranked = rows
    .filter((r) => r.totalEur !== null)
    .sort((a, b) => (a.totalEur as number) - (b.totalEur as number))
  return rows.map((r) => ({ ...r, rank: r.totalEur === null ? null : ranked.indexOf(r) + 1 }))
}
