import type { TicReading } from '@linkyrpi/tic-core'
import type { EntitySpec } from './entities.js'

/** The energy prices in force for a reading: the local day they apply to and €/kWh per supplier index. */
export interface PriceInfo {
  /** Local day (`YYYY-MM-DD`, Europe/Paris) of the reading: the cost restarts at each new day. */
  readonly day: string
  /** €/kWh TTC per supplier index (1-10) of the meter's contract. */
  readonly eurPerKWhByIndex: Readonly<Record<number, number>>
}

/**
 * Prices a reading at frame time `t` (epoch ms), or null when its contract cannot be priced
 * (unknown option, no price for that date). The pipeline passes one built on the analytics
 * price catalogue.
 */
export type Pricing = (reading: TicReading, t: number) => PriceInfo | null

/**
 * The cost of the current local day for one meter: for each supplier index, the Wh counted since
 * the first frame of the day this process saw, times that index's price. Restarts at 0 each new
 * day (a `total_increasing` sensor: Home Assistant takes the drop as a new cycle); an index that
 * goes backwards (a register reset) is re-based, never counted negative.
 */
export class DailyCost {
  /** €/kWh of the index counting now, or null. */
  price: number | null = null
  /** € spent today so far (4 decimals), or null when not priced. */
  costEur: number | null = null
  private day = ''
  private start: Record<number, number> = {}
  private spent: Record<number, number> = {}

  /** Updates from one reading and its prices. */
  update(r: TicReading, info: PriceInfo | null): void {
    if (info === null) {
      this.price = null
      this.costEur = null
      return
    }
    const wh = r.energy.importByIndexWh
    if (info.day !== this.day) {
      this.day = info.day
      this.start = { ...wh }
      this.spent = {}
    }
    let total = 0
    for (const [k, price] of Object.entries(info.eurPerKWhByIndex)) {
      const n = Number(k)
      const now = wh[n]
      if (now === undefined) {
        total += this.spent[n] ?? 0
        continue
      }
      const from = this.start[n]
      if (from === undefined || now < from) this.start[n] = now
      const eur = ((now - (this.start[n] as number)) / 1000) * price
      this.spent[n] = eur
      total += eur
    }
    this.costEur = Math.round(total * 10_000) / 10_000
    const index = r.period.index
    this.price = index === null ? null : (info.eurPerKWhByIndex[index] ?? null)
  }
}

/** The two Home Assistant entities of a {@link DailyCost}: the price now and the cost of the day. */
export function costEntities(cost: DailyCost): EntitySpec[] {
  return [
    {
      key: 'price',
      component: 'sensor',
      name: { fr: 'Prix du kWh', en: 'Energy price' },
      deviceClass: 'monetary',
      unit: 'EUR/kWh',
      icon: 'mdi:currency-eur',
      throttle: 'state',
      value: () => cost.price,
    },
    {
      key: 'cost_today',
      component: 'sensor',
      name: { fr: 'Coût du jour', en: 'Cost today' },
      deviceClass: 'monetary',
      unit: 'EUR',
      stateClass: 'total_increasing',
      throttle: 'energy',
      value: () => cost.costEur,
    },
  ]
}
