import { HT, SP } from './constants.js'
import type { HistoriqueChecksumMode } from './checksum.js'
import { labelInfo } from './labels/catalogue.js'
import type { LabelInfo } from './labels/label-info.js'
import { cachedLatin1 } from './string-cache.js'
import type { TicMode, TicModeSetting } from './mode.js'

/** One accepted group: the label and its data exactly as sent (never trimmed or coerced). */
export interface TicGroup {
  /** The label verbatim (`'PAPP'`, `'SMAXSN-1'`). */
  readonly label: string
  /** The data field verbatim; `''` for `DATE`, inner and padding spaces kept (`'HC..'`, `' HEURE  CREUSE  '`). */
  readonly value: string
  /** The 13-character horodate `SAAMMJJhhmmss` of standard groups that carry one, else undefined. */
  readonly horodate: string | undefined
}

/** Why a group was refused. Data problems are values, never exceptions. */
export type GroupRejectionReason =
  /** The checksum character does not match the checked area. */
  | 'checksum'
  /** Not `label SEP [horodate SEP] data SEP checksum`: missing LF/CR, wrong field count, empty field. */
  | 'malformed'
  /** The label has characters outside `A-Z 0-9 + -` or more than 10 characters (the catalogue's longest, SMAXSN1-1, has 9). */
  | 'label'
  /** The data has characters the label does not allow (non-printable, letters in a number…). */
  | 'charset'
  /** The data length differs from the catalogue's length for that label. */
  | 'length'
  /** The horodate is not `[HhEe ]` + 12 digits forming a valid date. */
  | 'horodate'
  /** The separator belongs to the other mode while the decoder is set to a fixed mode. */
  | 'mode'
  /** The group is longer than any valid group can be. */
  | 'oversize'

/** A refused group: its bytes as text (control characters kept) and the reason. */
export interface GroupRejection {
  /** The group's bytes between LF and CR as latin1 text, cut to 200 characters. */
  readonly raw: string
  readonly reason: GroupRejectionReason
  /** The label when it could be read, for counting rejections per label. */
  readonly label: string | undefined
}

/** Result of {@link decodeGroup}. */
export type GroupResult =
  | {
      readonly ok: true
      readonly group: TicGroup
      readonly mode: TicMode
      /** For historique groups: which checksum rule validated it. */
      readonly checksumMode: HistoriqueChecksumMode | undefined
    }
  | { readonly ok: false; readonly rejection: GroupRejection; readonly mode: TicMode | undefined }

/** Options of {@link decodeGroup}. */
export interface DecodeGroupOptions {
  /** Expected mode, or `'auto'` (default) to take it from the separator before the checksum. */
  readonly mode?: TicModeSetting
  /**
   * Historique checksum rules accepted: `['mode1']` (default, the documented rule) or
   * `['mode2']`, or both. Accepting both blindly doubles the false-accept rate (tic-spec.md §3.3);
   * the frame decoder latches mode 2 only after consistent evidence.
   */
  readonly historiqueChecksums?: readonly HistoriqueChecksumMode[]
  /** Check data length against the catalogue (default true). */
  readonly checkLength?: boolean
}

/** Longest valid group content between LF and CR: 8 + HT + 13 + HT + 98 + HT + 1, with margin. */
export const MAX_GROUP_BYTES = 160

const MODE1_ONLY: readonly HistoriqueChecksumMode[] = ['mode1']

/** Latin1 text of `bytes[start, end)`. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 0) return ''
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[])
}

function reject(
  bytes: Uint8Array,
  start: number,
  end: number,
  reason: GroupRejectionReason,
  label: string | undefined,
  mode: TicMode | undefined,
): GroupResult {
  const raw = latin1(bytes, start, Math.min(end, start + 200))
  return { ok: false, rejection: { raw, reason, label }, mode }
}

function isLabelByte(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46)
}

/** Day count of a month, for horodate validation. */
function daysIn(year: number, month: number): number {
  // Bits 4, 6, 9 and 11: April, June, September, November.
  return month === 2 ? (year % 4 === 0 ? 29 : 28) : ((0xa50 >> month) & 1) === 1 ? 30 : 31
}

