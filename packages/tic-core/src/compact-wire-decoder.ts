import { COMPACT_FS } from './encode-compact-frames.js'
import type { GroupRejection, TicGroup } from './group.js'
import { createReadingBuilder } from './reading.js'
import type { ReadingBuilder } from './reading-types.js'
import type { PipelineFrame } from './stage/index.js'
import { WireFormatError } from './wire.js'

/** Options of {@link createCompactWireDecoder}. */
export interface CompactWireDecoderOptions {
  /** Reading builders kept, one per (source, meter), at most; the oldest goes first (default 100 000). */
  readonly maxMeters?: number
  /** The reading builders' `hysteresisFrames` (default 3, as the decoder stage's). */
  readonly hysteresisFrames?: number
}

/** Turns compact wire payloads back into {@link PipelineFrame}s (see {@link encodeCompactFrames}). */
export interface CompactWireDecoder {
  /** The frames of one payload, in order; throws {@link WireFormatError} on a malformed payload. */
  decode(text: string): PipelineFrame[]
  /** Reading builders currently kept. */
  readonly meters: number
}

interface MeterEntry {
  readonly builder: ReadingBuilder
  /** The previous frame's groups: an unchanged group keeps its object (the reading's caches key on it). */
  last: readonly TicGroup[]
}

const NO_REJECTIONS: readonly GroupRejection[] = []
const LF = 10

/**
 * Decodes the compact wire form with one reading builder per (source, meter id as the publisher's
 * reading had it), so a meter's
 * reading is built as its publisher built it when this decoder sees the meter's frames in order
 * (meter affinity). The first frame of a meter this decoder sees starts a fresh builder: a
 * three-phase short frame or a rejected group then has no earlier values to carry over, and
 * phases/producer start from that frame's evidence.
 */
export function createCompactWireDecoder(
  options: CompactWireDecoderOptions = {},
): CompactWireDecoder {
  const maxMeters = options.maxMeters ?? 100_000
  const builderOptions =
    options.hysteresisFrames === undefined ? {} : { hysteresisFrames: options.hysteresisFrames }
  const meters = new Map<string, MeterEntry>()
  /** The key of each source's latest meter: a frame whose reading has no meter id goes on with it. */
  const lastKey = new Map<string, string>()
  const entryOf = (source: string, id: string): MeterEntry => {
    const key = id !== '' ? `${source}${COMPACT_FS}${id}` : (lastKey.get(source) ?? source)
    if (lastKey.get(source) !== key) lastKey.set(source, key)
    let entry = meters.get(key)
    if (entry === undefined) {
      if (meters.size >= maxMeters) {
        meters.delete(meters.keys().next().value as string)
        if (lastKey.size > maxMeters) lastKey.clear()
      }
      entry = { builder: createReadingBuilder(builderOptions), last: [] }
      meters.set(key, entry)
    }
    return entry
  }
  const bad = (why: string): never => {
    throw new WireFormatError(`compact wire: ${why}`)
  }
  return {
    get meters() {
      return meters.size
    },
    decode(text) {
      if (text.length === 0 || text.charCodeAt(text.length - 1) !== LF) bad('no final line feed')
      const out: PipelineFrame[] = []
      let pos = 0
      /** The next field of the header line that ends at `eol`. */
      const field = (eol: number, last = false): string => {
        const end = last ? eol : text.indexOf(COMPACT_FS, pos)
        if (end < 0 || end > eol) bad('bad frame header')
        const value = text.slice(pos, end)
        pos = end + 1
        return value
      }
      while (pos < text.length) {
        const eol = text.indexOf('\n', pos)
        const flags = field(eol)
        const mode =
          flags[0] === 'h' ? 'historique' : flags[0] === 's' ? 'standard' : bad('bad mode')
        const short = flags[1] === '1'
        const seq = Number(field(eol))
        const receivedAt = Number(field(eol))
        const source = field(eol)
        const meter = field(eol)
        const count = Number(field(eol))
        const rejectedText = field(eol, true)
        if (
          flags.length !== 2 ||
          !Number.isSafeInteger(seq) ||
          !Number.isFinite(receivedAt) ||
          !Number.isSafeInteger(count) ||
          count < 0
        )
          bad('bad frame header')
        let rejected = NO_REJECTIONS
        if (rejectedText !== '') {
          const parsed = JSON.parse(rejectedText) as unknown
          if (!Array.isArray(parsed)) bad('rejected groups must be an array')
          rejected = parsed as GroupRejection[]
        }
        const entry = entryOf(source, meter)
        const last = entry.last
        const groups: TicGroup[] = []
        for (let k = 0; k < count; k += 1) {
          const end = text.indexOf('\n', pos)
          if (end < 0) bad('missing groups')
          const a = text.indexOf(COMPACT_FS, pos)
          if (a <= pos || a > end) bad('bad group')
          let b = text.indexOf(COMPACT_FS, a + 1)
          if (b > end) b = -1
          const valueEnd = b < 0 ? end : b
          // An unchanged group keeps the previous frame's object (no new strings).
          const p = last[k]
          if (
            p !== undefined &&
            p.label.length === a - pos &&
            p.value.length === valueEnd - a - 1 &&
            (b < 0
              ? p.horodate === undefined
              : p.horodate !== undefined && p.horodate.length === end - b - 1) &&
            text.startsWith(p.label, pos) &&
            text.startsWith(p.value, a + 1) &&
            (b < 0 || text.startsWith(p.horodate as string, b + 1))
          )
            groups.push(p)
          else
            groups.push({
              label: text.slice(pos, a),
              value: text.slice(a + 1, valueEnd),
              horodate: b < 0 ? undefined : text.slice(b + 1, end),
            })
          pos = end + 1
        }
        entry.last = groups
        const frame = { mode, short, groups, rejected } as const
        out.push({
          ...frame,
          reading: entry.builder.update(frame),
          meta: { seq, receivedAt, source },
        })
      }
      return out
    },
  }
}
