import { newMax, observeMax } from './daily-max.js'
import type { DailyMax } from './daily-max.js'
import type { FrameMeasurement } from './frame-measurement.js'
import { parisLocalTime } from '@linkyrpi/tic-core'
import { rand01 } from './random.js'

const TEN_MIN = 600_000

/** The maxima and means the meter keeps between frames; mutated by {@link observeStatistics}. */
export interface MeterStatistics {
  /** Daily maximum apparent power withdrawn, in VA (SMAXSN; PMAX of a three-phase Linky). */
  readonly maxTotal: DailyMax
  /** Daily maximum apparent power withdrawn per phase, in VA (SMAXSN1-3). */
  readonly maxPhase: readonly DailyMax[]
  /** Daily maximum apparent power injected, in VA (SMAXIN). */
  readonly maxInjected: DailyMax
  /** Maximum current per phase in A (IMAX of a pre-Linky meter), starting from a value drawn from the seed. */
  readonly imax: number[]
  /** Maximum active power withdrawn in W, rounded to 10 W (PMAX of a CBETM). */
  pmaxW: number
  /** Last instant (epoch ms) a phase current was above the subscribed current; −∞ before any. */
  lastOverrun: number
  /** Ten-minute slot being averaged (epoch ms / 10 min). */
  voltSlot: number
  /** Sum of the voltages in V per phase over the current slot. */
  voltSum: number[]
  /** Voltage samples in the current slot. */
  voltCount: number
  /** Mean voltage in V per phase over the last complete slot (UMOY1-3), null before one. */
  voltMean: number[] | null
  /** When `voltMean` was computed (epoch ms, a 10-minute boundary). */
  voltMeanAt: number
}

/** Fresh statistics at `now` (epoch ms), the IMAX start values drawn from `seed`. */
export function createMeterStatistics(seed: number, now: number): MeterStatistics {
  const firstDay = parisLocalTime(now).dayNumber
  const voltSlot = Math.floor(now / TEN_MIN)
  return {
    maxTotal: newMax(firstDay, now),
    maxPhase: [newMax(firstDay, now), newMax(firstDay, now), newMax(firstDay, now)],
    maxInjected: newMax(firstDay, now),
    imax: [0, 0, 0].map((_, p) => 20 + Math.floor(20 * rand01(seed, 0x1a, p))),
    pmaxW: 0,
    lastOverrun: -Infinity,
    voltSlot,
    voltSum: [0, 0, 0],
    voltCount: 0,
    voltMean: null,
    voltMeanAt: voltSlot * TEN_MIN,
  }
}

/** Records the measurement `m` taken at `at` (epoch ms) on local day `day`. */
export function observeStatistics(
  s: MeterStatistics,
  m: FrameMeasurement,
  day: number,
  at: number,
): void {
  const slot = Math.floor(at / TEN_MIN)
  if (slot !== s.voltSlot) {
    if (s.voltCount > 0) {
      const count = s.voltCount
      s.voltMean = s.voltSum.map((x) => x / count)
      s.voltMeanAt = slot * TEN_MIN
    }
    s.voltSlot = slot
    s.voltSum = [0, 0, 0]
    s.voltCount = 0
  }
  for (let p = 0; p < 3; p++) s.voltSum[p] = s.voltSum[p]! + m.u[p]!
  s.voltCount++
  if (m.overrun.some(Boolean)) s.lastOverrun = at
  for (const p of m.phaseIdx) s.imax[p] = Math.max(s.imax[p]!, m.amps[p]!)
  s.pmaxW = Math.max(s.pmaxW, Math.round(m.importW / 10) * 10)
  observeMax(s.maxTotal, day, Math.round(m.apparentVA), at)
  for (const p of m.phaseIdx) observeMax(s.maxPhase[p]!, day, Math.round(m.phaseVA[p]!), at)
  observeMax(s.maxInjected, day, Math.round(m.injectedVA), at)
}

/** When the mean voltage UMOY reports was taken (epoch ms): the last 10-minute boundary, or the current one before any mean. */
export function voltageMeanAt(s: MeterStatistics, at: number): number {
  return s.voltMean === null ? Math.floor(at / TEN_MIN) * TEN_MIN : s.voltMeanAt
}