function validHorodate(b: Uint8Array, s: number): boolean {
  const season = b[s]!
  if (season !== 0x48 && season !== 0x68 && season !== 0x45 && season !== 0x65 && season !== SP) {
    return false
  }
  for (let i = s + 1; i < s + 13; i++) if (!isDigit(b[i]!)) return false
  const year = (b[s + 1]! - 0x30) * 10 + (b[s + 2]! - 0x30)
  const month = (b[s + 3]! - 0x30) * 10 + (b[s + 4]! - 0x30)
  const day = (b[s + 5]! - 0x30) * 10 + (b[s + 6]! - 0x30)
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(2000 + year, month) &&
    (b[s + 7]! - 0x30) * 10 + (b[s + 8]! - 0x30) <= 23 &&
    b[s + 9]! <= 0x35 &&
    b[s + 11]! <= 0x35
  )
}

/**
 * Decodes the group whose content (between LF and CR, both excluded) is `bytes[start, end)`.
 * Bytes must already be 7-bit (the framer masks bit 7). Never throws.
 *
 * Historique: `label SP data SP checksum`, checked area `label SP data` (mode 1), or with the
 * final SP (mode 2). The checksum may itself be a space (`PTEC HP..  `).
 * Standard: `label HT [horodate HT] data HT checksum`, checked area up to and including the last
 * HT; the data may be empty (`DATE`) and may contain spaces.
 */
export function decodeGroup(
  bytes: Uint8Array,
  start: number,
  end: number,
  options: DecodeGroupOptions = {},
): GroupResult {
  const len = end - start
  if (len > MAX_GROUP_BYTES) return reject(bytes, start, end, 'oversize', undefined, undefined)
  if (len < 4) return reject(bytes, start, end, 'malformed', undefined, undefined)
  const sep = bytes[end - 2]!
  let mode: TicMode
  if (sep === HT) mode = 'standard'
  else if (sep === SP) mode = 'historique'
  else return reject(bytes, start, end, 'malformed', undefined, undefined)
  const want = options.mode ?? 'auto'
  const received = bytes[end - 1]!
  if (mode === 'historique') {
    // Split `label SP data` on its first SP; a historique datum never contains SP.
    let sp = start
    while (sp < end - 2 && bytes[sp] !== SP) sp++
    if (sp === start || sp >= end - 3)
      return reject(bytes, start, end, 'malformed', undefined, mode)
    for (let i = sp + 1; i < end - 2; i++) {
      if (bytes[i] === SP || bytes[i] === HT)
        return reject(bytes, start, end, 'malformed', undefined, mode)
    }
    let sum = 0
    for (let i = start; i < end - 2; i++) sum += bytes[i]!
    const mode1 = (sum & 0x3f) + 0x20
    const mode2 = ((sum + SP) & 0x3f) + 0x20
    const accepted = options.historiqueChecksums ?? MODE1_ONLY
    let checksumMode: HistoriqueChecksumMode | undefined
    if (received === mode1 && accepted.includes('mode1')) checksumMode = 'mode1'
    else if (received === mode2 && accepted.includes('mode2')) checksumMode = 'mode2'
    return finish(
      bytes,
      start,
      end,
      mode,
      want,
      start,
      sp,
      undefined,
      sp + 1,
      end - 2,
      checksumMode,
      options,
    )
  }
  // Standard: fields separated by single HTs; 2 fields, or 3 with a horodate.
  let ht1 = -1
  let ht2 = -1
  let sum = 0
  for (let i = start; i < end - 1; i++) {
    const c = bytes[i]!
    sum += c
    if (c === HT && i < end - 2) {
      if (ht1 < 0) ht1 = i
      else if (ht2 < 0) ht2 = i
      else return reject(bytes, start, end, 'malformed', undefined, mode)
    }
  }
  if (ht1 <= start) return reject(bytes, start, end, 'malformed', undefined, mode)
  const ok = received === (sum & 0x3f) + 0x20
  if (ht2 < 0) {
    return finish(
      bytes,
      start,
      end,
      mode,
      want,
      start,
      ht1,
      undefined,
      ht1 + 1,
      end - 2,
      ok ? 'mode1' : undefined,
      options,
    )
  }
  return finish(
    bytes,
    start,
    end,
    mode,
    want,
    start,
    ht1,
    ht1 + 1,
    ht2 + 1,
    end - 2,
    ok ? 'mode1' : undefined,
    options,
  )
}

