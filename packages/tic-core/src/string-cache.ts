/**
 * A bounded, direct-mapped cache of short latin1 strings keyed by their bytes, so that the
 * labels and values a meter repeats frame after frame ("PAPP", "00450", "HC..") are not
 * re-created for every group. Fixed memory: `SIZE` slots; a collision simply replaces the slot.
 */
const SIZE = 4096
const MAX_LEN = 32
const strings: (string | undefined)[] = new Array<string | undefined>(SIZE).fill(undefined)

function build(bytes: Uint8Array, start: number, end: number): string {
  // Short strings (most values) by concatenation: no subarray view to allocate.
  if (end - start <= 12) {
    let s = ''
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!)
    return s
  }
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[])
}

/** The latin1 string of `bytes[start, end)`, shared with earlier calls for the same bytes. */
export function cachedLatin1(bytes: Uint8Array, start: number, end: number): string {
  const len = end - start
  if (len <= 0) return ''
  if (len > MAX_LEN) return build(bytes, start, end)
  let h = len
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0
  const slot = (h ^ (h >>> 13)) & (SIZE - 1)
  const hit = strings[slot]
  if (hit !== undefined && hit.length === len) {
    let same = true
    for (let i = 0; i < len; i++) {
      if (hit.charCodeAt(i) !== bytes[start + i]) {
        same = false
        break
      }
    }
    if (same) return hit
  }
  const s = build(bytes, start, end)
  strings[slot] = s
  return s
}
