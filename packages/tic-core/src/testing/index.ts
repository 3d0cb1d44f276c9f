/**
 * Test helpers for every package: frame builders with valid checksums and chunk splitters.
 * Production code must not import this subpath.
 */
import { encodeFrame, encodeGroup } from '../encoder.js'
import type { GroupSpec } from '../encoder.js'
import type { TicMode } from '../mode.js'

export { encodeFrame, encodeGroup }
export type { GroupSpec }

/** Shorthand: `group('PAPP', '00450')`, `group('SMAXSN', '05123', 'H240210110331')`. */
export function group(label: string, value: string, horodate?: string): GroupSpec {
  return { label, value, horodate }
}

/** Builds a frame (STX … ETX) from `[label, value, horodate?]` tuples. */
export function buildFrame(
  mode: TicMode,
  groups: readonly (readonly [string, string, string?])[],
): Uint8Array {
  return encodeFrame(
    mode,
    groups.map(([l, v, h]) => ({ label: l, value: v, horodate: h })),
  )
}

/** Every way of cutting `bytes` in two chunks: `[bytes[0,i), bytes[i,n)]` for i in 0..n. */
export function* splits(bytes: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
  for (let i = 0; i <= bytes.length; i++) yield [bytes.subarray(0, i), bytes.subarray(i)]
}

/** Cuts `bytes` into chunks of `size` bytes (the last one shorter). */
export function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Latin1 bytes of a string (test input written as text). */
export function bytesOf(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff
  return out
}
