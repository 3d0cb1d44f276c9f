import { CR, HT, LF, SP } from './constants.js'
import type { HistoriqueChecksumMode } from './checksum.js'
import { decodeGroup, decodeKnownLabel, latin1, MAX_GROUP_BYTES } from './group.js'
import { labelInfo } from './labels/catalogue.js'
import type { LabelInfo } from './labels/label-info.js'
import type { GroupRejection, GroupResult, TicGroup } from './group.js'
import type { TicMode, TicModeSetting } from './mode.js'

/** A decoded frame: the groups accepted and refused, in the order they were sent. */
export interface TicFrame {
  /** The frame's mode, from its groups' separators. */
  readonly mode: TicMode
  /**
   * True for a three-phase historique short frame (`ADIRx`/`ADCO`/`IINSTx` only, sent during an
   * overrun, tic-spec.md §1.5). Labels absent from a short frame have not disappeared.
   */
  readonly short: boolean
  /** Groups whose checksum and checks passed, values raw as sent. */
  readonly groups: readonly TicGroup[]
  /** Groups refused, with the reason. */
  readonly rejected: readonly GroupRejection[]
}

/** Options of {@link createFrameDecoder}. */
export interface FrameDecoderOptions {
  /** `'auto'` (default): each group's mode is read from its separator. */
  readonly mode?: TicModeSetting
  /**
   * Historique checksum rule: `'mode1'` (the documented one), `'mode2'` (separator included), or
   * `'auto'` (default): mode 1, switching to mode 2 only after {@link MODE2_LATCH_GROUPS}
   * consecutive groups that pass mode 2 and fail mode 1 (and back the same way). A group is
   * never accepted under both rules at once.
   */
  readonly historiqueChecksum?: HistoriqueChecksumMode | 'auto'
  /** Check data lengths against the catalogue (default true). */
  readonly checkLength?: boolean
  /**
   * Reuse the decoded group when a group's bytes are identical to the group at the same
   * position in the previous frame (default true). Results are the same; it only saves work,
   * since most values of a frame do not change from one frame to the next.
   */
  readonly memo?: boolean
}

/** Consecutive groups needed to switch the historique checksum rule in `'auto'`. */
export const MODE2_LATCH_GROUPS = 8

/** A stateful decoder of raw frame bytes into {@link TicFrame}s. */
export interface FrameDecoder {
  /** Decodes the frame content `bytes[start, end)` (between STX and ETX, 7-bit). */
  decode(bytes: Uint8Array, start?: number, end?: number): TicFrame
  /** The historique checksum rule in force (changes only in `'auto'`). */
  readonly historiqueChecksum: HistoriqueChecksumMode
}

const SHORT_LABELS = new Set(['ADIR1', 'ADIR2', 'ADIR3', 'ADCO', 'IINST1', 'IINST2', 'IINST3'])
const MODE1: readonly HistoriqueChecksumMode[] = ['mode1']
const MODE2: readonly HistoriqueChecksumMode[] = ['mode2']
const BOTH: readonly HistoriqueChecksumMode[] = ['mode1', 'mode2']

/** Slots of the group memo minus one (a power of two): bounded memory whatever the input. */
const MEMO_MASK = 2047

/**
 * Values remembered per label: the last ones seen, most recent first. Real values often come
 * back (a voltage going 229 → 230 → 229, a current 003 ↔ 004, one bus read with several meters),
 * and a value found among them is not decoded again.
 */
const MEMO_VERSIONS = 4

interface MemoSlot {
  hash: number
  /** Catalogue entry of the label (looked up once, when the slot is filled). */
  info: LabelInfo | undefined
  /** Bytes of the label at the start of `bytes`. */
  labelLength: number
  /** The group's bytes from offset 0 (a multiple of 4 long), and the same memory as 32-bit words. */
  bytes: Uint8Array
  words: Int32Array
  length: number
  /** The group's last byte (its checksum character): compared first, it tells most changes. */
  last: number
  group: TicGroup
  mode: TicMode
  /** The slot of the group that followed this one in the last frame: the first one tried next. */
  next: MemoSlot | undefined
  /** An older value of the same label (at most {@link MEMO_VERSIONS} in all), or undefined. */
  older: MemoSlot | undefined
}

