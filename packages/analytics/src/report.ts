import type { AnalyticsSettings } from './analytics-config.js'
import { detectAppliances } from './appliances.js'
import type { ApplianceCluster, ApplianceUse } from './appliances.js'
import { carbon } from './carbon.js'
import type { Carbon } from './carbon.js'
import { compareOptions } from './comparison.js'
import type { ComparisonRow } from './comparison.js'
import { contractOnDay, contractTimeline, pricedOption, subscribedKVA } from './contracts.js'
import { costOf } from './cost.js'
import type { CostBreakdown } from './cost.js'
import { sumEnergy, toDayEnergy } from './day-energy.js'
import { dayProfiles } from './day-profile.js'
import { indexLabel } from './options.js'
import { localDayKey, localDaysBetween } from './paris-time.js'
import { phaseBalance } from './phase-balance.js'
import type { PhaseBalance } from './phase-balance.js'
import { lastDayOf, powerAdvice } from './power-advice.js'
import type { PowerAdvice } from './power-advice.js'
import { production } from './production.js'
import type { Production } from './production.js'
import type { ReportData } from './report-data.js'
import { standby } from './standby.js'
import type { Standby } from './standby.js'

/** How much of the range the store has data for. */
export interface Coverage {
  /** Local days in the range. */
  readonly days: number
  /** Days with index data. */
  readonly daysWithData: number
  /** daysWithData / days (0-1). */
  readonly share: number
  /** Days of the range without any index data (`YYYY-MM-DD`). */
  readonly missingDays: readonly string[]
  /** Days left out because an index went backwards (meter replaced, register reset). */
  readonly resetDays: readonly string[]
  /** Reception gaps (`gap` events) in the range and their total length, hours. */
  readonly gaps: number
  readonly gapHours: number
  readonly firstDay: string | null
  readonly lastDay: string | null
  readonly note: string
}

/** The report, as `linkyrpi report --format json` prints it (docs/analytics.md: a stable contract). */
export interface Report {
  readonly meter: string
  /** First local day (inclusive) and last (exclusive), `YYYY-MM-DD`. */
  readonly from: string
  readonly to: string
  readonly timeZone: 'Europe/Paris'
  readonly coverage: Coverage
  readonly contracts: readonly {
    readonly from: string | null
    readonly option: string | null
    readonly optionLabel: string | null
    readonly subscribedKVA: number | null
  }[]
  readonly energy: {
    readonly importWh: number
    readonly exportWh: number
    readonly byIndex: readonly {
      readonly index: number
      readonly label: string
      readonly wh: number
    }[]
    readonly byDay: readonly {
      readonly day: string
      readonly importWh: number
      readonly exportWh: number
      readonly byIndexWh: Readonly<Record<number, number>>
    }[]
    readonly byMonth: readonly {
      readonly month: string
      readonly importWh: number
      readonly exportWh: number
      readonly days: number
    }[]
  }
  readonly cost: Omit<CostBreakdown, 'byDay'> & {
    readonly byDay: CostBreakdown['byDay']
    readonly catalogue: string
    readonly sources: readonly string[]
  }
  readonly comparison: readonly ComparisonRow[]
  readonly comparisonAssumptions: {
    readonly offPeak: string
    readonly tempoRedDays: number
    readonly tempoWhiteDays: number
    readonly ejpPeakDays: number
    readonly note: string
  }
  readonly power: PowerAdvice
  readonly standby: Standby
  readonly phases: PhaseBalance | null
  readonly production: Production | null
  /** First local day the appliance breakdown covers (the last 31 days of the range at most). */
  readonly appliancesFrom: string
  readonly appliances: readonly ApplianceUse[]
  readonly applianceClusters: readonly ApplianceCluster[]
  readonly co2: Carbon
}

