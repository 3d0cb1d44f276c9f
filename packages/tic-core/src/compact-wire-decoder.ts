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
      const lines = text.split('\n')
      if (lines[lines.length - 1] !== '') bad('no final line feed')
      const out: PipelineFrame[] = []
      let i = 0
      while (i < lines.length - 1) {
        const head = (lines[i] as string).split(COMPACT_FS)
        i += 1
        if (head.length !== 7) bad('bad frame header')
        const flags = head[0] as string
        const mode =
          flags[0] === 'h' ? 'historique' : flags[0] === 's' ? 'standard' : bad('bad mode')
        const short = flags[1] === '1'
        const seq = Number(head[1])
        const receivedAt = Number(head[2])
        const source = head[3] as string
        const meter = head[4] as string
        const count = Number(head[5])
        if (
          flags.length !== 2 ||
          !Number.isSafeInteger(seq) ||
          !Number.isFinite(receivedAt) ||
          !Number.isSafeInteger(count) ||
          count < 0 ||
          i + count > lines.length - 1
        )
          bad('bad frame header')
        const rejectedText = head[6] as string
        let rejected = NO_REJECTIONS
        if (rejectedText !== '') {
          const parsed = JSON.parse(rejectedText) as unknown
          if (!Array.isArray(parsed)) bad('rejected groups must be an array')
          rejected = parsed as GroupRejection[]
        }
        const groups: TicGroup[] = new Array<TicGroup>(count)
        for (let k = 0; k < count; k += 1) {
          const line = lines[i + k] as string
          const a = line.indexOf(COMPACT_FS)
          if (a <= 0) bad('bad group')
          const b = line.indexOf(COMPACT_FS, a + 1)
          const label = line.slice(0, a)
          const value = b < 0 ? line.slice(a + 1) : line.slice(a + 1, b)
          const horodate = b < 0 ? undefined : line.slice(b + 1)
          groups[k] = { label, value, horodate }
        }
        i += count
        const entry = entryOf(source, meter)
        const last = entry.last
        for (let k = 0; k < count; k += 1) {
          const g = groups[k] as TicGroup
          const p = last[k]
          if (
            p !== undefined &&
            p.label === g.label &&
            p.value === g.value &&
            p.horodate === g.horodate
          )
            groups[k] = p
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
