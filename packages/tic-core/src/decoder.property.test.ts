import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTicDecoder } from './decoder.js'
import type { DecoderEvent } from './decoder.js'
import { encodeGroup } from './encoder.js'
import { createTicFramer } from './framer.js'
import { LABELS } from './labels/labels.js'
import type { TicMode } from './mode.js'
import { concat } from './testing/index.js'

const RUNS = { numRuns: 150 }

/** Valid frames built from catalogue labels with random digit values. */
const groupArb = (mode: TicMode) =>
  fc
    .constantFrom(
      ...LABELS.filter(
        (l) => l.mode === mode && l.charset === 'digits' && !l.horodate && l.length !== null,
      ),
    )
    .chain((info) =>
      fc
        .stringMatching(new RegExp(`^[0-9]{${String(info.length)}}$`))
        .map((value) => ({ label: info.label, value })),
    )
const frameArb = fc
  .constantFrom<TicMode>('historique', 'standard')
  .chain((mode) =>
    fc
      .array(groupArb(mode), { minLength: 1, maxLength: 12 })
      .map((groups) =>
        concat([
          Uint8Array.of(0x02),
          ...groups.map((g) => encodeGroup(mode, g)),
          Uint8Array.of(0x03),
        ]),
      ),
  )
const streamArb = fc.array(frameArb, { minLength: 1, maxLength: 6 }).map(concat)

function decodeAll(chunks: readonly Uint8Array[]): DecoderEvent[] {
  const d = createTicDecoder({ reading: true, maxFrameBytes: 2048 })
  return [...chunks.flatMap((c) => d.push(c)), ...d.end()]
}

/** Cuts `bytes` at the given (sorted, deduplicated) positions. */
function cut(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const p of points) {
    out.push(bytes.subarray(prev, p))
    prev = p
  }
  out.push(bytes.subarray(prev))
  return out
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if ((hay[i + j]! & 0x7f) !== needle[j]) continue outer
    return i
  }
  return -1
}

describe('decoder properties (fast-check)', { timeout: 120_000 }, () => {
  it('never throws on arbitrary bytes, and reports every byte it does not frame', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (bytes, at) => {
          const chunks = cut(bytes, at)
          const events = decodeAll(chunks)
          // Every byte is either in a frame (STX + body + ETX) or in a reported discarded run; the
          // decoder frames exactly as its framer does, event for event.
          const framer = createTicFramer({ maxFrameBytes: 2048 })
          const framed = [...chunks.flatMap((c) => framer.push(c)), ...framer.end()]
          let accounted = 0
          for (const e of framed)
            accounted += e.kind === 'frame' ? e.frame.bytes.length + 2 : e.byteCount
          expect(accounted).toBe(bytes.length)
          expect(
            events.map((e) =>
              e.kind === 'frame' ? 'frame' : `${e.reason}:${String(e.byteCount)}`,
            ),
          ).toEqual(
            framed.map((e) =>
              e.kind === 'frame' ? 'frame' : `${e.reason}:${String(e.byteCount)}`,
            ),
          )
          for (const e of events) if (e.kind === 'frame') expect(e.frame.reading).toBeDefined()
        },
      ),
      RUNS,
    )
  })

  it('decoding is independent of chunking', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 10 }), (bytes, at) => {
        expect(decodeAll(cut(bytes, at))).toEqual(decodeAll([bytes]))
      }),
      RUNS,
    )
  })

  it('the group memo never changes a result, even on noisy streams', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 12 }),
        (bytes, flips) => {
          // Repeat the stream so that labels are known when corrupted copies arrive.
          const noisy = concat([bytes, bytes, bytes])
          for (const [pos, bit] of flips)
            noisy[bytes.length + (pos % (2 * bytes.length))]! ^= 1 << bit
          const on = createTicDecoder({ reading: true })
          const off = createTicDecoder({ reading: true, memo: false })
          expect([...on.push(noisy), ...on.end()]).toEqual([...off.push(noisy), ...off.end()])
        },
      ),
      RUNS,
    )
  })

  it('valid frames decode to exactly their groups', () => {
    fc.assert(
      fc.property(frameArb, (bytes) => {
        const events = decodeAll([bytes])
        expect(events).toHaveLength(1)
        const e = events[0]!
        if (e.kind !== 'frame') throw new Error(`expected a frame, got ${e.reason}`)
        expect(e.frame.rejected).toEqual([])
        // Exactly the groups encoded, in order, with their values: re-encoding them gives the input.
        const mode = e.frame.mode
        expect(
          concat([
            Uint8Array.of(0x02),
            ...e.frame.groups.map((g) => encodeGroup(mode, g)),
            Uint8Array.of(0x03),
          ]),
        ).toEqual(bytes)
      }),
      RUNS,
    )
  })

  it('no group whose checksum fails is ever accepted (random bit flips)', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 6 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (bytes, flips) => {
          const noisy = bytes.slice()
          for (const [pos, bit] of flips) noisy[pos % noisy.length]! ^= 1 << bit
          for (const e of decodeAll([noisy])) {
            if (e.kind !== 'frame') continue
            for (const g of e.frame.groups) {
              // Every accepted group, re-encoded with a valid checksum, is present byte for byte in
              // the noisy input: what was accepted is what was received, and its checksum holds.
              // (A corrupted ETX/STX can merge two frames of different modes: try both.)
              const found = (['historique', 'standard'] as const).some((m) => {
                try {
                  return indexOf(noisy, encodeGroup(m, g)) >= 0
                } catch {
                  return false // a group that mode cannot carry (a space in historique data)
                }
              })
              expect(found).toBe(true)
            }
          }
        },
      ),
      RUNS,
    )
  })

  it('memory stays bounded: no frame beyond maxFrameBytes, whatever the input', () => {
    fc.assert(
      fc.property(
        fc
          .uint8Array({ minLength: 2049, maxLength: 8000 })
          .map((b) => b.map((x) => (x === 3 || x === 4 ? 0x41 : x))),
        (bytes) => {
          const input = concat([Uint8Array.of(0x02), bytes])
          const events = decodeAll([input])
          const discarded = events.reduce(
            (n, e) => n + (e.kind === 'discarded' ? e.byteCount : 0),
            0,
          )
          // Frames found inside (after a random STX) are each < 2048 bytes; the rest is reported.
          for (const e of events)
            if (e.kind === 'frame') expect(e.frame.groups.length).toBeLessThan(2048 / 4)
          expect(discarded).toBeGreaterThan(0)
        },
      ),
      { numRuns: 100 },
    )
  })
})