function finish(
  bytes: Uint8Array,
  start: number,
  end: number,
  mode: TicMode,
  want: TicModeSetting,
  labelStart: number,
  labelEnd: number,
  horodateStart: number | undefined,
  dataStart: number,
  dataEnd: number,
  checksumMode: HistoriqueChecksumMode | undefined,
  options: DecodeGroupOptions,
): GroupResult {
  const labelLen = labelEnd - labelStart
  let labelOk = labelLen >= 1 && labelLen <= 10
  for (let i = labelStart; labelOk && i < labelEnd; i++) labelOk = isLabelByte(bytes[i]!)
  const label = labelOk ? cachedLatin1(bytes, labelStart, labelEnd) : undefined
  if (checksumMode === undefined) return reject(bytes, start, end, 'checksum', label, mode)
  if (want !== 'auto' && want !== mode) return reject(bytes, start, end, 'mode', label, mode)
  if (label === undefined) return reject(bytes, start, end, 'label', undefined, mode)
  const problem = dataProblem(
    bytes,
    mode,
    labelInfo(mode, label),
    horodateStart,
    dataStart,
    dataEnd,
    options.checkLength !== false,
  )
  if (problem !== undefined) return reject(bytes, start, end, problem, label, mode)
  const group: TicGroup = {
    label,
    value: cachedLatin1(bytes, dataStart, dataEnd),
    horodate:
      horodateStart === undefined
        ? undefined
        : cachedLatin1(bytes, horodateStart, horodateStart + 13),
  }
  return { ok: true, group, mode, checksumMode: mode === 'historique' ? checksumMode : undefined }
}

/** The checks of a group's horodate and data: undefined when valid, else the reason. */
function dataProblem(
  bytes: Uint8Array,
  mode: TicMode,
  info: LabelInfo | undefined,
  horodateStart: number | undefined,
  dataStart: number,
  dataEnd: number,
  checkLength: boolean,
): GroupRejectionReason | undefined {
  if (horodateStart !== undefined) {
    if (dataStart - 1 - horodateStart !== 13 || !validHorodate(bytes, horodateStart))
      return 'horodate'
  }
  const lowest = mode === 'historique' ? 0x21 : 0x20
  for (let i = dataStart; i < dataEnd; i++) {
    const c = bytes[i]!
    if (c < lowest || c > 0x7e) return 'charset'
  }
  if (info !== undefined) {
    if (info.horodate !== (horodateStart !== undefined)) return 'malformed'
    if (info.charset !== 'text') {
      const test = info.charset === 'digits' ? isDigit : isHex
      for (let i = dataStart; i < dataEnd; i++) if (!test(bytes[i]!)) return 'charset'
    }
    const dataLen = dataEnd - dataStart
    if (checkLength && info.length !== null) {
      if (info.lengthIsMax === true ? dataLen > info.length : dataLen !== info.length)
        return 'length'
    }
  }
  if (mode === 'historique' && dataEnd <= dataStart) return 'malformed'
  return undefined
}

/**
 * Decodes a group whose label is already known — `bytes[start, labelEnd)` are the bytes of
 * `label`, a label of `mode` seen and validated before — for the frequent case of a known label
 * with a new value. Returns the group when the checksum (under `rule` in historique) and every
 * check pass, or undefined: the caller then runs {@link decodeGroup} for the full verdict.
 */
