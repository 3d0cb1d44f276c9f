import type { TicReading } from '@linkyrpi/tic-core'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import { localStart } from './local-time.js'
import type { EnergyStats } from './protocol.js'
import { withUnstoredEnergy } from './unstored-energy.js'

/**
 * The energy of `meter` today and this month (local `timeZone`) from the history store, plus
 * what the meter counted since the store's latest reading. `latest` is the latest reading
 * received (any meter); export figures (Wh) are given only when it is a producer's. `now` is
 * epoch ms.
 */
export async function historyEnergy(
  history: HistoryStore,
  timeZone: string,
  meter: string,
  now: number,
  latest: TicReading | null,
): Promise<EnergyStats> {
  const day = localStart(now, timeZone, 'day')
  const month = localStart(now, timeZone, 'month')
  const [days, stored] = await Promise.all([
    history.energy(meter, month, now + 1, 'day'),
    history.latest(meter),
  ])
  const today: Record<number, number> = {}
  const monthly: Record<number, number> = {}
  let todayExport = 0
  let monthExport = 0
  for (const b of days) {
    for (const [k, v] of Object.entries(b.byIndexWh)) {
      monthly[Number(k)] = (monthly[Number(k)] ?? 0) + v
      if (b.start === day) today[Number(k)] = (today[Number(k)] ?? 0) + v
    }
    monthExport += b.exportWh
    if (b.start === day) todayExport += b.exportWh
  }
  // The store commits every few minutes: add what the meter counted since its latest reading.
  const current = latest?.meter.id === meter ? latest : null
  const d = withUnstoredEnergy({ byIndexWh: today, exportWh: todayExport }, stored, current, day)
  const m = withUnstoredEnergy(
    { byIndexWh: monthly, exportWh: monthExport },
    stored,
    current,
    month,
  )
  const producer = latest?.meter.producer === true
  return {
    meter,
    source: 'history',
    sinceDay: day,
    sinceMonth: month,
    todayByIndexWh: d.byIndexWh,
    monthByIndexWh: m.byIndexWh,
    todayExportWh: producer ? d.exportWh : null,
    monthExportWh: producer ? m.exportWh : null,
  }
}
