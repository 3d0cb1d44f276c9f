import { parseHorodate } from './horodate.js'
import type { Horodate } from './horodate.js'
import { memoByString } from './memo-last.js'

/**
 * Creates a {@link parseHorodate} for one meter's clock, which changes every frame: a horodate
 * in the same minute as the last one parsed in full is derived from it without date arithmetic
 * (same result; the seconds `00`-`59` are the only characters that differ). Others are parsed
 * and memoised (64 entries). The state is the caller's: each reading builder owns one, so two
 * meters decoded side by side do not evict each other's minute.
 */
export function createHorodateCache(): (raw: string | undefined) => Horodate | null {
  const parseRepeated = memoByString(parseHorodate, 64)
  /** The last horodate parsed in full, and what every horodate of the same minute shares with it. */
  let base: Horodate | null = null
  /** `SAAMMJJhhmm`: the first 11 characters of `base.raw`. */
  let minute = ''
  /** `YYYY-MM-DDThh:mm:` of `base.local`. */
  let localMinute = ''
  /** `+01:00` or `+02:00` (the end of `base.iso`), or null. */
  let offset: string | null = null
  /** `base.epochMs` at second 0 of its minute, or null. */
  let minuteEpochMs: number | null = null

  return (raw) => {
    if (base !== null && raw !== undefined && raw.length === 13 && raw.startsWith(minute)) {
      if (raw === base.raw) return base
      const tens = raw.charCodeAt(11) - 0x30
      const units = raw.charCodeAt(12) - 0x30
      if (tens >= 0 && tens <= 5 && units >= 0 && units <= 9) {
        const local = localMinute + raw.slice(11)
        return {
          raw,
          season: base.season,
          degraded: base.degraded,
          local,
          offsetMinutes: base.offsetMinutes,
          iso: offset === null ? null : local + offset,
          epochMs: minuteEpochMs === null ? null : minuteEpochMs + (tens * 10 + units) * 1000,
        }
      }
    }
    const h = parseRepeated(raw)
    if (h !== null) {
      base = h
      minute = h.raw.slice(0, 11)
      localMinute = h.local.slice(0, 17)
      offset = h.iso === null ? null : h.iso.slice(19)
      const seconds = Number(h.raw.slice(11))
      minuteEpochMs = h.epochMs === null ? null : h.epochMs - seconds * 1000
    }
    return h
  }
}
