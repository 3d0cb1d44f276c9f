import { CR, ETX, HT, LF, SP, STX } from './constants.js'
import type { HistoriqueChecksumMode } from './checksum.js'
import type { TicMode } from './mode.js'

/** A group to encode: label and data verbatim, plus a horodate for standard labels that take one. */
export interface GroupSpec {
  readonly label: string
  readonly value: string
  /** 13 characters `SAAMMJJhhmmss` (standard mode only). */
  readonly horodate?: string | undefined
}

/** Options of {@link encodeGroup} and {@link encodeFrame}. */
export interface EncodeOptions {
  /** Historique checksum rule (default `'mode1'`, what meters send). */
  readonly historiqueChecksum?: HistoriqueChecksumMode
}

/** Number of bytes {@link writeGroup} writes for `group`. */
export function encodedGroupLength(mode: TicMode, group: GroupSpec): number {
  const h = mode === 'standard' && group.horodate !== undefined ? group.horodate.length + 1 : 0
  return group.label.length + h + group.value.length + 5
}

/**
 * Writes `LF label SEP [horodate SEP] data SEP checksum CR` into `out` at `offset`, with a valid
 * checksum; returns the offset after CR. Throws TypeError on a label or value that cannot be
 * sent (a separator or control character inside, a horodate in historique mode).
 */
export function writeGroup(
  out: Uint8Array,
  offset: number,
  mode: TicMode,
  group: GroupSpec,
  options: EncodeOptions = {},
): number {
  const { label, value, horodate } = group
  if (!/^[A-Z0-9+-]{1,10}$/.test(label))
    throw new TypeError(`"label" must be 1-10 of A-Z 0-9 + -, got ${JSON.stringify(label)}`)
  const bad = mode === 'standard' ? /[^\x20-\x7e]/ : /[^\x21-\x7e]/
  if (bad.test(value))
    throw new TypeError(`"value" of ${label} has a character ${mode} mode cannot send`)
  if (horodate !== undefined && (mode !== 'standard' || !/^[HhEe ]\d{12}$/.test(horodate))) {
    throw new TypeError(`"horodate" of ${label} must be [HhEe ] + 12 digits, in standard mode only`)
  }
  const sep = mode === 'standard' ? HT : SP
  let o = offset
  out[o++] = LF
  const start = o
  for (let i = 0; i < label.length; i++) out[o++] = label.charCodeAt(i)
  out[o++] = sep
  if (horodate !== undefined) {
    for (let i = 0; i < horodate.length; i++) out[o++] = horodate.charCodeAt(i)
    out[o++] = sep
  }
  for (let i = 0; i < value.length; i++) out[o++] = value.charCodeAt(i)
  let sum = 0
  for (let i = start; i < o; i++) sum += out[i]!
  if (mode === 'standard' || options.historiqueChecksum === 'mode2') sum += sep
  out[o++] = sep
  out[o++] = (sum & 0x3f) + 0x20
  out[o++] = CR
  return o
}

/** Encodes one group, LF to CR, with a valid checksum. */
export function encodeGroup(
  mode: TicMode,
  group: GroupSpec,
  options: EncodeOptions = {},
): Uint8Array {
  const out = new Uint8Array(encodedGroupLength(mode, group))
  writeGroup(out, 0, mode, group, options)
  return out
}

/**
 * Encodes a whole frame, STX + groups + ETX. A group given as bytes (an already encoded
 * `LF … CR`, e.g. one a caller caches) is copied as it is.
 */
export function encodeFrame(
  mode: TicMode,
  groups: readonly (GroupSpec | Uint8Array)[],
  options: EncodeOptions = {},
): Uint8Array {
  let n = 2
  for (const g of groups) n += g instanceof Uint8Array ? g.length : encodedGroupLength(mode, g)
  const out = new Uint8Array(n)
  out[0] = STX
  let o = 1
  for (const g of groups) {
    if (g instanceof Uint8Array) {
      out.set(g, o)
      o += g.length
    } else o = writeGroup(out, o, mode, g, options)
  }
  out[o] = ETX
  return out
}
