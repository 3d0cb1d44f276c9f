import { contractOnDay, pricedOption, subscribedKVA } from './contracts.js'
import type { ContractSpan } from './contracts.js'
import type { DayEnergy } from './day-energy.js'
import { indexLabel, periodOfIndex } from './options.js'
import { pricesOn } from './price-catalogue.js'
import type { DayPrices, PriceCatalogue } from './price-catalogue.js'
import { localDayKey, localDaysBetween, nextLocalDay } from './paris-time.js'

/** One energy line of a bill: consecutive days of one index at one price. */
export interface CostLine {
  /** First local day, `YYYY-MM-DD`. */
  readonly from: string
  /** Day after the last one (exclusive), `YYYY-MM-DD`. */
  readonly to: string
  /** Supplier index 1-10. */
  readonly index: number
  readonly label: string
  readonly option: string
  readonly wh: number
  /** €/kWh TTC. */
  readonly eurPerKWh: number
  readonly eur: number
  /** Why this price is uncertain, when it is. */
  readonly uncertain?: string
}

type MutableLine = { -readonly [K in keyof CostLine]: CostLine[K] } & { key: string }

/** One subscription line: consecutive days of one option, power and monthly price. */
export interface SubscriptionLine {
  readonly from: string
  readonly to: string
  readonly option: string
  readonly kva: number
  /** €/month TTC. */
  readonly eurPerMonth: number
  readonly days: number
  readonly eur: number
}

/** Something the catalogue could not price: it is left out of the totals and said so. */
export interface UnpricedPart {
  readonly from: string
  readonly to: string
  readonly what: 'energy' | 'subscription'
  readonly index?: number
  readonly wh?: number
  readonly reason: string
}

/** The cost of a range, split at price and contract changes. */
export interface CostBreakdown {
  readonly currency: 'EUR'
  /** Energy + subscription, or null when anything is unpriced (see `unpriced`; never a silent 0). */
  readonly totalEur: number | null
  readonly energyEur: number | null
  readonly subscriptionEur: number | null
  /** What could be priced, even when some part could not. */
  readonly pricedEur: number
  readonly lines: readonly CostLine[]
  readonly subscriptionLines: readonly SubscriptionLine[]
  readonly unpriced: readonly UnpricedPart[]
  /** Per local day: priced energy and subscription, € (null when part of that day is unpriced). */
  readonly byDay: readonly DayCost[]
}

/** The cost of one local day. */
export interface DayCost {
  readonly day: string
  readonly energyEur: number | null
  readonly subscriptionEur: number | null
}

/** `: <why>` when the catalogue says why the subscription is missing (EJP), else ''. */
export function subscriptionNote(prices: DayPrices | null): string {
  return prices?.subscriptionUncertain == null ? '' : `: ${prices.subscriptionUncertain}`
}

/**
 * A day's subscription share: €/month × 12 / 365, whatever the length of the month (the way
 * French bills prorate a subscription per day).
 */
export function subscriptionPerDay(eurPerMonth: number): number {
  return (eurPerMonth * 12) / 365
}

/**
 * Prices measured days with the contract in force each day (at noon) and the catalogue's price
 * valid that day: energy per index × €/kWh, plus the subscription prorated per day over every day
 * from the first to the last day with data (also the days without reception in between: the
 * subscription runs). Lines merge consecutive days with the same index and price, so a price
 * change opens a new line.
 */
