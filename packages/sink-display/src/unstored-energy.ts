import type { TicReading } from '@linkyrpi/tic-core'

/** Energy per supplier index (Wh) and exported energy (Wh) over one period. */
export interface EnergyTotals {
  readonly byIndexWh: Record<number, number>
  readonly exportWh: number
}

/**
 * Adds to the store's energy of a period what the meter counted since the store's latest reading:
 * the store commits every few minutes (the SQLite sink's flush interval), the meter's indexes are
 * live. `stored` is the latest stored reading (time in epoch ms), `current` the latest reading
 * received; only the index increase is added (an index that went back adds nothing). Returns the
 * totals unchanged when the stored reading is older than `periodStart` (the increase would
 * include energy of the previous period) or when either reading is missing.
 */
export function withUnstoredEnergy(
  totals: EnergyTotals,
  stored: { readonly t: number; readonly reading: TicReading } | null,
  current: TicReading | null,
  periodStart: number,
): EnergyTotals {
  if (stored === null || current === null || stored.t < periodStart) return totals
  const byIndexWh = { ...totals.byIndexWh }
  for (const [k, v] of Object.entries(current.energy.importByIndexWh)) {
    const before = stored.reading.energy.importByIndexWh[Number(k)]
    if (before === undefined || v <= before) continue
    byIndexWh[Number(k)] = (byIndexWh[Number(k)] ?? 0) + (v - before)
  }
  const e0 = stored.reading.energy.exportWh
  const e1 = current.energy.exportWh
  return {
    byIndexWh,
    exportWh: totals.exportWh + (e0 !== null && e1 !== null && e1 > e0 ? e1 - e0 : 0),
  }
}
