import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createCompactWireDecoder } from './compact-wire-decoder.js'
import { createTicDecoder } from './decoder.js'
import { encodeCompactFrames } from './encode-compact-frames.js'
import type { PipelineFrame } from './stage/index.js'
import { buildFrame, concat } from './testing/index.js'
import { WireFormatError } from './wire.js'

const FIXTURES = [
  'hist_mono_hc_cbemm_blogexample.tic',
  'hist_mono_tempo_linky_lains_teleinfo-nom_raw.tic',
  'hist_mono_tempo_pyteleinfo.tic',
  'hist_tri_hc_linky_ziyaddev_data2.tic',
  'std_mono_base_linkytic.tic',
  'std_mono_hcwe_goteleinfo.tic',
  'std_mono_prod_hpc_teleinfo2mqtt_log.tic',
  'std_tri_tempo_noise_lains_teleinfo-nom_raw.tic',
]

/** The frames of a capture as the decoder stage emits them (reading built over the whole stream). */
function framesOf(name: string, source = 'meter'): PipelineFrame[] {
  const bytes = new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)))
  const d = createTicDecoder({ reading: true })
  let seq = 0
  return [...d.push(bytes), ...d.end()].flatMap((e) =>
    e.kind === 'frame' && e.frame.reading !== undefined
      ? [
          {
            ...e.frame,
            reading: e.frame.reading,
            meta: { seq: ++seq, receivedAt: 1_700_000_000_000 + seq * 1000, source },
          },
        ]
      : [],
  )
}

const TRI_LONG: [string, string][] = [
  ['ADCO', '031762220944'],
  ['OPTARIF', 'HC..'],
  ['ISOUSC', '20'],
  ['HCHC', '001234567'],
  ['HCHP', '007654321'],
  ['PTEC', 'HP..'],
  ['IINST1', '002'],
  ['IINST2', '003'],
  ['IINST3', '004'],
  ['PAPP', '01800'],
  ['MOTDETAT', '000000'],
]
const TRI_SHORT: [string, string][] = [
  ['ADIR1', '031'],
  ['ADIR2', '000'],
  ['ADIR3', '000'],
  ['ADCO', '031762220944'],
  ['IINST1', '031'],
  ['IINST2', '003'],
  ['IINST3', '004'],
]

/** A three-phase historique stream: long frames, short frames (an overrun), a corrupted HCHP. */
function triStream(): PipelineFrame[] {
  const corrupted = buildFrame('historique', TRI_LONG)
  const text = new TextDecoder('latin1').decode(corrupted)
  const at = text.indexOf('HCHP') + 5
  corrupted[at] = corrupted[at] === 0x39 ? 0x38 : 0x39 // a digit changed: the checksum fails
  const bytes = concat([
    buildFrame('historique', TRI_LONG),
    buildFrame('historique', TRI_SHORT),
    buildFrame('historique', TRI_SHORT),
    corrupted,
    buildFrame('historique', TRI_LONG),
  ])
  const d = createTicDecoder({ reading: true })
  let seq = 0
  return d.push(bytes).flatMap((e) =>
    e.kind === 'frame' && e.frame.reading !== undefined
      ? [
          {
            ...e.frame,
            reading: e.frame.reading,
            meta: { seq: ++seq, receivedAt: seq, source: 'tri' },
          },
        ]
      : [],
  )
}

/** Plain data, as a sink would see it after JSON (undefined horodates dropped). */
const plain = (frames: readonly PipelineFrame[]): unknown => JSON.parse(JSON.stringify(frames))

