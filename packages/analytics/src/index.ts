export {
  localDayStart,
  localDayKey,
  localMonthKey,
  parseLocalDate,
  addLocalDays,
} from './paris-time.js'
export { PERIODS, isPricedOption, indexLabel } from './options.js'

export { TRV_CATALOGUE, parseCatalogue, mergeCatalogues, pricesOn } from './price-catalogue.js'
export { energyPriceAt } from './energy-price.js'
export type { PriceCatalogue } from './price-catalogue.js'
export { toDayEnergy, sumEnergy } from './day-energy.js'

export { contractTimeline, subscribedKVA } from './contracts.js'

export { costOf, subscriptionPerDay } from './cost.js'

export { compareOptions } from './comparison.js'

export { powerAdvice } from './power-advice.js'

export { standby } from './standby.js'
export type { Standby } from './standby.js'
export { phaseBalance } from './phase-balance.js'

export { production } from './production.js'
export type { Production } from './production.js'
export { carbon } from './carbon.js'
// The appliance detector and schedules: bench/appliance-eval.mjs (`pnpm bench analytics`).
export { detectAppliances } from './appliances.js'
export { parseSchedule } from './day-profile.js'

export { parseAnalyticsConfig, DEFAULT_SETTINGS, AnalyticsConfigError } from './analytics-config.js'
export type { AnalyticsSettings } from './analytics-config.js'
export { loadReportData, pickMeter, UnknownMeterError } from './report-data.js'
export type { AnalyticsHistory } from './report-data.js'
export { buildReport } from './report.js'
export type { Report, Coverage } from './report.js'

export { catalogueRows } from './catalogue-rows.js'
