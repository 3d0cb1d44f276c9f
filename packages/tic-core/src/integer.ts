/**
 * The non-negative integer written in decimal digits in `value`, or null when `value` is empty or
 * holds anything but digits (TIC numbers are zero-padded: `'00263'` → 263).
 */
export function parseInteger(value: string | undefined): number | null {
  if (value === undefined || value.length === 0 || value.length > 15) return null
  let n = 0
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) return null
    n = n * 10 + d
  }
  return n
}