describe('compact wire form', () => {
  it.each(FIXTURES)(
    '%s: frames sent in batches of 1 to 7 come back with the same groups, rejections, meta and readings',
    (name) => {
      const frames = framesOf(name)
      expect(frames.length).toBeGreaterThan(0)
      const decoder = createCompactWireDecoder()
      const back: PipelineFrame[] = []
      for (let i = 0, size = 1; i < frames.length; i += size, size = (size % 7) + 1) {
        const text = encodeCompactFrames(frames.slice(i, i + size))
        expect(text).toBeDefined()
        back.push(...decoder.decode(text as string))
      }
      expect(plain(back)).toEqual(plain(frames))
    },
  )

  it('short frames and a rejected group carry earlier values over, as at the publisher', () => {
    const frames = triStream()
    expect(frames.map((f) => [f.short, f.rejected.length])).toEqual([
      [false, 0],
      [true, 0],
      [true, 0],
      [false, 1],
      [false, 0],
    ])
    // The publisher's reading of the short and corrupted frames still has the energy indexes.
    expect(frames[1]?.reading.energy.importWh).toBe(frames[0]?.reading.energy.importWh)
    expect(frames[3]?.reading.energy.importByIndexWh[2]).toBe(7_654_321)
    const back = createCompactWireDecoder().decode(encodeCompactFrames(frames) as string)
    expect(plain(back)).toEqual(plain(frames))
    // What the decoder did not see, it cannot carry over: a cold decoder (a server restarted
    // between the long and the short frame) reads the short frame without its energy.
    const [cold] = createCompactWireDecoder().decode(encodeCompactFrames([frames[1]!]) as string)
    expect(cold?.reading.energy.importWh).toBeNull()
  })

  it('keeps one reading builder per source and meter: interleaved meters read as if alone', () => {
    const a = framesOf('hist_tri_hc_linky_ziyaddev_data2.tic', 'pi-a')
    const b = framesOf('std_tri_tempo_noise_lains_teleinfo-nom_raw.tic', 'pi-b')
    const mixed: PipelineFrame[] = []
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if (a[i] !== undefined) mixed.push(a[i] as PipelineFrame)
      if (b[i] !== undefined) mixed.push(b[i] as PipelineFrame)
    }
    const decoder = createCompactWireDecoder()
    const back = decoder.decode(encodeCompactFrames(mixed) as string)
    expect(plain(back)).toEqual(plain(mixed))
    expect(decoder.meters).toBe(2)
  })

  it('is about a tenth of the JSON form', () => {
    const frames = framesOf('std_mono_hcwe_goteleinfo.tic')
    const compact = (encodeCompactFrames(frames) as string).length
    expect(compact * 5).toBeLessThan(JSON.stringify(frames).length)
  })

  it('forgets the oldest meter beyond maxMeters', () => {
    const decoder = createCompactWireDecoder({ maxMeters: 2 })
    for (const source of ['a', 'b', 'c'])
      decoder.decode(encodeCompactFrames(framesOf('std_mono_base_linkytic.tic', source)) as string)
    expect(decoder.meters).toBe(2)
  })

  it('leaves to JSON what it cannot carry (a line feed or U+001F in a string)', () => {
    const [frame] = framesOf('std_mono_base_linkytic.tic')
    const f = frame as PipelineFrame
    expect(encodeCompactFrames([{ ...f, meta: { ...f.meta, source: 'a\nb' } }])).toBeUndefined()
    expect(
      encodeCompactFrames([
        { ...f, groups: [{ label: 'X', value: 'a\x1fb', horodate: undefined }] },
      ]),
    ).toBeUndefined()
  })

  it('refuses a malformed payload, saying why', () => {
    const decoder = createCompactWireDecoder()
    const good = encodeCompactFrames(framesOf('std_mono_base_linkytic.tic').slice(0, 1)) as string
    expect(() => decoder.decode(good.slice(0, -1))).toThrow(WireFormatError)
    expect(() => decoder.decode(`x${good.slice(1)}`)).toThrow(/mode/)
    expect(() => decoder.decode('s0\x1f1\x1f2\x1fm\x1f\x1f5\x1f\n')).toThrow(/missing groups/)
    expect(() => decoder.decode('s0\x1f1\x1f2\n')).toThrow(/header/)
    expect(() => decoder.decode('s0\x1f1\x1f2\x1fm\x1f\x1f1\x1f\nnolabel\n')).toThrow(/group/)
  })

  it('a fresh decoder builds a frame alone as a fresh decoder stage would', () => {
    const bytes = buildFrame('standard', [
      ['ADSC', '041776199277'],
      ['SINSTS', '00263'],
    ])
    const [e] = createTicDecoder({ reading: true }).push(bytes)
    if (e?.kind !== 'frame' || e.frame.reading === undefined) throw new Error('no frame')
    const frame = {
      ...e.frame,
      reading: e.frame.reading,
      meta: { seq: 1, receivedAt: 5, source: 'm' },
    }
    const back = createCompactWireDecoder().decode(encodeCompactFrames([frame]) as string)
    expect(plain(back)).toEqual(plain([frame]))
  })
})