/** Computes a report from plain data (no I/O). */
export function buildReport(data: ReportData, settings: AnalyticsSettings): Report {
  const { days, resetDays } = toDayEnergy(data.days)
  const contracts = contractTimeline(data.events, data.latestContract)
  const current = contracts[contracts.length - 1] ?? null
  const kva = subscribedKVA(current)
  const option = pricedOption(current)
  const rangeDays = localDaysBetween(data.from, data.to).map(localDayKey)
  const withData = new Set(days.map((d) => d.day))
  const gaps = data.events.filter((e) => e.kind === 'gap' && e.t >= data.from && e.t < data.to)
  const gapMs = gaps.reduce((s, e) => s + (typeof e.detail.ms === 'number' ? e.detail.ms : 0), 0)

  const byIndex = new Map<string, { index: number; label: string; wh: number }>()
  for (const d of days) {
    const o = contractOnDay(contracts, d.start)?.option ?? null
    for (const [i, wh] of Object.entries(d.byIndexWh)) {
      const index = Number(i)
      const label = indexLabel(o, index)
      const k = `${index}|${label}`
      const e = byIndex.get(k)
      if (e === undefined) byIndex.set(k, { index, label, wh })
      else e.wh += wh
    }
  }
  const cost = costOf(days, contracts, settings.catalogue)
  const importWh = days.reduce((s, d) => s + d.importWh, 0)
  const profiles = dayProfiles(data.hourly)
  const comparison = compareOptions({
    days,
    contracts,
    catalogue: settings.catalogue,
    profiles,
    offPeak: settings.offPeak,
    calendar: settings.calendar,
    kva,
    currentOption: option,
  })
  const dayImport = new Map(days.map((d) => [d.day, d.importWh]))
  const dayPrice = new Map<string, number | null>()
  for (const c of cost.byDay) {
    const wh = dayImport.get(c.day) ?? 0
    dayPrice.set(c.day, c.energyEur === null || wh === 0 ? null : c.energyEur / (wh / 1000))
  }
  const offPeakStarts = data.events
    .filter((e) => e.kind === 'period-change' && e.detail.code === 'hc' && e.t >= data.from)
    .map((e) => e.t)
  const appliances = detectAppliances(data.minutes, {
    offPeak: settings.offPeak,
    offPeakStarts,
    priceOfDay: (d) => dayPrice.get(d) ?? null,
  })
  const energyWh = cost.lines.reduce((s, l) => s + l.wh, 0)
  const avgPrice =
    cost.energyEur === null || energyWh === 0 ? null : cost.energyEur / (energyWh / 1000)
  return {
    meter: data.meter.id,
    from: localDayKey(data.from),
    to: localDayKey(data.to),
    timeZone: 'Europe/Paris',
    coverage: {
      days: rangeDays.length,
      daysWithData: days.length,
      share: rangeDays.length === 0 ? 0 : days.length / rangeDays.length,
      missingDays: rangeDays.filter((d) => !withData.has(d)),
      resetDays,
      gaps: gaps.length,
      gapHours: gapMs / 3_600_000,
      firstDay: days[0]?.day ?? null,
      lastDay: days[days.length - 1]?.day ?? null,
      note: 'Energy is exact (index differences). The energy of a day without data is counted on the next day with data; the subscription runs every day from the first to the last day with data.',
    },
    contracts: contracts.map((c) => ({
      from: Number.isFinite(c.from) ? new Date(c.from).toISOString() : null,
      option: c.option,
      optionLabel: c.optionLabel,
      subscribedKVA: subscribedKVA(c),
    })),
    energy: {
      importWh,
      exportWh: days.reduce((s, d) => s + d.exportWh, 0),
      byIndex: [...byIndex.values()].sort(
        (a, b) => a.index - b.index || (a.label < b.label ? -1 : 1),
      ),
      byDay: days.map((d) => ({
        day: d.day,
        importWh: d.importWh,
        exportWh: d.exportWh,
        byIndexWh: d.byIndexWh,
      })),
      byMonth: sumEnergy(days, 'month').map((m) => ({
        month: m.key,
        importWh: m.importWh,
        exportWh: m.exportWh,
        days: m.days,
      })),
    },
    cost: { ...cost, catalogue: settings.catalogue.name, sources: settings.catalogue.sources },
    comparison,
    comparisonAssumptions: {
      offPeak: settings.offPeakText,
      tempoRedDays: settings.calendar.tempoRedDays,
      tempoWhiteDays: settings.calendar.tempoWhiteDays,
      ejpPeakDays: settings.calendar.ejpPeakDays,
      note: "Options the meter was on are priced from its own indexes; others split each day's exact energy by the hourly power curve, the off-peak hours and the expected Tempo/EJP calendar (known days from the configuration win).",
    },
    power: powerAdvice({
      daily: data.daily,
      hourly: data.hourly,
      events: data.events.filter((e) => e.t >= data.from && e.t < data.to),
      kva,
      option,
      phases: data.meter.phases,
      catalogue: settings.catalogue,
      priceDay: lastDayOf(data.to),
      margin: settings.powerMargin,
    }),
    standby: standby(data.hourly, avgPrice),
    phases: data.meter.phases === 3 ? phaseBalance(data.hourly, kva) : null,
    production: production(days, data.meter.producer),
    appliancesFrom: localDayKey(data.minutesFrom),
    appliances: appliances.uses,
    applianceClusters: appliances.clusters,
    co2: carbon(importWh, settings.co2GPerKWh, settings.co2Source),
  }
}
