import { isPricedOption, periodOfIndex } from './options.js'
import { localDayKey } from './paris-time.js'
import { pricesOn } from './price-catalogue.js'
import type { PriceCatalogue } from './price-catalogue.js'

/**
 * The energy price of the index counting at instant `t` (epoch ms), €/kWh: the catalogue's grid
 * valid that Paris day for the meter's option and subscribed power (VA, rounded to kVA). Null when
 * the option is not priced (unknown option, no index) or the catalogue has no price for it.
 */
export function energyPriceAt(
  catalogue: PriceCatalogue,
  t: number,
  option: string | null,
  index: number | null,
  subscribedVA: number | null,
): number | null {
  if (!isPricedOption(option) || index === null) return null
  const period = periodOfIndex(option, index)
  if (period === null) return null
  const prices = pricesOn(
    catalogue,
    localDayKey(t),
    option,
    subscribedVA === null ? null : Math.round(subscribedVA / 1000),
  )
  return prices?.energy[period] ?? null
}