export function decodeKnownLabel(
  bytes: Uint8Array,
  start: number,
  end: number,
  labelEnd: number,
  label: string,
  info: LabelInfo | undefined,
  mode: TicMode,
  rule: HistoriqueChecksumMode,
  checkLength: boolean,
): TicGroup | undefined {
  if (end - start > MAX_GROUP_BYTES || end - start < 4) return undefined
  const sep = mode === 'standard' ? HT : SP
  if (bytes[labelEnd] !== sep || bytes[end - 2] !== sep) return undefined
  if (info !== undefined) {
    return decodeCatalogued(bytes, start, end, labelEnd, label, info, mode, rule, checkLength)
  }
  let sum = 0
  for (let i = start; i < labelEnd; i++) sum += bytes[i]!
  let horodateStart: number | undefined
  let dataStart = labelEnd + 1
  if (mode === 'historique') {
    sum += SP
    for (let i = dataStart; i < end - 2; i++) {
      const c = bytes[i]!
      if (c === SP || c === HT) return undefined
      sum += c
    }
    if (rule === 'mode2') sum += SP
  } else {
    sum += HT
    for (let i = dataStart; i < end - 2; i++) {
      const c = bytes[i]!
      if (c === HT) {
        if (horodateStart !== undefined) return undefined
        horodateStart = dataStart
        dataStart = i + 1
      }
      sum += c
    }
    sum += HT
  }
  if (bytes[end - 1] !== (sum & 0x3f) + 0x20) return undefined
  if (dataProblem(bytes, mode, info, horodateStart, dataStart, end - 2, checkLength) !== undefined)
    return undefined
  return {
    label,
    value: cachedLatin1(bytes, dataStart, end - 2),
    horodate:
      horodateStart === undefined
        ? undefined
        : cachedLatin1(bytes, horodateStart, horodateStart + 13),
  }
}

/**
 * {@link decodeKnownLabel} for a label of the catalogue, in one pass over the data: the
 * separators, the horodate the label carries (or not), checksum, charset and length checked
 * together. Returns undefined on anything unusual (the full path then gives the verdict).
 */
function decodeCatalogued(
  bytes: Uint8Array,
  start: number,
  end: number,
  labelEnd: number,
  label: string,
  info: LabelInfo,
  mode: TicMode,
  rule: HistoriqueChecksumMode,
  checkLength: boolean,
): TicGroup | undefined {
  const standard = mode === 'standard'
  const dataEnd = end - 2
  let sum = standard ? HT + HT : SP
  for (let i = start; i < labelEnd; i++) sum += bytes[i]!
  let dataStart = labelEnd + 1
  let horodateStart = -1
  if (info.horodate) {
    if (!standard) return undefined
    horodateStart = dataStart
    dataStart += 14
    if (dataStart > dataEnd || bytes[dataStart - 1] !== HT) return undefined
    if (!validHorodate(bytes, horodateStart)) return undefined
    for (let i = horodateStart; i < dataStart; i++) sum += bytes[i]!
  }
  const charset = info.charset
  // Standard data may hold spaces, historique data may not; never a separator either way.
  const lowest = standard ? 0x20 : 0x21
  if (charset === 'digits') {
    for (let i = dataStart; i < dataEnd; i++) {
      const c = bytes[i]!
      if (c < 0x30 || c > 0x39) return undefined
      sum += c
    }
  } else if (charset === 'hex') {
    for (let i = dataStart; i < dataEnd; i++) {
      const c = bytes[i]!
      if (c < 0x30 || c > 0x46 || (c > 0x39 && c < 0x41)) return undefined
      sum += c
    }
  } else {
    for (let i = dataStart; i < dataEnd; i++) {
      const c = bytes[i]!
      if (c < lowest || c > 0x7e) return undefined
      sum += c
    }
  }
  const dataLen = dataEnd - dataStart
  if (!standard) {
    if (dataLen <= 0) return undefined
    if (rule === 'mode2') sum += SP
  }
  if (bytes[end - 1] !== (sum & 0x3f) + 0x20) return undefined
  if (checkLength && info.length !== null) {
    if (info.lengthIsMax === true ? dataLen > info.length : dataLen !== info.length)
      return undefined
  }
  return {
    label,
    value: cachedLatin1(bytes, dataStart, dataEnd),
    horodate:
      horodateStart < 0 ? undefined : cachedLatin1(bytes, horodateStart, horodateStart + 13),
  }
}
