/**
 * The TIC checksum of `bytes[start, end)`: `(sum & 0x3F) + 0x20`, a character in `' '`..`'_'`
 * (tic-spec.md §3.1). Callers choose the area: historique mode 1 sums `label SP data`, standard
 * and historique mode 2 also sum the separator that precedes the checksum.
 */
export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0
  for (let i = start; i < end; i++) sum += bytes[i]! & 0x7f
  return (sum & 0x3f) + 0x20
}

/** The checksum of a string of 7-bit characters (see {@link checksum}). */
export function checksumOfString(text: string): number {
  let sum = 0
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i) & 0x7f
  return (sum & 0x3f) + 0x20
}

/** Historique checksum variants (tic-spec.md §3.3): mode 1 is the documented one. */
export type HistoriqueChecksumMode = 'mode1' | 'mode2'
