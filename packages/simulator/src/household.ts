import { parisLocalTime } from '@linkyrpi/tic-core'
import type { ParisLocalTime } from '@linkyrpi/tic-core'
import { rand01 } from './random.js'
import { DEFAULT_OFF_PEAK } from './tariff-calendar.js'
import type { OffPeakRange, TariffState } from './tariff-calendar.js'

/** The loads of the simulated household. */
export const APPLIANCES = [
  'base',
  'fridge',
  'water-heater',
  'cooking',
  'heating',
  'overpower',
] as const

/** One load of the household (`overpower` is the on-demand episode load). */
export type Appliance = (typeof APPLIANCES)[number]

/** Options of {@link createHousehold}. */
export interface HouseholdOptions {
  readonly seed: number
  /** 1 or 3: three-phase spreads the appliances over the phases. */
  readonly phases: 1 | 3
  /** Electric heating following the season and time of day (default true). */
  readonly heating?: boolean
  /** Peak power of the PV installation in W; 0 = no production (default 0). */
  readonly pvPeakW?: number
  /** Subscribed apparent power in VA: the overpower episode load is sized from it. */
  readonly subscribedVA: number
  /** Add a daily overpower episode (about 3 minutes around 19:30) exceeding the subscription (default false). */
  readonly overpower?: boolean
  /** Off-peak windows that drive the water heater (default 22:00-06:00). */
  readonly offPeak?: readonly OffPeakRange[]
}

/** The true power of the household at one instant: the simulator's ground truth. */
export interface PowerSample {
  /** Consumption in W per appliance. */
  readonly byAppliance: Readonly<Record<Appliance, number>>
  /** Total consumption in W. */
  readonly consumptionW: number
  /** Consumption in W per phase (mono: [total, 0, 0]). */
  readonly byPhaseW: readonly [number, number, number]
  /** PV production in W. */
  readonly productionW: number
}

/** A household whose power is a pure function of time: evaluate it at any instant, in any order. */
export interface Household {
  /** The true power at `epochMs`; `tariff` lets load-shedding follow the calendar. */
  powerAt(epochMs: number, tariff?: TariffState, lt?: ParisLocalTime): PowerSample
}

// Phase of each appliance on a three-phase installation (0-based); -1 = spread evenly.
const PHASE_OF: Readonly<Record<Appliance, number>> = {
  base: -1,
  fridge: 0,
  'water-heater': 1,
  cooking: 2,
  heating: -1,
  overpower: 0,
}

