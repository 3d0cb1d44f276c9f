import type { SamplePoint, StoredEvent } from '@linkyrpi/tic-core/stage'
import type { PricedOption } from './options.js'
import { pricesOn } from './price-catalogue.js'
import type { PriceCatalogue } from './price-catalogue.js'
import { localDayKey } from './paris-time.js'
import { quantile } from './stats.js'

/** Subscribed powers offered on the blue tariff, kVA. */
export const STANDARD_KVA = [3, 6, 9, 12, 15, 18, 24, 30, 36] as const

/** Subscribed-power advice. */
export interface PowerAdvice {
  readonly subscribedKVA: number | null
  /** Highest apparent power seen in the range, VA. */
  readonly maxVA: number | null
  /** Distribution of the daily maximum apparent power, VA. */
  readonly dailyMaxVA: {
    readonly p50: number | null
    readonly p90: number | null
    readonly p99: number | null
    readonly max: number | null
    readonly days: number
  }
  /** Days whose maximum went above 80 % / 100 % of the subscription. */
  readonly daysAbove80Pct: number
  readonly daysAbove100Pct: number
  /** `overpower` events (ADPS, STGE bit 7) in the range. */
  readonly overpowerEvents: number
  /** Highest hourly mean per phase, VA (three-phase only; the store keeps per-phase means, not maxima). */
  readonly maxHourlyVAByPhase: readonly (number | null)[] | null
  /** The lowest standard power with `maxVA` × (1 + margin) ≤ kVA × 1000. */
  readonly recommendedKVA: number | null
  /** Margin kept above the highest power seen (0.1 = 10 %). */
  readonly margin: number
  /** Subscription saved per year at the latest prices of the current option (negative: it costs more). */
  readonly savingEurPerYear: number | null
}

/** What {@link powerAdvice} works from. */
export interface PowerAdviceInput {
  /** Daily power rollups (`1d`): maxVA is the day's highest sample. */
  readonly daily: readonly SamplePoint[]
  /** Hourly rollups, for the per-phase means. */
  readonly hourly: readonly SamplePoint[]
  readonly events: readonly StoredEvent[]
  readonly kva: number | null
  readonly option: PricedOption | null
  readonly phases: 1 | 3 | null
  readonly catalogue: PriceCatalogue
  /** Local day whose prices value the saving (`YYYY-MM-DD`), normally the last day of the range. */
  readonly priceDay: string
  readonly margin: number
}

/** Daily maxima against the subscription, overpower events, the safe lowest power and its saving. */
export function powerAdvice(input: PowerAdviceInput): PowerAdvice {
  const maxima = input.daily.map((p) => p.maxVA).filter((v): v is number => v !== null)
  const maxVA = maxima.length === 0 ? null : Math.max(...maxima)
  const limit = input.kva === null ? null : input.kva * 1000
  let byPhase: (number | null)[] | null = null
  if (input.phases === 3) {
    byPhase = [null, null, null]
    for (const p of input.hourly) {
      p.avgVAByPhase?.forEach((v, i) => {
        if (v !== null && i < 3) byPhase![i] = Math.max(byPhase![i] ?? 0, v)
      })
    }
  }
  const need = maxVA === null ? null : maxVA * (1 + input.margin)
  const recommendedKVA = need === null ? null : (STANDARD_KVA.find((k) => k * 1000 >= need) ?? null)
  let savingEurPerYear: number | null = null
  if (input.option !== null && input.kva !== null && recommendedKVA !== null) {
    const now =
      pricesOn(input.catalogue, input.priceDay, input.option, input.kva)?.subscriptionEurPerMonth ??
      null
    const then =
      pricesOn(input.catalogue, input.priceDay, input.option, recommendedKVA)
        ?.subscriptionEurPerMonth ?? null
    if (now !== null && then !== null) savingEurPerYear = (now - then) * 12
  }
  return {
    subscribedKVA: input.kva,
    maxVA,
    dailyMaxVA: {
      p50: quantile(maxima, 0.5),
      p90: quantile(maxima, 0.9),
      p99: quantile(maxima, 0.99),
      max: maxVA,
      days: maxima.length,
    },
    daysAbove80Pct: limit === null ? 0 : maxima.filter((v) => v > 0.8 * limit).length,
    daysAbove100Pct: limit === null ? 0 : maxima.filter((v) => v > limit).length,
    overpowerEvents: input.events.filter((e) => e.kind === 'overpower').length,
    maxHourlyVAByPhase: byPhase,
    recommendedKVA,
    margin: input.margin,
    savingEurPerYear,
  }
}

/** The local day key of the last day of a range [from, to). */
export function lastDayOf(to: number): string {
  return localDayKey(to - 1)
}
