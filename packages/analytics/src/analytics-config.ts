import { DEFAULT_CALENDAR } from './day-colours.js'
import type { CalendarAssumptions, TempoColour } from './day-colours.js'
import { parseSchedule, ScheduleError } from './day-profile.js'
import type { DailySchedule } from './day-profile.js'
import { DEFAULT_CO2_G_PER_KWH, DEFAULT_CO2_SOURCE } from './carbon.js'
import {
  mergeCatalogues,
  parseCatalogue,
  PriceCatalogueError,
  TRV_CATALOGUE,
} from './price-catalogue.js'
import type { CatalogueIssue, PriceCatalogue } from './price-catalogue.js'
import { parseLocalDate } from './paris-time.js'

/** Everything a report can be tuned with; {@link DEFAULT_SETTINGS} without a configuration. */
export interface AnalyticsSettings {
  readonly catalogue: PriceCatalogue
  /** Off-peak hours assumed for HP/HC on days the meter did not count them itself. */
  readonly offPeak: DailySchedule
  readonly offPeakText: string
  readonly calendar: CalendarAssumptions
  readonly co2GPerKWh: number
  readonly co2Source: string
  /** Margin above the highest power for the recommended subscription (0.1 = 10 %). */
  readonly powerMargin: number
}

/** The shipped catalogue, 22:00-06:00 off-peak, the Tempo/EJP rules, ADEME's factor, 10 % margin. */
export const DEFAULT_SETTINGS: AnalyticsSettings = {
  catalogue: TRV_CATALOGUE,
  offPeak: parseSchedule('22:00-06:00'),
  offPeakText: '22:00-06:00',
  calendar: DEFAULT_CALENDAR,
  co2GPerKWh: DEFAULT_CO2_G_PER_KWH,
  co2Source: DEFAULT_CO2_SOURCE,
  powerMargin: 0.1,
}

