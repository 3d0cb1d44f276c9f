import {
  addLocalDays,
  buildReport,
  contractTimeline,
  costOf,
  DEFAULT_SETTINGS,
  energyPriceAt,
  toDayEnergy,
  indexLabel,
  isPricedOption,
  loadReportData,
  localDayKey,
  localDayStart,
  localMonthKey,
} from '@linkyrpi/analytics'
import type { AnalyticsSettings, Report } from '@linkyrpi/analytics'
import type { TicReading } from '@linkyrpi/tic-core'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import type { ApiAnswer } from './history-api.js'
import type { EnergyStats } from './protocol.js'
import { unstoredCost } from './unstored-cost.js'
import type { UnstoredCost } from './unstored-cost.js'

/** Energy and cost of one range of the Costs screen. */
export interface CostsPeriod {
  readonly kwh: number
  /** Energy + subscription, €; null when part of it is unpriced. */
  readonly eur: number | null
  readonly days: number
}

/** What `GET /api/costs?meter=ID` answers: the Costs screen's data. */
export interface CostsSummary {
  readonly meter: string
  readonly today: CostsPeriod
  readonly yesterday: CostsPeriod
  readonly thisMonth: CostsPeriod
  readonly lastMonth: CostsPeriod
  /** This month per index: label, kWh, €/kWh and €. */
  readonly byPeriod: readonly {
    readonly label: string
    readonly kwh: number
    readonly eurPerKWh: number
    readonly eur: number
  }[]
  /** The price counting now, and the other period of the contract (what the next one will cost). */
  readonly currentPrice: { readonly label: string; readonly eurPerKWh: number } | null
  readonly nextPrice: { readonly label: string; readonly eurPerKWh: number } | null
  readonly comparison: Report['comparison']
  readonly power: Report['power']
  readonly appliances: Report['appliances']
  /** First day of the data the comparison, power and appliances cover. */
  readonly since: string
}

const sumPeriod = (r: Report, from: string, to: string): CostsPeriod => {
  let wh = 0
  let eur: number | null = 0
  let days = 0
  const cost = new Map(r.cost.byDay.map((d) => [d.day, d]))
  for (const d of r.energy.byDay) {
    if (d.day < from || d.day >= to) continue
    days++
    wh += d.importWh
    const c = cost.get(d.day)
    eur =
      eur === null || c === undefined || c.energyEur === null || c.subscriptionEur === null
        ? null
        : eur + c.energyEur + c.subscriptionEur
  }
  return { kwh: wh / 1000, eur: days === 0 ? null : eur, days }
}

/** A period plus the energy the store does not hold yet (its € is null when a day is unpriced or missing). */
const plusUnstored = (p: CostsPeriod, u: UnstoredCost): CostsPeriod =>
  u.wh === 0
    ? p
    : {
        kwh: p.kwh + u.wh / 1000,
        eur: p.eur === null || u.eur === null ? null : p.eur + u.eur,
        days: p.days,
      }

/** What the dashboard knows beyond the store: the latest reading received and its own energy count. */
export interface CostsLive {
  /** The latest reading received (any meter; used only when it is the requested meter's). */
  readonly current: TicReading | null
  /** The dashboard's own count since it started (stands for a period the store holds nothing of). */
  readonly counted: EnergyStats | null
}

/**
 * The Costs screen's summary: one report from the first day of last month to tomorrow (default
 * prices), cut into today, yesterday, this month and last month; this month per index; the price
 * counting now and the other period's; the comparison, power advice and appliances over that range.
 * Today and this month (and this month's lines per index) include what the meter counted since the
 * store's latest reading (`live`; the embedded store commits every few minutes), priced at the
 * price of `now`, so that they agree with the Live screen's energy of today.
 */
