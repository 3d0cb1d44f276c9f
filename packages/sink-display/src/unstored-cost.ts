import { energyPriceAt, indexLabel, isPricedOption } from '@linkyrpi/analytics'
import type { PriceCatalogue } from '@linkyrpi/analytics'
import type { TicReading } from '@linkyrpi/tic-core'
import { withUnstoredEnergy } from './unstored-energy.js'
import type { CountedEnergy } from './unstored-energy.js'

/** Energy not yet in the store, per supplier index, priced at the price valid now. */
export interface UnstoredCost {
  /** Per index: its label, Wh, €/kWh (null when unpriced) and € (null when unpriced). */
  readonly lines: readonly {
    readonly index: number
    readonly label: string
    readonly wh: number
    readonly eurPerKWh: number | null
    readonly eur: number | null
  }[]
  /** Total Wh of the lines. */
  readonly wh: number
  /** Total €, null when a line with energy is unpriced. */
  readonly eur: number | null
}

/**
 * What the meter counted in a period (starting at `periodStart`, epoch ms) that the store does not
 * hold yet (the embedded store commits every few minutes), per index, priced at the price of
 * `now` for the meter's current option and subscription (energy only: the subscription is already
 * counted per day). The energy is {@link withUnstoredEnergy}'s: the index increase since the
 * store's latest reading `stored`, or what the dashboard `counted` itself when the store holds
 * nothing of the period.
 */
export function unstoredCost(
  catalogue: PriceCatalogue,
  now: number,
  stored: { readonly t: number; readonly reading: TicReading } | null,
  current: TicReading | null,
  periodStart: number,
  counted: CountedEnergy | null,
): UnstoredCost {
  const extra = withUnstoredEnergy(
    { byIndexWh: {}, exportWh: 0 },
    stored,
    current,
    periodStart,
    counted,
  )
  const contract = (current ?? stored?.reading)?.contract
  const option = contract?.option ?? null
  const kva = contract?.subscribedVA ?? null
  const lines: UnstoredCost['lines'][number][] = []
  let wh = 0
  let eur: number | null = 0
  for (const [k, v] of Object.entries(extra.byIndexWh)) {
    if (v <= 0) continue
    const index = Number(k)
    const price = isPricedOption(option) ? energyPriceAt(catalogue, now, option, index, kva) : null
    const lineEur = price === null ? null : (v / 1000) * price
    lines.push({ index, label: indexLabel(option, index), wh: v, eurPerKWh: price, eur: lineEur })
    wh += v
    eur = eur === null || lineEur === null ? null : eur + lineEur
  }
  return { lines, wh, eur }
}
