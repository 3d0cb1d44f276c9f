import { lang, t } from './i18n.js'

const cache = new Map<string, Intl.NumberFormat>()

function nf(digits: number): Intl.NumberFormat {
  const key = `${lang()}|${String(digits)}`
  let f = cache.get(key)
  if (f === undefined) {
    f = new Intl.NumberFormat(lang() === 'fr' ? 'fr-FR' : 'en-GB', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    cache.set(key, f)
  }
  return f
}

/** A number with a unit, or an em dash for null. */
export function num(value: number | null | undefined, unit: string, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return `${nf(digits).format(value)} ${unit}`
}

/** Wh as kWh. */
export function kwh(wh: number | null | undefined, digits = 3): string {
  return wh === null || wh === undefined ? '—' : num(wh / 1000, 'kWh', digits)
}

/** A percentage of a ratio. */
export function pct(ratio: number): string {
  // French puts a (narrow no-break) space before %, English none.
  return lang() === 'fr' ? num(ratio * 100, '%') : `${figure(ratio * 100)}%`
}

let timeZone = 'Europe/Paris'

/** The IANA time zone the dashboard shows times in (from the server's configuration). */
export function currentTimeZone(): string {
  return timeZone
}

/** Sets the time zone of {@link clock}. */
export function setTimeZone(tz: string): void {
  timeZone = tz
}

/** Local time HH:MM:SS (and the date when not today). */
export function clock(epochMs: number, withDate = false): string {
  const o: Intl.DateTimeFormatOptions = {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }
  if (withDate) Object.assign(o, { day: '2-digit', month: '2-digit' })
  return new Date(epochMs).toLocaleString(lang() === 'fr' ? 'fr-FR' : 'en-GB', o)
}

/** Local date (day and month, or month and year). */
export function day(epochMs: number, unit: 'day' | 'month' = 'day'): string {
  const o: Intl.DateTimeFormatOptions =
    unit === 'day'
      ? { timeZone, weekday: 'short', day: '2-digit', month: '2-digit' }
      : { timeZone, month: 'short', year: 'numeric' }
  return new Date(epochMs).toLocaleDateString(lang() === 'fr' ? 'fr-FR' : 'en-GB', o)
}

/** A duration such as `2 min 5 s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${String(s)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 === 0 ? `${String(m)} min` : `${String(m)} min ${String(s % 60)} s`
  return m % 60 === 0
    ? `${String(m / 60)} h`
    : `${String(Math.floor(m / 60))} h ${String(m % 60)} min`
}

/** Human name of a supplier index for an option (index numbering of Enedis-NOI-CPT_54E §6.1). */
export function indexName(option: string | null, n: number): string {
  const tempo = ['', 'HC Bleu', 'HP Bleu', 'HC Blanc', 'HP Blanc', 'HC Rouge', 'HP Rouge']
  switch (option) {
    case 'base':
      return n === 1 ? t('period.base') : t('index.n', { n })
    case 'hc':
      return n === 1 ? t('period.hc') : n === 2 ? t('period.hp') : t('index.n', { n })
    case 'ejp':
      return n === 1 ? t('period.hn') : n === 2 ? t('period.pm') : t('index.n', { n })
    case 'tempo':
      return tempo[n] ?? t('index.n', { n })
    default:
      return t('index.n', { n })
  }
}

/** Short local time of day (HH:MM, or HH:MM:SS with `seconds`). */
export function hhmm(epochMs: number, seconds = false): string {
  const o: Intl.DateTimeFormatOptions = { timeZone, hour: '2-digit', minute: '2-digit' }
  if (seconds) o.second = '2-digit'
  return new Date(epochMs).toLocaleTimeString(lang() === 'fr' ? 'fr-FR' : 'en-GB', o)
}

/** Tick labels of a uPlot time axis (seconds), in the dashboard's language and time zone. */
export function timeTicks(_u: unknown, splits: number[]): string[] {
  const span = splits.length > 1 ? splits[splits.length - 1]! - splits[0]! : 0
  return splits.map((s) => (span > 2 * 86_400 ? day(s * 1000) : hhmm(s * 1000, span < 120)))
}

/** Tick labels of a uPlot value axis in the dashboard's language (`4 000`, not `4,000`). */
export function axisNumbers(_u: unknown, splits: number[]): string[] {
  return splits.map((v) => nf(0).format(v))
}

/** A number alone in the dashboard's language, or an em dash for null. */
export function figure(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : nf(digits).format(value)
}

/** A duration to come, as `1 h 12` or `25 min` (minutes rounded up). */
export function countdown(ms: number): string {
  const m = Math.max(1, Math.ceil(ms / 60_000))
  if (m < 60) return `${String(m)} min`
  return `${String(Math.floor(m / 60))} h ${String(m % 60).padStart(2, '0')}`
}

/** The supplier indexes an option counts on (Enedis-NOI-CPT_54E §6.1), or null when unknown. */
export function contractIndexes(option: string | null): readonly number[] | null {
  switch (option) {
    case 'base':
      return [1]
    case 'hc':
    case 'ejp':
      return [1, 2]
    case 'tempo':
      return [1, 2, 3, 4, 5, 6]
    default:
      return null
  }
}

/** CSS class of an index's colour: Tempo blue / white / red shades, EJP green / red, else by number. */
export function indexClass(option: string | null, n: number): string {
  if (option === 'tempo' && n >= 1 && n <= 6) return `t${String(n)}`
  if (option === 'ejp' && (n === 1 || n === 2)) return `e${String(n)}`
  return `i${String(n)}`
}