export async function costsApi(
  store: HistoryStore | undefined,
  q: URLSearchParams,
  now: number,
  settings: AnalyticsSettings = DEFAULT_SETTINGS,
  live: CostsLive = { current: null, counted: null },
): Promise<ApiAnswer> {
  if (store === undefined) return { status: 404, body: { error: 'no history store configured' } }
  const meters = await store.meters()
  const id = q.get('meter')
  const meter = id === null ? meters[0] : meters.find((m) => m.id === id)
  if (meter === undefined)
    return {
      status: 404,
      body: { error: id === null ? 'no meter in the store yet' : `unknown meter: ${id}` },
    }
  const today = localDayStart(now)
  const tomorrow = addLocalDays(today, 1)
  const monthKey = localMonthKey(today)
  const monthStart = localDayStart(Date.parse(`${monthKey}-01T12:00:00Z`))
  const lastMonthStart = localDayStart(monthStart - 20 * 86_400_000)
  const from = localDayStart(Date.parse(`${localMonthKey(lastMonthStart)}-01T12:00:00Z`))
  const data = await loadReportData(store, meter, from, tomorrow)
  const r = buildReport(data, settings)
  const todayKey = localDayKey(today)
  // This month alone, so that a line never carries days of last month.
  const monthDays = toDayEnergy(data.days).days.filter((d) => d.day >= `${monthKey}-01`)
  const monthCost = costOf(
    monthDays,
    contractTimeline(data.events, data.latestContract),
    settings.catalogue,
  )
  const latest = await store.latest(meter.id)
  const current = live.current?.meter.id === meter.id ? live.current : null
  const own = live.counted?.meter === meter.id ? live.counted : null
  const unstoredToday = unstoredCost(
    settings.catalogue,
    now,
    latest,
    current,
    today,
    own === null
      ? null
      : { since: own.sinceDay, byIndexWh: own.todayByIndexWh, exportWh: own.todayExportWh },
  )
  const unstoredMonth = unstoredCost(
    settings.catalogue,
    now,
    latest,
    current,
    monthStart,
    own === null
      ? null
      : { since: own.sinceMonth, byIndexWh: own.monthByIndexWh, exportWh: own.monthExportWh },
  )
  // This month per index: the stored lines, then what is not stored yet (at the price of now).
  const byPeriod = new Map<string, { label: string; kwh: number; eurPerKWh: number; eur: number }>()
  for (const l of [...monthCost.lines, ...unstoredMonth.lines]) {
    if (l.eurPerKWh === null || l.eur === null) continue
    const e = byPeriod.get(l.label)
    if (e === undefined)
      byPeriod.set(l.label, {
        label: l.label,
        kwh: l.wh / 1000,
        eurPerKWh: l.eurPerKWh,
        eur: l.eur,
      })
    else {
      e.kwh += l.wh / 1000
      e.eur += l.eur
      e.eurPerKWh = l.eurPerKWh
    }
  }
  const option = latest?.reading.contract.option ?? null
  const kvaVA = latest?.reading.contract.subscribedVA ?? null
  const index = latest?.reading.period.index ?? null
  let currentPrice: CostsSummary['currentPrice'] = null
  let nextPrice: CostsSummary['nextPrice'] = null
  if (isPricedOption(option) && index !== null) {
    const price = energyPriceAt(settings.catalogue, now, option, index, kvaVA)
    if (price !== null) currentPrice = { label: indexLabel(option, index), eurPerKWh: price }
    // The other period of the pair (HP ↔ HC, normal ↔ peak); Base has one price.
    const other = option === 'base' ? null : index % 2 === 1 ? index + 1 : index - 1
    const otherPrice =
      other === null ? null : energyPriceAt(settings.catalogue, now, option, other, kvaVA)
    if (other !== null && otherPrice !== null)
      nextPrice = { label: indexLabel(option, other), eurPerKWh: otherPrice }
  }
  const summary: CostsSummary = {
    meter: meter.id,
    today: plusUnstored(sumPeriod(r, todayKey, localDayKey(tomorrow)), unstoredToday),
    yesterday: sumPeriod(r, localDayKey(addLocalDays(today, -1)), todayKey),
    thisMonth: plusUnstored(sumPeriod(r, `${monthKey}-01`, localDayKey(tomorrow)), unstoredMonth),
    lastMonth: sumPeriod(r, localDayKey(from), `${monthKey}-01`),
    byPeriod: [...byPeriod.values()],
    currentPrice,
    nextPrice,
    comparison: r.comparison,
    power: r.power,
    appliances: r.appliances,
    since: r.coverage.firstDay ?? localDayKey(from),
  }
  return { status: 200, body: summary }
}