/** True on little-endian platforms: memo words and DataView reads then agree. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * True when `bytes[start, start + n)` equal the first `n` bytes of `slot`: 4 bytes at a time
 * (`view` reads the memory of `bytes`, unaligned, at `base` = its byte offset), then the rest.
 */
function sameBytes(
  slot: MemoSlot,
  bytes: Uint8Array,
  view: DataView,
  base: number,
  start: number,
  n: number,
): boolean {
  const words = slot.words
  const whole = n >>> 2
  let p = base + start
  for (let w = 0; w < whole; w++, p += 4) {
    if (view.getInt32(p, LITTLE_ENDIAN) !== words[w]) return false
  }
  const sb = slot.bytes
  for (let k = whole << 2; k < n; k++) if (sb[k] !== bytes[start + k]) return false
  return true
}

/** True when a frame's accepted labels are those of a short frame (tic-spec.md §1.5). */
export function isShortFrame(groups: readonly TicGroup[]): boolean {
  if (groups.length === 0) return false
  let perPhase = false
  for (const g of groups) {
    // Every short-frame label starts with A or I: most frames are told at their second label.
    const c = g.label.charCodeAt(0)
    if ((c !== 0x41 && c !== 0x49) || !SHORT_LABELS.has(g.label)) return false
    if (g.label !== 'ADCO') perPhase = true
  }
  // ADCO alone is not a short frame: pre-Linky meters in "veille" state send only ADCO (§1.4).
  return perPhase
}

/**
 * Creates a frame decoder. Splits the content on LF…CR, decodes each group, and reports bytes
 * that are not a well-formed group (junk before an LF, a group without CR) as rejections.
 */
