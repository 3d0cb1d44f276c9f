import type { EnergyBucket } from '@linkyrpi/tic-core/stage'
import {
  localDayKey,
  localDayStart,
  localMonthKey,
  localWeekday,
  addLocalDays,
} from './paris-time.js'

/** Energy of one local day (Europe/Paris), exact: differences of the meter's index registers. */
export interface DayEnergy {
  /** Local midnight, epoch ms. */
  readonly start: number
  /** `YYYY-MM-DD`, local. */
  readonly day: string
  /** Wh withdrawn per supplier index 1-10. */
  readonly byIndexWh: Readonly<Record<number, number>>
  /** Wh withdrawn (total register). */
  readonly importWh: number
  /** Wh injected (producers), else 0. */
  readonly exportWh: number
}

/** Days as the store gives them, split into usable days and days whose registers went backwards. */
export interface DayEnergySet {
  readonly days: readonly DayEnergy[]
  /**
   * Days left out because an index went backwards (meter replaced or register reset): their energy
   * is unknown, so they count as days without data rather than as negative energy.
   */
  readonly resetDays: readonly string[]
}

/**
 * Turns the store's daily energy buckets into {@link DayEnergy} rows. The store computes a day's
 * energy as its last index value minus the previous day's last value, so the energy of a day
 * without reception (a gap, a restart) is counted on the next day with data: totals stay equal to
 * the index deltas whatever the gaps. A day with a negative value is left out (see `resetDays`).
 */
export function toDayEnergy(buckets: readonly EnergyBucket[]): DayEnergySet {
  const days: DayEnergy[] = []
  const resetDays: string[] = []
  for (const b of buckets) {
    if (b.bucket !== 'day') continue
    const values = [b.importWh, b.exportWh, ...Object.values(b.byIndexWh)]
    const day = localDayKey(b.start)
    if (values.some((v) => v < 0)) {
      resetDays.push(day)
      continue
    }
    days.push({
      start: b.start,
      day,
      byIndexWh: b.byIndexWh,
      importWh: b.importWh,
      exportWh: b.exportWh,
    })
  }
  return { days, resetDays }
}

/** Calendar units energy can be summed over. */
export type EnergyUnit = 'day' | 'week' | 'month' | 'year'

/** Energy summed over one calendar unit. */
export interface EnergyTotal {
  /** `YYYY-MM-DD` (day; the Monday for a week), `YYYY-MM` (month) or `YYYY` (year), local. */
  readonly key: string
  readonly importWh: number
  readonly exportWh: number
  readonly byIndexWh: Readonly<Record<number, number>>
  /** Days of the unit that have data. */
  readonly days: number
}

function unitKey(d: DayEnergy, unit: EnergyUnit): string {
  switch (unit) {
    case 'day':
      return d.day
    case 'week':
      // ISO weeks start on Monday.
      return localDayKey(addLocalDays(localDayStart(d.start), -((localWeekday(d.start) + 6) % 7)))
    case 'month':
      return localMonthKey(d.start)
    case 'year':
      return d.day.slice(0, 4)
  }
}

/** Sums days per local day, ISO week (Monday), month or year; keys in ascending order. */
export function sumEnergy(days: readonly DayEnergy[], unit: EnergyUnit): EnergyTotal[] {
  const out = new Map<
    string,
    { importWh: number; exportWh: number; byIndexWh: Record<number, number>; days: number }
  >()
  for (const d of days) {
    const key = unitKey(d, unit)
    let t = out.get(key)
    if (t === undefined) {
      t = { importWh: 0, exportWh: 0, byIndexWh: {}, days: 0 }
      out.set(key, t)
    }
    t.importWh += d.importWh
    t.exportWh += d.exportWh
    t.days++
    for (const [i, wh] of Object.entries(d.byIndexWh))
      t.byIndexWh[Number(i)] = (t.byIndexWh[Number(i)] ?? 0) + wh
  }
  return [...out.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([key, t]) => ({ key, ...t }))
}
