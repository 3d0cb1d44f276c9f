import { formatHorodate } from '@linkyrpi/tic-core'

/**
 * `n` as a TIC numeric field: floored, negative clamped to 0, zero-padded to `width` digits and
 * truncated to its last `width` digits when longer (a meter index wraps).
 */
export function pad(n: number, width: number): string {
  return String(Math.max(0, Math.floor(n)))
    .padStart(width, '0')
    .slice(-width)
}

/** `s` as a 16-character standard-mode text field (NGTF, LTARF): space-padded or truncated. */
export function text16(s: string): string {
  return s.padEnd(16, ' ').slice(0, 16)
}

/** The local legal time of epoch ms `at` as ISO 8601 with its offset (`2026-01-12T00:00:00+01:00`), read from the meter's horodate. */
export function isoLocalTime(at: number): string {
  const hd = formatHorodate(at)
  const off = hd[0] === 'E' ? '+02:00' : '+01:00'
  return `20${hd.slice(1, 3)}-${hd.slice(3, 5)}-${hd.slice(5, 7)}T${hd.slice(7, 9)}:${hd.slice(9, 11)}:${hd.slice(11, 13)}${off}`
}