export function createFrameDecoder(options: FrameDecoderOptions = {}): FrameDecoder {
  const want = options.mode ?? 'auto'
  const setting = options.historiqueChecksum ?? 'auto'
  let rule: HistoriqueChecksumMode = setting === 'mode2' ? 'mode2' : 'mode1'
  let streak = 0
  const memoOn = options.memo !== false
  // Two-way direct-mapped memo keyed by the label hash: fixed memory, no Map lookups.
  const memo = new Array<MemoSlot | undefined>(MEMO_MASK + 1).fill(undefined)
  // The slot of the first group of the last frame, and the slot of the group just decoded: the
  // next group is first compared with the one that followed it last time, without hashing.
  let first: MemoSlot | undefined
  let previous: MemoSlot | undefined
  let atStart = true
  function link(entry: MemoSlot | undefined): void {
    if (previous !== undefined) previous.next = entry
    else if (atStart) first = entry
    atStart = false
    previous = entry
  }
  function predictedSlot(): MemoSlot | undefined {
    return atStart ? first : previous?.next
  }
  function remember(
    h: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    group: TicGroup,
    mode: TicMode,
  ): MemoSlot {
    const a = h & MEMO_MASK
    const b = (h >>> 16) & MEMO_MASK
    const ea = memo[a]
    const eb = memo[b]
    const i = ea === undefined || ea.hash === h ? a : eb === undefined || eb.hash === h ? b : a
    const n = end - start
    const head = memo[i]
    // The label's values, newest first: the new one goes in front, in place of the oldest when
    // they are all there (another label in the slot is replaced outright).
    let rest: MemoSlot | undefined
    let entry: MemoSlot | undefined
    if (head !== undefined && head.hash === h) {
      let count = 1
      let last = head
      while (last.older !== undefined) {
        count++
        last = last.older
      }
      rest = head
      if (count >= MEMO_VERSIONS) {
        let beforeLast = head
        while (beforeLast.older !== last) beforeLast = beforeLast.older!
        beforeLast.older = undefined
        entry = last
      }
    } else entry = head
    // A new value is most likely followed by the group that followed the label's last value.
    const follows = rest?.next
    if (entry !== undefined && entry.bytes.length >= n) {
      entry.older = rest
      entry.next = follows
      memo[i] = entry
      const eb = entry.bytes
      for (let k = 0; k < n; k++) eb[k] = bytes[start + k]!
      if (entry.group.label !== group.label || entry.mode !== mode) {
        entry.info = labelInfo(mode, group.label)
        entry.labelLength = group.label.length
      }
      entry.hash = h
      entry.length = n
      entry.last = bytes[end - 1]!
      entry.group = group
      entry.mode = mode
      return entry
    }
    const info = labelInfo(mode, group.label)
    const own = new Uint8Array((Math.max(n, 32) + 3) & ~3)
    own.set(bytes.subarray(start, end))
    const created: MemoSlot = {
      hash: h,
      info,
      labelLength: group.label.length,
      bytes: own,
      words: new Int32Array(own.buffer),
      length: n,
      last: bytes[end - 1]!,
      group,
      mode,
      next: follows,
      older: rest,
    }
    memo[i] = created
    return created
  }
  const checkLength = options.checkLength !== false
  const groupOptions = { mode: want, checkLength: options.checkLength, historiqueChecksums: MODE1 }

  function decodeOne(bytes: Uint8Array, start: number, end: number): GroupResult {
    if (setting !== 'auto') {
      groupOptions.historiqueChecksums = rule === 'mode1' ? MODE1 : MODE2
      return decodeGroup(bytes, start, end, groupOptions)
    }
    // Auto: try both rules, accept only the rule in force, count evidence for the other.
    groupOptions.historiqueChecksums = BOTH
    const result = decodeGroup(bytes, start, end, groupOptions)
    if (!result.ok || result.checksumMode === undefined) return result
    if (result.checksumMode === rule) {
      streak = 0
      return result
    }
    streak++
    if (streak >= MODE2_LATCH_GROUPS) {
      rule = result.checksumMode
      streak = 0
      // Groups memoised under the old rule must be checked again under the new one.
      memo.fill(undefined)
      first = undefined
      previous = undefined
      return result
    }
    return {
      ok: false,
      mode: result.mode,
      rejection: { raw: latin1(bytes, start, end), reason: 'checksum', label: result.group.label },
    }
  }

  // A DataView of the memory frames are read from (the framer's buffer, or the caller's chunks,
  // which usually share one memory): kept while that memory does not change.
  let view: DataView = new DataView(new ArrayBuffer(0))
  let viewMemory: ArrayBufferLike = view.buffer
  let viewLength = 0
  function decode(bytes: Uint8Array, from = 0, length = bytes.length): TicFrame {
    const base = bytes.byteOffset
    if (viewMemory !== bytes.buffer || viewLength < base + bytes.length) {
      view = new DataView(bytes.buffer)
      viewMemory = bytes.buffer
      viewLength = view.byteLength
    }
    const groups: TicGroup[] = []
    const rejected: GroupRejection[] = []
    let standard = 0
    let historique = 0
    let pos = from
    previous = undefined
    atStart = true
    while (pos < length) {
      // Fast path: a group identical to the last group seen with the same label is recognised by
      // comparing its bytes up to CR, without scanning or decoding it again. Keyed by the label
      // (not the position), so optional groups (ADPS, MSG2, DPMx) do not shift everything.
      let key = 0
      let known: MemoSlot | undefined
      let labelEnd = 0
      const keyed = memoOn && bytes[pos] === LF
      if (keyed) {
        const start = pos + 1
        // The group that followed the previous one last time, byte for byte?
        const predicted = predictedSlot()
        if (predicted !== undefined) {
          const n = predicted.length
          // The checksum character first: a changed value almost always changes it.
          if (
            start + n < length &&
            bytes[start + n] === CR &&
            bytes[start + n - 1] === predicted.last
          ) {
            if (sameBytes(predicted, bytes, view, base, start, n)) {
              groups.push(predicted.group)
              if (predicted.mode === 'standard') standard++
              else historique++
              link(predicted)
              pos = start + n + 1
              continue
            }
          }
        }
        let h = 0
        let j = start
        const stop = Math.min(length, start + 11)
        for (; j < stop; j++) {
          const c = bytes[j]!
          if (c === SP || c === HT || c === CR) break
          h = (Math.imul(h, 31) + c) | 0
        }
        key = h
        let cached = memo[h & MEMO_MASK]
        if (cached !== undefined && cached.hash !== h) cached = memo[(h >>> 16) & MEMO_MASK]
        if (cached !== undefined && cached.hash === h) {
          known = cached
          labelEnd = j
          let hit: MemoSlot | undefined = cached
          for (; hit !== undefined; hit = hit.older) {
            const n = hit.length
            if (
              start + n < length &&
              bytes[start + n] === CR &&
              bytes[start + n - 1] === hit.last &&
              sameBytes(hit, bytes, view, base, start, n)
            ) {
              break
            }
          }
          if (hit !== undefined) {
            groups.push(hit.group)
            if (hit.mode === 'standard') standard++
            else historique++
            link(hit)
            pos = start + hit.length + 1
            continue
          }
        }
      }
      // One segment: up to the next CR. The group starts after its last LF; bytes before that LF
      // (junk, or a group that lost its CR) are reported.
      const segStart = pos
      let lf = -1
      let i = pos
      for (; i < length; i++) {
        const c = bytes[i]!
        if (c === CR) break
        if (c === LF) {
          const from = lf < 0 ? segStart : lf + 1
          if (i > from) rejected.push(malformed(bytes, from, i))
          lf = i
        }
      }
      const end = i
      pos = i + 1
      if (lf < 0) {
        if (end > segStart) rejected.push(malformed(bytes, segStart, end))
        continue
      }
      const start = lf + 1
      if (end >= length) {
        if (end > start) rejected.push(malformed(bytes, start, end))
        break
      }
      const n = end - start
      // A known label with a new value: decode it knowing the label; the full path gives the
      // verdict when anything does not pass.
      if (
        known !== undefined &&
        lf === segStart &&
        labelEnd - start === known.labelLength &&
        (want === 'auto' || want === known.mode)
      ) {
        let same = true
        for (let k = 0; k < known.labelLength; k++) {
          if (known.bytes[k] !== bytes[start + k]) {
            same = false
            break
          }
        }
        const group = same
          ? decodeKnownLabel(
              bytes,
              start,
              end,
              labelEnd,
              known.group.label,
              known.info,
              known.mode,
              rule,
              checkLength,
            )
          : undefined
        if (group !== undefined) {
          groups.push(group)
          if (known.mode === 'standard') standard++
          else {
            historique++
            streak = 0
          }
          link(
            n <= MAX_GROUP_BYTES ? remember(key, bytes, start, end, group, known.mode) : undefined,
          )
          continue
        }
      }
      const result = decodeOne(bytes, start, end)
      if (result.ok) {
        groups.push(result.group)
        if (result.mode === 'standard') standard++
        else historique++
        link(
          keyed && lf === segStart && n <= MAX_GROUP_BYTES
            ? remember(key, bytes, start, end, result.group, result.mode)
            : undefined,
        )
      } else {
        link(undefined)
        rejected.push(result.rejection)
        if (result.mode === 'standard') standard++
        else if (result.mode === 'historique') historique++
      }
    }
    const mode: TicMode =
      standard > historique
        ? 'standard'
        : historique > 0
          ? 'historique'
          : want === 'standard'
            ? 'standard'
            : 'historique'
    const short = mode === 'historique' && isShortFrame(groups)
    return { mode, short, groups, rejected }
  }

  return {
    decode,
    get historiqueChecksum() {
      return rule
    },
  }
}

function malformed(bytes: Uint8Array, start: number, end: number): GroupRejection {
  return {
    raw: latin1(bytes, start, Math.min(end, start + 200)),
    reason: 'malformed',
    label: undefined,
  }
}
