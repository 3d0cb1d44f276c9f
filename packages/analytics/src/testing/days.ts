import type { EnergyBucket } from '@linkyrpi/tic-core/stage'
import type { ContractSpan } from '../contracts.js'
import type { DayEnergy } from '../day-energy.js'
import { parseLocalDate } from '../paris-time.js'

/** A day of energy for tests: `byIndexKWh` per supplier index, import = their sum. */
export function testDay(day: string, byIndexKWh: Record<number, number>, exportKWh = 0): DayEnergy {
  const start = parseLocalDate(day)
  if (start === null) throw new Error(`bad day ${day}`)
  const byIndexWh: Record<number, number> = {}
  let importWh = 0
  for (const [i, kwh] of Object.entries(byIndexKWh)) {
    byIndexWh[Number(i)] = kwh * 1000
    importWh += kwh * 1000
  }
  return { start, day, byIndexWh, importWh, exportWh: exportKWh * 1000 }
}

/** The same day as the store's `EnergyBucket`. */
export function testBucket(
  day: string,
  byIndexKWh: Record<number, number>,
  exportKWh = 0,
): EnergyBucket {
  const d = testDay(day, byIndexKWh, exportKWh)
  return {
    start: d.start,
    bucket: 'day',
    byIndexWh: d.byIndexWh,
    importWh: d.importWh,
    exportWh: d.exportWh,
  }
}

/** One contract for the whole time. */
export function onlyContract(option: string, kva: number): ContractSpan[] {
  return [{ from: -Infinity, option, optionLabel: null, subscribedVA: kva * 1000 }]
}
