/**
 * PostgreSQL integer arrays in the binary wire format, for bulk `unnest` inserts: `pg` sends a
 * Buffer parameter as binary, and the server reads it with `array_recv` instead of parsing a text
 * literal element by element (`array_in`), which was most of its work per inserted row.
 */

/** Element types: OID and width in bytes. */
const ELEMENT = {
  int2: { oid: 21, width: 2, min: -32_768, max: 32_767 },
  int4: { oid: 23, width: 4, min: -2_147_483_648, max: 2_147_483_647 },
  int8: { oid: 20, width: 8, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
} as const

/** An integer element type of {@link binaryIntArray}. */
export type BinaryIntType = keyof typeof ELEMENT

/** A row: an array (column by position) or an object (column by name). */
type Row = readonly unknown[] | Readonly<Record<string, unknown>>

const TWO_32 = 4_294_967_296

/**
 * The binary form of one integer column (`int2[]`, `int4[]` or `int8[]`, one dimension, lower
 * bound 1; null and undefined as NULL). Throws TypeError for a value that is not a safe integer
 * and RangeError for one outside the element type, which the text form would have refused too.
 */
export function binaryIntArray(
  rows: readonly Row[],
  column: number | string,
  type: BinaryIntType,
): Buffer {
  const { oid, width, min, max } = ELEMENT[type]
  const n = rows.length
  let present = 0
  for (let i = 0; i < n; i++) {
    const v = (rows[i] as Readonly<Record<number | string, unknown>>)[column]
    if (v === null || v === undefined) continue
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw new TypeError(
        `row ${String(i)}, column ${String(column)}: ${String(v)} is not an integer`,
      )
    if (v < min || v > max)
      throw new RangeError(
        `row ${String(i)}, column ${String(column)}: ${String(v)} is out of ${type} range`,
      )
    present++
  }
  const buf = Buffer.allocUnsafe(20 + 4 * n + width * present)
  // A DataView writes big-endian without Buffer's per-call argument checks (values checked above).
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  dv.setInt32(0, 1) // dimensions
  dv.setInt32(4, present < n ? 1 : 0) // has nulls
  dv.setInt32(8, oid)
  dv.setInt32(12, n)
  dv.setInt32(16, 1) // lower bound
  let o = 20
  for (let i = 0; i < n; i++) {
    const v = (rows[i] as Readonly<Record<number | string, unknown>>)[column] as number | null
    if (v === null || v === undefined) {
      dv.setInt32(o, -1)
      o += 4
      continue
    }
    dv.setInt32(o, width)
    o += 4
    if (width === 2) dv.setInt16(o, v)
    else if (width === 4) dv.setInt32(o, v)
    else {
      const hi = Math.floor(v / TWO_32)
      dv.setInt32(o, hi)
      dv.setUint32(o + 4, v - hi * TWO_32)
    }
    o += width
  }
  return buf
}

const TEXT_OID = 25

/**
 * The binary form of one text column (`text[]`, one dimension, lower bound 1; null and undefined
 * as NULL; other values through `String`). Each element is its UTF-8 bytes after their length:
 * nothing to escape here, nothing to parse on the server (a reading's JSON, ~1.7 kB, per meter
 * and batch was the largest part of both).
 */
export function binaryTextArray(rows: readonly Row[], column: number | string): Buffer {
  const n = rows.length
  const texts = new Array<string | null>(n)
  let bytes = 20 + 4 * n
  let nulls = 0
  for (let i = 0; i < n; i++) {
    const v = (rows[i] as Readonly<Record<number | string, unknown>>)[column]
    if (v === null || v === undefined) {
      texts[i] = null
      nulls++
      continue
    }
    const s = typeof v === 'string' ? v : String(v)
    if (s.includes('\0'))
      throw new TypeError(`row ${String(i)}, column ${String(column)}: text holds a NUL character`)
    texts[i] = s
    bytes += Buffer.byteLength(s)
  }
  const buf = Buffer.allocUnsafe(bytes)
  buf.writeInt32BE(1, 0) // dimensions
  buf.writeInt32BE(nulls > 0 ? 1 : 0, 4)
  buf.writeInt32BE(TEXT_OID, 8)
  buf.writeInt32BE(n, 12)
  buf.writeInt32BE(1, 16) // lower bound
  let o = 20
  for (let i = 0; i < n; i++) {
    const s = texts[i] ?? null
    if (s === null) {
      buf.writeInt32BE(-1, o)
      o += 4
      continue
    }
    const len = buf.write(s, o + 4, 'utf8')
    buf.writeInt32BE(len, o)
    o += 4 + len
  }
  return buf
}