/** Creates the household model (base load, fridge, water heater, cooking, heating, PV). */
export function createHousehold(options: HouseholdOptions): Household {
  const seed = options.seed
  const heatingOn = options.heating ?? true
  const pvPeakW = options.pvPeakW ?? 0
  const offPeak = options.offPeak ?? DEFAULT_OFF_PEAK
  const fridgePhase = rand01(seed, 11) * 50

  function waterHeater(lt: ParisLocalTime, tariff: TariffState | undefined): number {
    // Runs from the start of the off-peak window until the day's hot water is reheated.
    if (tariff !== undefined && tariff.ejpPeak) return 0
    const m = lt.minuteOfDay
    for (const r of offPeak) {
      const wraps = r.startMinute > r.endMinute
      const inside = wraps
        ? m >= r.startMinute || m < r.endMinute
        : m >= r.startMinute && m < r.endMinute
      if (!inside) continue
      const startDay = wraps && m < r.endMinute ? lt.dayNumber - 1 : lt.dayNumber
      const elapsed = (m - r.startMinute + 1440) % 1440
      const need = 60 + 150 * rand01(seed, 21, startDay, r.startMinute)
      return elapsed < need ? 2400 : 0
    }
    return 0
  }

  function cooking(lt: ParisLocalTime, minuteIndex: number): number {
    const m = lt.minuteOfDay
    const d = lt.dayNumber
    const weekend = lt.weekday === 0 || lt.weekday === 6
    let w = 0
    const kettle = 6.5 * 60 + 90 * rand01(seed, 31, d)
    if (m >= kettle && m < kettle + 3) w += 2000
    if (weekend || rand01(seed, 32, d) < 0.3) {
      const start = 12 * 60 + 30 * rand01(seed, 33, d)
      if (m >= start && m < start + 20 + 20 * rand01(seed, 34, d))
        w += 1500 + 1000 * rand01(seed, 35, d)
    }
    const dinner = 19 * 60 + 60 * rand01(seed, 36, d)
    if (m >= dinner && m < dinner + 30 + 30 * rand01(seed, 37, d)) {
      // A hob thermostat: two minutes on, one off.
      if (minuteIndex % 3 !== 2) w += 2000 + 1500 * rand01(seed, 38, d)
    }
    return w
  }

  function heating(
    lt: ParisLocalTime,
    tariff: TariffState | undefined,
    minuteIndex: number,
  ): number {
    if (!heatingOn) return 0
    const h = lt.minuteOfDay / 60
    const season = Math.cos((2 * Math.PI * (lt.dayOfYear - 20)) / 365)
    const outdoor =
      12 -
      8 * season +
      4 * Math.sin((2 * Math.PI * (h - 9)) / 24) +
      (rand01(seed, 41, lt.dayNumber) - 0.5) * 6
    const weekend = lt.weekday === 0 || lt.weekday === 6
    const comfort = weekend ? h >= 8 && h < 23 : (h >= 6 && h < 9) || (h >= 17 && h < 23)
    const setpoint = comfort ? 19 : 16
    let w = Math.max(0, setpoint - outdoor) * 130
    if (tariff !== undefined) {
      // The household sheds heating on expensive periods.
      if (tariff.ejpPeak) w *= 0.4
      else if (tariff.tempoToday === 'red' && !tariff.offPeak) w *= 0.6
    }
    return w * (0.9 + 0.2 * rand01(seed, 42, minuteIndex))
  }

  function production(epochMs: number, lt: ParisLocalTime): number {
    if (pvPeakW <= 0) return 0
    const seasonal = Math.sin((2 * Math.PI * (lt.dayOfYear - 80)) / 365)
    const dayLength = 12 + 4 * seasonal
    const hUtc = (((epochMs / 3_600_000) % 24) + 24) % 24
    const x = (hUtc - (11.9 - dayLength / 2)) / dayLength
    if (x <= 0 || x >= 1) return 0
    const clouds = 0.25 + 0.75 * rand01(seed, 51, lt.dayNumber)
    const passing = 0.7 + 0.3 * rand01(seed, 52, Math.floor(epochMs / 600_000))
    return pvPeakW * Math.sin(Math.PI * x) * (0.6 + 0.4 * seasonal) * clouds * passing
  }

  function powerAt(
    epochMs: number,
    tariff?: TariffState,
    lt: ParisLocalTime = parisLocalTime(epochMs),
  ): PowerSample {
    const minuteIndex = Math.floor(epochMs / 60_000)
    const m = lt.minuteOfDay
    let base = 90 + 60 * rand01(seed, 1, lt.dayNumber) + 30 * rand01(seed, 2, minuteIndex)
    if (m >= 18 * 60 && m < 23 * 60) base += 150
    if (m >= 6.5 * 60 && m < 8.5 * 60) base += 100
    const fridge = (minuteIndex + fridgePhase) % 50 < 15 ? 110 : 0
    let over = 0
    if (options.overpower === true) {
      const start = 19.5 * 60 + 10 * rand01(seed, 61, lt.dayNumber)
      if (m >= start && m < start + 3)
        over = options.subscribedVA / (options.phases === 3 ? 3 : 1) + 1500
    }
    const byAppliance: Record<Appliance, number> = {
      base,
      fridge,
      'water-heater': waterHeater(lt, tariff),
      cooking: cooking(lt, minuteIndex),
      heating: heating(lt, tariff, minuteIndex),
      overpower: over,
    }
    let total = 0
    const byPhase: [number, number, number] = [0, 0, 0]
    for (const a of APPLIANCES) {
      const w = byAppliance[a]
      total += w
      if (options.phases === 1) byPhase[0] += w
      else if (PHASE_OF[a] < 0) {
        byPhase[0] += w / 3
        byPhase[1] += w / 3
        byPhase[2] += w / 3
      } else byPhase[PHASE_OF[a]]! += w
    }
    return {
      byAppliance,
      consumptionW: total,
      byPhaseW: byPhase,
      productionW: production(epochMs, lt),
    }
  }

  return { powerAt }
}
