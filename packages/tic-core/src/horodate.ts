import { parisLocalTime } from './paris-time.js'

/** A decoded horodate `SAAMMJJhhmmss` (tic-spec.md §6.1). */
export interface Horodate {
  /** The 13 characters as sent. */
  readonly raw: string
  /** `'summer'` (E, UTC+2), `'winter'` (H, UTC+1), or null when the season character is a space. */
  readonly season: 'summer' | 'winter' | null
  /** True when the season letter is lower case: the meter clock is in degraded mode. */
  readonly degraded: boolean
  /** Local legal time without offset, `YYYY-MM-DDThh:mm:ss`. */
  readonly local: string
  /** UTC offset in minutes (+120 summer, +60 winter), or null when the season is unknown. */
  readonly offsetMinutes: number | null
  /** Local time with its offset (`2024-02-10T12:13:55+01:00`), or null when the season is unknown. */
  readonly iso: string | null
  /** The instant in epoch milliseconds, or null when the season is unknown. */
  readonly epochMs: number | null
}

/** Decodes a horodate; null when it is not `[HhEe ]` + 12 digits forming a valid date and time. */
export function parseHorodate(raw: string | undefined): Horodate | null {
  if (raw === undefined || raw.length !== 13 || !/^[HhEe ]\d{12}$/.test(raw)) return null
  const s = raw[0]!
  const num = (i: number): number => Number(raw.slice(i, i + 2))
  const year = 2000 + num(1)
  const month = num(3)
  const day = num(5)
  const hour = num(7)
  const minute = num(9)
  const second = num(11)
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  if (
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null
  }
  const season = s === 'E' || s === 'e' ? 'summer' : s === 'H' || s === 'h' ? 'winter' : null
  const degraded = s === 'e' || s === 'h'
  const p2 = (n: number): string => String(n).padStart(2, '0')
  const local = `${String(year)}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(minute)}:${p2(second)}`
  const offsetMinutes = season === 'summer' ? 120 : season === 'winter' ? 60 : null
  const iso = offsetMinutes === null ? null : `${local}+${p2(offsetMinutes / 60)}:00`
  const epochMs = offsetMinutes === null ? null : probe.getTime() - offsetMinutes * 60_000
  return { raw, season, degraded, local, offsetMinutes, iso, epochMs }
}

/**
 * The horodate of an instant in metropolitan French legal time, as a meter writes it (used by
 * the encoder and the simulator). DST follows the EU rule: last Sunday of March 01:00 UTC to
 * last Sunday of October 01:00 UTC.
 */
export function formatHorodate(epochMs: number, options: { degraded?: boolean } = {}): string {
  const t = parisLocalTime(epochMs)
  const p2 = (n: number): string => String(n).padStart(2, '0')
  const letter = t.offsetMinutes === 120 ? 'E' : 'H'
  return (
    (options.degraded === true ? letter.toLowerCase() : letter) +
    p2(t.year % 100) +
    p2(t.month) +
    p2(t.day) +
    p2(t.hour) +
    p2(t.minute) +
    p2(t.second)
  )
}