/** Thrown for a bad analytics configuration: every problem at once, with its path. */
export class AnalyticsConfigError extends Error {
  override readonly name = 'AnalyticsConfigError'
  constructor(
    readonly issues: readonly CatalogueIssue[],
    where: string,
  ) {
    super(
      `${where}: ${issues.length} problem(s) in the analytics configuration\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    )
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const KNOWN = ['prices', 'offPeak', 'tempo', 'ejp', 'co2', 'power']
const COLOURS: readonly string[] = ['blue', 'white', 'red']

/**
 * Reads the `analytics` section of a configuration document (a pipeline configuration without it
 * gives the defaults; a document without `stages` is read as the section itself). Every key is
 * optional:
 *
 * ```yaml
 * analytics:
 *   prices: { mode: extend, name: My offer, grids: [ { validFrom: 2026-03-01, options: { base: { energy: { base: 0.18 }, subscription: { "6": 15.0 } } } } ] }
 *   offPeak: "01:00-07:00,13:00-15:00"
 *   tempo: { redDays: 22, whiteDays: 43, days: { "2026-01-12": red } }
 *   ejp: { peakDays: 22, days: [ "2026-01-12" ] }
 *   co2: { gPerKWh: 52, source: ADEME }
 *   power: { margin: 0.1 }
 * ```
 *
 * Throws {@link AnalyticsConfigError} listing every problem with its path.
 */
export function parseAnalyticsConfig(doc: unknown, where = 'configuration'): AnalyticsSettings {
  const section = isRecord(doc) && 'analytics' in doc
  // A pipeline configuration (it has stages) without an analytics section uses the defaults.
  if (!section && isRecord(doc) && 'stages' in doc) return DEFAULT_SETTINGS
  const root = section ? doc.analytics : doc
  const base = section ? '$.analytics' : '$'
  if (root === null || root === undefined) return DEFAULT_SETTINGS
  const issues: CatalogueIssue[] = []
  if (!isRecord(root))
    throw new AnalyticsConfigError([{ path: base, message: 'expected an object' }], where)
  for (const k of Object.keys(root))
    if (!KNOWN.includes(k))
      issues.push({ path: `${base}.${k}`, message: `unknown key (expected ${KNOWN.join(', ')})` })
  let catalogue = TRV_CATALOGUE
  if (root.prices !== undefined) {
    const prices = root.prices
    const mode = isRecord(prices) ? (prices.mode ?? 'extend') : 'extend'
    if (mode !== 'extend' && mode !== 'replace')
      issues.push({ path: `${base}.prices.mode`, message: "expected 'extend' or 'replace'" })
    try {
      const user = parseCatalogue(prices, where)
      catalogue = mergeCatalogues(TRV_CATALOGUE, user, mode === 'replace' ? 'replace' : 'extend')
    } catch (error) {
      if (!(error instanceof PriceCatalogueError)) throw error
      for (const i of error.issues)
        issues.push({ path: `${base}.prices${i.path.slice(1)}`, message: i.message })
    }
  }
  let offPeak = DEFAULT_SETTINGS.offPeak
  let offPeakText = DEFAULT_SETTINGS.offPeakText
  if (root.offPeak !== undefined) {
    if (typeof root.offPeak !== 'string')
      issues.push({ path: `${base}.offPeak`, message: 'expected a text like "22:00-06:00"' })
    else
      try {
        offPeak = parseSchedule(root.offPeak)
        offPeakText = root.offPeak
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error
        issues.push({ path: `${base}.offPeak`, message: error.message })
      }
  }
  const count = (v: unknown, path: string, fallback: number, max: number): number => {
    if (v === undefined) return fallback
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
      issues.push({ path, message: `expected a whole number of days 0-${max}` })
      return fallback
    }
    return v
  }
  const tempo = isRecord(root.tempo) ? root.tempo : {}
  if (root.tempo !== undefined && !isRecord(root.tempo))
    issues.push({ path: `${base}.tempo`, message: 'expected an object' })
  const tempoDays: Record<string, TempoColour> = {}
  if (tempo.days !== undefined) {
    if (!isRecord(tempo.days))
      issues.push({
        path: `${base}.tempo.days`,
        message: 'expected { "YYYY-MM-DD": blue|white|red }',
      })
    else
      for (const [day, c] of Object.entries(tempo.days)) {
        if (parseLocalDate(day) === null)
          issues.push({ path: `${base}.tempo.days.${day}`, message: 'expected a date YYYY-MM-DD' })
        else if (typeof c !== 'string' || !COLOURS.includes(c))
          issues.push({ path: `${base}.tempo.days.${day}`, message: 'expected blue, white or red' })
        else tempoDays[day] = c as TempoColour
      }
  }
  const ejp = isRecord(root.ejp) ? root.ejp : {}
  if (root.ejp !== undefined && !isRecord(root.ejp))
    issues.push({ path: `${base}.ejp`, message: 'expected an object' })
  const ejpDays: string[] = []
  if (ejp.days !== undefined) {
    if (!Array.isArray(ejp.days))
      issues.push({ path: `${base}.ejp.days`, message: 'expected a list of dates YYYY-MM-DD' })
    else
      ejp.days.forEach((d: unknown, i) => {
        if (typeof d !== 'string' || parseLocalDate(d) === null)
          issues.push({ path: `${base}.ejp.days[${i}]`, message: 'expected a date YYYY-MM-DD' })
        else ejpDays.push(d)
      })
  }
  const calendar: CalendarAssumptions = {
    tempoRedDays: count(tempo.redDays, `${base}.tempo.redDays`, DEFAULT_CALENDAR.tempoRedDays, 151),
    tempoWhiteDays: count(
      tempo.whiteDays,
      `${base}.tempo.whiteDays`,
      DEFAULT_CALENDAR.tempoWhiteDays,
      200,
    ),
    ejpPeakDays: count(ejp.peakDays, `${base}.ejp.peakDays`, DEFAULT_CALENDAR.ejpPeakDays, 151),
    tempoDays,
    ejpDays,
  }
  const co2 = isRecord(root.co2) ? root.co2 : {}
  let co2GPerKWh = DEFAULT_CO2_G_PER_KWH
  if (co2.gPerKWh !== undefined) {
    if (typeof co2.gPerKWh !== 'number' || !(co2.gPerKWh >= 0) || co2.gPerKWh > 2000)
      issues.push({ path: `${base}.co2.gPerKWh`, message: 'expected g CO2e per kWh, 0-2000' })
    else co2GPerKWh = co2.gPerKWh
  }
  const co2Source =
    typeof co2.source === 'string'
      ? co2.source
      : co2.gPerKWh === undefined
        ? DEFAULT_CO2_SOURCE
        : 'configuration'
  const power = isRecord(root.power) ? root.power : {}
  let powerMargin = DEFAULT_SETTINGS.powerMargin
  if (power.margin !== undefined) {
    if (typeof power.margin !== 'number' || !(power.margin >= 0) || power.margin > 1)
      issues.push({ path: `${base}.power.margin`, message: 'expected a fraction 0-1 (0.1 = 10 %)' })
    else powerMargin = power.margin
  }
  if (issues.length > 0) throw new AnalyticsConfigError(issues, where)
  return { catalogue, offPeak, offPeakText, calendar, co2GPerKWh, co2Source, powerMargin }
}
