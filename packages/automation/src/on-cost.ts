import type { TicReading } from '@linkyrpi/tic-core'
import type { Switch } from './engine.js'

/** € per kWh of the energy counted at the moment of `reading` (`t`, epoch ms), or null when unpriced. */
export type PriceOf = (reading: TicReading, t: number) => number | null

/** What one output would have cost while on, over a replay. */
export interface OutputOnCost {
  /** The power it draws when on (`shed.powerW`), W. */
  readonly powerW: number
  /** Hours on at a known price, h. */
  readonly pricedHours: number
  /** Hours on while the price was unknown (not in the figures below), h. */
  readonly unpricedHours: number
  /** Energy drawn while on at a known price (hours × powerW), kWh. */
  readonly kwh: number
  /** That energy at the price of the index counting at each moment, €. */
  readonly eur: number
  /** The same kWh at the time-weighted average price of the replayed range, €. */
  readonly eurAtAverage: number
  /** `eur − eurAtAverage`, €: negative when the rules ran it at cheaper-than-average moments. */
  readonly differenceEur: number
}

/** The summary of {@link createOnCostTracker}. */
export interface OnCostSummary {
  /** Time-weighted mean of the price over the priced part of the range, €/kWh (null: never priced). */
  readonly averageEurPerKWh: number | null
  readonly outputs: Readonly<Record<string, OutputOnCost>>
}

/** Fed with the switches and readings of a replay in time order (see `replayRules`' `onReading`). */
export interface OnCostTracker {
  onSwitch(s: Switch): void
  onReading(reading: TicReading, t: number): void
  summary(): OnCostSummary
}

/**
 * Prices the energy each output with a known power would draw while on: between two events the
 * outputs on draw `powerW`, at the price of the last reading's index (a reading sets the price
 * from its time on). Only an estimate of the load's own energy at its rated power: not what the
 * meter counted, not the subscription, and not what a thermostat would really have drawn.
 */
export function createOnCostTracker(
  powersW: Readonly<Record<string, number>>,
  priceOf: PriceOf,
): OnCostTracker {
  const acc = new Map(
    Object.keys(powersW).map((id) => [id, { on: false, pricedMs: 0, unpricedMs: 0, eur: 0 }]),
  )
  let lastT: number | null = null
  let price: number | null = null
  let pricedMs = 0
  let priceMs = 0 // Σ price × dt over the priced range, €/kWh·ms
  const advance = (t: number): void => {
    const dt = lastT === null ? 0 : Math.max(0, t - lastT)
    lastT = lastT === null ? t : Math.max(lastT, t)
    if (dt === 0) return
    if (price !== null) {
      pricedMs += dt
      priceMs += price * dt
    }
    for (const [id, a] of acc) {
      if (!a.on) continue
      if (price === null) a.unpricedMs += dt
      else {
        a.pricedMs += dt
        a.eur += ((powersW[id]! * dt) / 3_600_000_000) * price
      }
    }
  }
  return {
    onSwitch(s) {
      const a = acc.get(s.output)
      if (a === undefined) return
      advance(s.t)
      a.on = s.state === 'on'
    },
    onReading(reading, t) {
      advance(t)
      price = priceOf(reading, t)
    },
    summary() {
      const average = pricedMs === 0 ? null : priceMs / pricedMs
      const outputs: Record<string, OutputOnCost> = {}
      for (const [id, a] of acc) {
        const powerW = powersW[id]!
        const kwh = (powerW * a.pricedMs) / 3_600_000_000
        const eurAtAverage = average === null ? 0 : kwh * average
        outputs[id] = {
          powerW,
          pricedHours: a.pricedMs / 3_600_000,
          unpricedHours: a.unpricedMs / 3_600_000,
          kwh,
          eur: a.eur,
          eurAtAverage,
          differenceEur: a.eur - eurAtAverage,
        }
      }
      return { averageEurPerKWh: average, outputs }
    },
  }
}
