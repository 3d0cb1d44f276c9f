import type { SamplePoint } from '@linkyrpi/tic-core/stage'
import { parisOffsetMs } from '@linkyrpi/tic-core/paris-time'
import { DAY_MS, HOUR_MS } from './paris-time.js'
import { quantile } from './stats.js'

/** Night-time base load. */
export interface Standby {
  /** Robust base load, VA (≈ W for the small electronic and resistive loads that make it up). */
  readonly va: number | null
  /** `va` over a year (8,766 h), kWh. */
  readonly kwhPerYear: number | null
  /** `kwhPerYear` at the average €/kWh of the range, or null when the range is not priced. */
  readonly eurPerYear: number | null
  /** Night hours used (01:00-05:00 local). */
  readonly hours: number
}

/**
 * The 10th percentile of the hourly minimum power between 01:00 and 05:00 local time: low enough
 * to skip the fridge, the water heater or heating running, robust to one odd night.
 */
export function standby(hourly: readonly SamplePoint[], eurPerKWh: number | null): Standby {
  const minima: number[] = []
  for (const p of hourly) {
    // localHour(p.t), from the UTC offset (a year is 8,760 points).
    const local = p.t + parisOffsetMs(p.t)
    const h = Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / HOUR_MS)
    if (h >= 1 && h < 5 && p.minVA !== null) minima.push(p.minVA)
  }
  const va = quantile(minima, 0.1)
  const kwhPerYear = va === null ? null : (va * 8766) / 1000
  return {
    va,
    kwhPerYear,
    eurPerYear: kwhPerYear === null || eurPerKWh === null ? null : kwhPerYear * eurPerKWh,
    hours: minima.length,
  }
}