export function costOf(
  days: readonly DayEnergy[],
  contracts: readonly ContractSpan[],
  catalogue: PriceCatalogue,
): CostBreakdown {
  const building: MutableLine[] = []
  const open = new Map<number, MutableLine>()
  const subs: SubscriptionLine[] = []
  const unpriced: UnpricedPart[] = []
  const addUnpriced = (u: UnpricedPart): void => {
    const last = unpriced[unpriced.length - 1]
    if (
      last !== undefined &&
      last.what === u.what &&
      last.index === u.index &&
      last.reason === u.reason &&
      last.to === u.from
    ) {
      unpriced[unpriced.length - 1] = {
        ...last,
        to: u.to,
        ...(u.wh !== undefined ? { wh: (last.wh ?? 0) + u.wh } : {}),
      }
    } else unpriced.push(u)
  }
  let energyEur = 0
  const perDay = new Map<string, { energyEur: number | null; subscriptionEur: number | null }>()
  for (const d of days) {
    const before = energyEur
    let dayOk = true
    const to = localDayKey(nextLocalDay(d.start))
    const contract = contractOnDay(contracts, d.start)
    const option = pricedOption(contract)
    const kva = subscribedKVA(contract)
    const prices = option === null ? null : pricesOn(catalogue, d.day, option, kva)
    for (const [key, wh] of Object.entries(d.byIndexWh)) {
      const index = Number(key)
      if (wh === 0) continue
      const period = periodOfIndex(option, index)
      const price = period === null || prices === null ? undefined : prices.energy[period]
      if (option === null || period === null || price === undefined) {
        const reason =
          option === null
            ? `no price for the contract option ${JSON.stringify(contract?.option ?? null)}`
            : period === null
              ? `index ${index} is not a period of option ${option}`
              : `no ${option} price on ${d.day}`
        addUnpriced({ from: d.day, to, what: 'energy', index, wh, reason })
        dayOk = false
        continue
      }
      const eur = (wh / 1000) * price
      energyEur += eur
      const lineKey = `${index}|${option}|${price}|${prices?.validFrom ?? ''}`
      const line = open.get(index)
      if (line !== undefined && line.key === lineKey) {
        line.wh += wh
        line.eur += eur
        line.to = to
      } else {
        const fresh: MutableLine = {
          key: lineKey,
          from: d.day,
          to,
          index,
          label: indexLabel(option, index),
          option,
          wh,
          eurPerKWh: price,
          eur,
          uncertain: prices?.uncertain ?? undefined,
        }
        building.push(fresh)
        open.set(index, fresh)
      }
    }
    perDay.set(d.day, { energyEur: dayOk ? energyEur - before : null, subscriptionEur: null })
  }
  let subscriptionEur = 0
  const first = days[0]
  const last = days[days.length - 1]
  if (first !== undefined && last !== undefined) {
    for (const start of localDaysBetween(first.start, nextLocalDay(last.start))) {
      const day = localDayKey(start)
      const to = localDayKey(nextLocalDay(start))
      const contract = contractOnDay(contracts, start)
      const option = pricedOption(contract)
      const kva = subscribedKVA(contract)
      const prices = option === null ? null : pricesOn(catalogue, day, option, kva)
      if (
        option === null ||
        kva === null ||
        prices === null ||
        prices.subscriptionEurPerMonth === null
      ) {
        const reason =
          option === null
            ? `no price for the contract option ${JSON.stringify(contract?.option ?? null)}`
            : kva === null
              ? 'subscribed power unknown'
              : `no ${option} subscription price for ${kva} kVA on ${day}${subscriptionNote(prices)}`
        addUnpriced({ from: day, to, what: 'subscription', reason })
        perDay.set(day, { energyEur: perDay.get(day)?.energyEur ?? null, subscriptionEur: null })
        continue
      }
      const eurPerMonth = prices.subscriptionEurPerMonth
      const eur = subscriptionPerDay(eurPerMonth)
      subscriptionEur += eur
      perDay.set(day, { energyEur: perDay.get(day)?.energyEur ?? 0, subscriptionEur: eur })
      const prev = subs[subs.length - 1]
      if (
        prev !== undefined &&
        prev.to === day &&
        prev.option === option &&
        prev.kva === kva &&
        prev.eurPerMonth === eurPerMonth
      ) {
        subs[subs.length - 1] = { ...prev, to, days: prev.days + 1, eur: prev.eur + eur }
      } else subs.push({ from: day, to, option, kva, eurPerMonth, days: 1, eur })
    }
  }
  const energyOk = !unpriced.some((u) => u.what === 'energy')
  const subOk = !unpriced.some((u) => u.what === 'subscription')
  return {
    currency: 'EUR',
    totalEur: energyOk && subOk ? energyEur + subscriptionEur : null,
    energyEur: energyOk ? energyEur : null,
    subscriptionEur: subOk ? subscriptionEur : null,
    pricedEur: energyEur + subscriptionEur,
    lines: building.map(({ key: _key, uncertain, ...l }): CostLine =>
      uncertain === undefined ? l : { ...l, uncertain },
    ),
    subscriptionLines: subs,
    unpriced,
    byDay: [...perDay.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([day, c]) => ({ day, ...c })),
  }
}
