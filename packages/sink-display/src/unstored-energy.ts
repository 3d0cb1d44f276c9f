import type { TicReading } from '@linkyrpi/tic-core'

/** Energy per supplier index (Wh) and exported energy (Wh) over one period. */
export interface EnergyTotals {
  readonly byIndexWh: Record<number, number>
  readonly exportWh: number
}

/** What the dashboard itself counted in a period since `since` (epoch ms): Wh per index and exported. */
export interface CountedEnergy {
  readonly since: number
  readonly byIndexWh: Readonly<Record<number, number>>
  readonly exportWh: number | null
}

/**
 * Adds to the store's energy of a period what the meter counted since the store's latest reading:
 * the store commits every few minutes (the SQLite sink's flush interval), the meter's indexes are
 * live. `stored` is the latest stored reading (time in epoch ms), `current` the latest reading
 * received; only the index increase is added (an index that went back adds nothing).
 *
 * When the store holds no reading of the period (`stored` is null, as on a fresh store before its
 * first commit, or older than `periodStart`, whose increase would include energy of the previous
 * period), nothing of the period is stored: what the dashboard `counted` is added instead, if it
 * counted from within the period (`counted.since >= periodStart`). Otherwise the totals are
 * returned unchanged.
 */
export function withUnstoredEnergy(
  totals: EnergyTotals,
  stored: { readonly t: number; readonly reading: TicReading } | null,
  current: TicReading | null,
  periodStart: number,
  counted: CountedEnergy | null = null,
): EnergyTotals {
  if (stored === null || stored.t < periodStart) {
    if (counted === null || counted.since < periodStart) return totals
    return add(totals, counted.byIndexWh, counted.exportWh ?? 0)
  }
  if (current === null) return totals
  const increase: Record<number, number> = {}
  for (const [k, v] of Object.entries(current.energy.importByIndexWh)) {
    const before = stored.reading.energy.importByIndexWh[Number(k)]
    if (before !== undefined && v > before) increase[Number(k)] = v - before
  }
  const e0 = stored.reading.energy.exportWh
  const e1 = current.energy.exportWh
  return add(totals, increase, e0 !== null && e1 !== null && e1 > e0 ? e1 - e0 : 0)
}

function add(
  totals: EnergyTotals,
  byIndexWh: Readonly<Record<number, number>>,
  exportWh: number,
): EnergyTotals {
  const sum = { ...totals.byIndexWh }
  for (const [k, v] of Object.entries(byIndexWh)) sum[Number(k)] = (sum[Number(k)] ?? 0) + v
  return { byIndexWh: sum, exportWh: totals.exportWh + exportWh }
}
