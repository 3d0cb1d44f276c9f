import type { TicReading } from '@linkyrpi/tic-core'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import { localStart } from './local-time.js'
import type { EnergyStats } from './protocol.js'
import { withUnstoredEnergy } from './unstored-energy.js'
import type { CountedEnergy } from './unstored-energy.js'

/**
 * The energy of `meter` today and this month (local `timeZone`) from the history store, plus
 * what the meter counted since the store's latest reading. `latest` is the latest reading
 * received (any meter); export figures (Wh) are given only when it is a producer's. `now` is
 * epoch ms. `live` is what the dashboard counted itself (its EnergyTracker): it stands for the
 * periods of which the store holds no reading yet (a fresh store before its first commit), and
 * `sinceDay` / `sinceMonth` then say from when it counted.
 */
export async function historyEnergy(
  history: HistoryStore,
  timeZone: string,
  meter: string,
  now: number,
  latest: TicReading | null,
  live: EnergyStats | null = null,
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
  const own = live?.meter === meter ? live : null
  const countedDay: CountedEnergy | null =
    own === null
      ? null
      : { since: own.sinceDay, byIndexWh: own.todayByIndexWh, exportWh: own.todayExportWh }
  const countedMonth: CountedEnergy | null =
    own === null
      ? null
      : { since: own.sinceMonth, byIndexWh: own.monthByIndexWh, exportWh: own.monthExportWh }
  const today0 = { byIndexWh: today, exportWh: todayExport }
  const d = withUnstoredEnergy(today0, stored, current, day, countedDay)
  const m = withUnstoredEnergy(
    { byIndexWh: monthly, exportWh: monthExport },
    stored,
    current,
    month,
    countedMonth,
  )
  // Nothing stored in a period: its figures are the dashboard's own count, since it started.
  const storedIn = (start: number): boolean => stored !== null && stored.t >= start
  const producer = latest?.meter.producer === true
  return {
    meter,
    source: 'history',
    sinceDay: storedIn(day) || countedDay === null ? day : Math.max(day, countedDay.since),
    sinceMonth:
      storedIn(month) || countedMonth === null ? month : Math.max(month, countedMonth.since),
    todayByIndexWh: d.byIndexWh,
    monthByIndexWh: m.byIndexWh,
    todayExportWh: producer ? d.exportWh : null,
    monthExportWh: producer ? m.exportWh : null,
  }
}
