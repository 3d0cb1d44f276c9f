export {
  HOUR_MS,
  DAY_MS,
  localDayStart,
  nextLocalDay,
  localDayKey,
  localMonthKey,
  localHour,
  localWeekday,
  parseLocalDate,
  addLocalDays,
  localDaysBetween,
} from './paris-time.js'
export {
  PRICED_OPTIONS,
  PERIODS,
  isPricedOption,
  periodOfIndex,
  indexLabel,
  periodLabel,
} from './options.js'
export type { PricedOption } from './options.js'
export {
  TRV_CATALOGUE,
  parseCatalogue,
  mergeCatalogues,
  pricesOn,
  PriceCatalogueError,
} from './price-catalogue.js'
export { energyPriceAt } from './energy-price.js'
export type {
  PriceCatalogue,
  PriceGrid,
  OptionPrices,
  DayPrices,
  CatalogueIssue,
} from './price-catalogue.js'
export { toDayEnergy, sumEnergy } from './day-energy.js'
export type { DayEnergy, DayEnergySet, EnergyUnit, EnergyTotal } from './day-energy.js'
export { contractTimeline, contractOnDay, pricedOption, subscribedKVA } from './contracts.js'
export type { ContractTerms, ContractSpan } from './contracts.js'
export { costOf, subscriptionPerDay } from './cost.js'
export type { CostBreakdown, CostLine, SubscriptionLine, UnpricedPart, DayCost } from './cost.js'
export {
  dayProfiles,
  shareOfDay,
  parseSchedule,
  hourFraction,
  ScheduleError,
} from './day-profile.js'
export type { DayProfiles, HourWeight, DailySchedule } from './day-profile.js'
export { tempoOdds, ejpOdds, DEFAULT_CALENDAR } from './day-colours.js'
export type { CalendarAssumptions, ColourOdds, TempoColour } from './day-colours.js'
export { compareOptions, periodEnergy } from './comparison.js'
export type { ComparisonInput, ComparisonRow } from './comparison.js'
export { powerAdvice, STANDARD_KVA } from './power-advice.js'
export type { PowerAdvice, PowerAdviceInput } from './power-advice.js'
export { standby } from './standby.js'
export type { Standby } from './standby.js'
export { phaseBalance } from './phase-balance.js'
export type { PhaseBalance } from './phase-balance.js'
export { production } from './production.js'
export type { Production } from './production.js'
export { carbon, DEFAULT_CO2_G_PER_KWH, DEFAULT_CO2_SOURCE } from './carbon.js'
export type { Carbon } from './carbon.js'
export { quantile } from './stats.js'
export { parseAnalyticsConfig, DEFAULT_SETTINGS, AnalyticsConfigError } from './analytics-config.js'
export type { AnalyticsSettings } from './analytics-config.js'
export { loadReportData, pickMeter, UnknownMeterError, APPLIANCE_DAYS } from './report-data.js'
export type { AnalyticsHistory, ReportData } from './report-data.js'
export { buildReport } from './report.js'
export type { Report, Coverage } from './report.js'
export { detectAppliances } from './appliances.js'
export type {
  Activation,
  ApplianceCluster,
  ApplianceUse,
  ApplianceKind,
  ApplianceOptions,
  ApplianceReport,
} from './appliances.js'
export { catalogueRows } from './catalogue-rows.js'
export type { CataloguePriceRow } from './catalogue-rows.js'
