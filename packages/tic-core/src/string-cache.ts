/**
 * A bounded, direct-mapped cache of short latin1 strings keyed by their bytes, so that the
 * labels and values a meter repeats frame after frame ("PAPP", "00450", "HC..") are not
 * re-created for every group. Fixed memory: `SIZE` slots; a collision simply replaces the slot.
 */
const SIZE = 4096
const MAX_LEN = 32
const strings: (string | undefined)[] = new Array<string | undefined>(SIZE).fill(undefined)

function build(bytes: Uint8Array, start: number, end: number): string {
  // Short strings (most values) in one call, without a subarray view or a concatenation per
  // character.
  const b = bytes
  const s = start
  switch (end - start) {
    case 1:
      return String.fromCharCode(b[s]!)
    case 2:
      return String.fromCharCode(b[s]!, b[s + 1]!)
    case 3:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!)
    case 4:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!)
    case 5:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!)
    case 6:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!)
    case 7:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
      )
    case 8:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
      )
    case 9:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
      )
    case 10:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
      )
    case 11:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
      )
    case 12:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
      )
    case 13:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
      )
    case 14:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
        b[s + 13]!,
      )
    case 15:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
        b[s + 13]!,
        b[s + 14]!,
      )
    case 16:
      return String.fromCharCode(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
        b[s + 13]!,
        b[s + 14]!,
        b[s + 15]!,
      )
    default:
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[])
  }
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
