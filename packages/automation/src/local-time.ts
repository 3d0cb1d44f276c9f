import { parisLocalTime } from '@linkyrpi/tic-core'

/** An instant in the meter's legal time (Europe/Paris), the time every rule speaks. */
export interface ParisTime {
  /** Minutes since local midnight (0-1439, fractions dropped). */
  readonly minute: number
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number
  /** UTC offset in minutes (60 in winter, 120 in summer). */
  readonly offsetMinutes: number
}

/** Breaks an instant down in metropolitan French legal time (tic-core's `parisLocalTime`). */
export function parisTime(epochMs: number): ParisTime {
  const t = parisLocalTime(epochMs)
  return { minute: t.hour * 60 + t.minute, weekday: t.weekday, offsetMinutes: t.offsetMinutes }
}

/** ISO 8601 with the Paris offset, to the second: `2026-01-12T22:00:00+01:00`. */
export function parisIso(epochMs: number): string {
  const { offsetMinutes } = parisTime(epochMs)
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMinutes * 60_000)
    .toISOString()
    .slice(0, 19)
  return `${local}+0${String(offsetMinutes / 60)}:00`
}

/** `HH:MM` in Paris time. */
export function parisClock(epochMs: number): string {
  const m = parisTime(epochMs).minute
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}
