import type { PipelineFrame } from './stage/index.js'

/**
 * Version of the compact wire form (the `Linky-Wire` header of a NATS message that carries it).
 * Version 1 is the JSON form of {@link toWire}.
 */
export const COMPACT_WIRE_VERSION = 2

/** Separates the fields of a line of the compact wire form. */
export const COMPACT_FS = '\x1f'

const unsafe = /[\n\x1f]/

/**
 * Encodes frames in the compact wire form: per frame, a header line (mode and short flag, `meta`
 * seq, receivedAt and source, the reading's meter id, group count, rejected groups as JSON) then one line per group (`label`, `value`, horodate),
 * fields separated by U+001F. The reading is not sent: the receiver rebuilds it from the groups
 * with one reading builder per meter ({@link createCompactWireDecoder}), a tenth of the bytes of
 * the JSON form. Returns undefined when a string holds a line feed or U+001F (TIC data never
 * does): the caller then sends the JSON form.
 */
export function encodeCompactFrames(frames: readonly PipelineFrame[]): string | undefined {
  let out = ''
  for (const f of frames) {
    const { seq, receivedAt, source } = f.meta
    const meter = f.reading.meter.id ?? ''
    if (unsafe.test(source) || unsafe.test(meter)) return undefined
    out += `${f.mode === 'standard' ? 's' : 'h'}${f.short ? 1 : 0}${COMPACT_FS}${seq}${COMPACT_FS}${receivedAt}${COMPACT_FS}${source}${COMPACT_FS}${meter}${COMPACT_FS}${f.groups.length}${COMPACT_FS}${f.rejected.length === 0 ? '' : JSON.stringify(f.rejected)}\n`
    for (const g of f.groups) {
      if (unsafe.test(g.label) || unsafe.test(g.value)) return undefined
      out +=
        g.horodate === undefined
          ? `${g.label}${COMPACT_FS}${g.value}\n`
          : `${g.label}${COMPACT_FS}${g.value}${COMPACT_FS}${g.horodate}\n`
    }
  }
  return out
}
