import { describe, expect, it } from 'vitest'
import { createFrameDecoder } from './frame.js'
import type { TicFrame } from './frame.js'
import { createReadingBuilder } from './reading.js'
import { buildFrame, bytesOf } from './testing/index.js'
import { encodeGroup } from './encoder.js'

const frames = createFrameDecoder()
const decode = (bytes: Uint8Array): TicFrame => frames.decode(bytes.subarray(1, bytes.length - 1))
const hist = (groups: [string, string][]): TicFrame => decode(buildFrame('historique', groups))
const std = (groups: [string, string, string?][]): TicFrame =>
  decode(buildFrame('standard', groups))
const ADCO = '021861348497'

/** The index labels of each historique option and plausible values (Wh). */
const OPTIONS: readonly { optarif: string; indexes: readonly [string, number, string][] }[] = [
  { optarif: 'BASE', indexes: [['BASE', 1, '012345678']] },
  {
    optarif: 'HC..',
    indexes: [
      ['HCHC', 1, '057254096'],
      ['HCHP', 2, '044123456'],
    ],
  },
  {
    optarif: 'EJP.',
    indexes: [
      ['EJPHN', 1, '031000000'],
      ['EJPHPM', 2, '001200300'],
    ],
  },
  {
    optarif: 'BBR(',
    indexes: [
      ['BBRHCJB', 1, '010000001'],
      ['BBRHPJB', 2, '020000002'],
      ['BBRHCJW', 3, '003000003'],
      ['BBRHPJW', 4, '004000004'],
      ['BBRHCJR', 5, '000500005'],
      ['BBRHPJR', 6, '000600006'],
    ],
  },
]

/** A historique frame of `option` whose group `broken` carries `value` instead (checksum valid). */
function frameOf(o: (typeof OPTIONS)[number], broken?: string, value?: string): TicFrame {
  return hist([
    ['ADCO', ADCO],
    ['OPTARIF', o.optarif],
    ['ISOUSC', '30'],
    ...o.indexes.map(([l, , v]): [string, string] => [l, l === broken ? value! : v]),
    ['PTEC', 'TH..'],
    ['PAPP', '00450'],
  ])
}

/** The same frame as bytes, with the group `broken` corrupted so that its checksum fails. */
function frameWithBadChecksum(o: (typeof OPTIONS)[number], broken: string): TicFrame {
  const parts = [
    ['ADCO', ADCO],
    ['OPTARIF', o.optarif],
    ...o.indexes.map(([l, , v]) => [l, v]),
    ['PAPP', '00450'],
  ] as const
  let text = ''
  for (const [l, v] of parts) {
    const g = String.fromCharCode(...encodeGroup('historique', { label: l, value: v }))
    text +=
      l === broken
        ? g.replace(
            /.\r$/,
            (c) => String.fromCharCode(((c.charCodeAt(0) - 0x20 + 1) & 0x3f) + 0x20) + '\r',
          )
        : g
  }
  return frames.decode(bytesOf(text))
}

const total = (o: (typeof OPTIONS)[number]): number =>
  o.indexes.reduce((a, [, , v]) => a + Number(v), 0)

describe('reading.energy.importWh: the full total over the contract indexes, or null', () => {
  for (const o of OPTIONS) {
    it(`${o.optarif}: sums every index of the option`, () => {
      const r = createReadingBuilder().update(frameOf(o))
      expect(r.energy.importWh).toBe(total(o))
      expect(r.energy.importByIndexWh).toEqual(
        Object.fromEntries(o.indexes.map(([, n, v]) => [n, Number(v)])),
      )
    })

    for (const [label, n] of o.indexes) {
      for (const bad of ['0572A4096', '05725409', '']) {
        it(`${o.optarif}: ${label} = ${JSON.stringify(bad)} (checksum valid, refused) in the first frame gives null, never a partial sum`, () => {
          const r = createReadingBuilder().update(frameOf(o, label, bad))
          expect(r.energy.importWh).toBeNull()
          expect(r.energy.importByIndexWh[n]).toBeUndefined()
          // The other indexes are still reported one by one.
          for (const [l2, n2, v2] of o.indexes)
            if (l2 !== label) expect(r.energy.importByIndexWh[n2]).toBe(Number(v2))
        })
      }

      it(`${o.optarif}: ${label} missing from the first frame gives null`, () => {
        const r = createReadingBuilder().update(
          hist([
            ['ADCO', ADCO],
            ['OPTARIF', o.optarif],
            ...o.indexes.filter(([l]) => l !== label).map(([l, , v]): [string, string] => [l, v]),
          ]),
        )
        expect(r.energy.importWh).toBeNull()
      })

      it(`${o.optarif}: ${label} rejected by its checksum: first frame null, later the value in force`, () => {
        const bad = frameWithBadChecksum(o, label)
        expect(bad.rejected.map((x) => x.label)).toEqual([label])
        expect(createReadingBuilder().update(bad).energy.importWh).toBeNull()
        const b = createReadingBuilder()
        b.update(frameOf(o))
        expect(b.update(bad).energy.importWh).toBe(total(o))
      })
    }
  }

  it('the real case: a corrupted HCHP label that passes its checksum gives null, not HCHC alone', () => {
    const hc = OPTIONS[1]!
    const b = createReadingBuilder()
    expect(b.update(frameOf(hc)).energy.importWh).toBe(57254096 + 44123456)
    // `HCHP` read as `HCHQ` (an unknown label, kept as sent): HCHP is simply absent from this frame.
    const corrupted = hist([
      ['ADCO', ADCO],
      ['OPTARIF', 'HC..'],
      ['HCHC', '057254096'],
      ['HCHQ', '044123456'],
      ['PTEC', 'HP..'],
    ])
    expect(corrupted.rejected).toEqual([])
    const r = b.update(corrupted)
    expect(r.energy.importWh).toBeNull()
    expect(r.energy.importByIndexWh).toEqual({ 1: 57254096 })
    expect(b.update(frameOf(hc)).energy.importWh).toBe(57254096 + 44123456)
  })

  for (const o of OPTIONS.slice(1)) {
    it(`${o.optarif}: every index missing from a later frame in turn gives null`, () => {
      const b = createReadingBuilder()
      b.update(frameOf(o))
      for (const [label] of o.indexes) {
        const r = b.update(
          hist([
            ['ADCO', ADCO],
            ['OPTARIF', o.optarif],
            ...o.indexes.filter(([l]) => l !== label).map(([l, , v]): [string, string] => [l, v]),
          ]),
        )
        expect(r.energy.importWh).toBeNull()
        expect(b.update(frameOf(o)).energy.importWh).toBe(total(o))
      }
    })
  }

  it('ignores index groups of another option (gateways that send every label)', () => {
    const r = createReadingBuilder().update(
      hist([
        ['ADCO', ADCO],
        ['OPTARIF', 'HC..'],
        ['BASE', '000000000'],
        ['HCHC', '000001000'],
        ['HCHP', '000002000'],
        ['EJPHN', '000000000'],
      ]),
    )
    expect(r.energy.importWh).toBe(3000)
    expect(r.energy.importByIndexWh).toEqual({ 1: 1000, 2: 2000 })
  })

  it('without OPTARIF, takes the option from the index labels: full family or null', () => {
    expect(
      createReadingBuilder().update(
        hist([
          ['ADCO', ADCO],
          ['HCHC', '000001000'],
          ['HCHP', '000002000'],
        ]),
      ).energy.importWh,
    ).toBe(3000)
    expect(
      createReadingBuilder().update(
        hist([
          ['ADCO', ADCO],
          ['HCHC', '000001000'],
        ]),
      ).energy.importWh,
    ).toBeNull()
    expect(
      createReadingBuilder().update(
        hist([
          ['ADCO', ADCO],
          ['BASE', '000001000'],
        ]),
      ).energy.importWh,
    ).toBe(1000)
    expect(
      createReadingBuilder().update(
        hist([
          ['ADCO', ADCO],
          ['BBRHCJB', '000001000'],
          ['BBRHPJB', '000002000'],
        ]),
      ).energy.importWh,
    ).toBeNull()
    // Two families and no OPTARIF: which one is the contract cannot be told.
    expect(
      createReadingBuilder().update(
        hist([
          ['ADCO', ADCO],
          ['BASE', '000001000'],
          ['HCHC', '000001000'],
          ['HCHP', '000002000'],
        ]),
      ).energy.importWh,
    ).toBeNull()
    expect(
      createReadingBuilder().update(
        hist([
          ['ADCO', ADCO],
          ['PAPP', '00450'],
        ]),
      ).energy.importWh,
    ).toBeNull()
  })

  it('an unknown OPTARIF falls back on the index labels', () => {
    const r = createReadingBuilder().update(
      hist([
        ['ADCO', ADCO],
        ['OPTARIF', 'XYZ.'],
        ['EJPHN', '000001000'],
        ['EJPHPM', '000000500'],
      ]),
    )
    expect(r.energy.importWh).toBe(1500)
  })

  it('accepts the 8-digit indexes of a concentrator (decoder without length checks)', () => {
    const loose = createFrameDecoder({ checkLength: false })
    const bytes = buildFrame('historique', [
      ['ADCO', ADCO],
      ['OPTARIF', 'HC..'],
      ['HCHC', '00001000'],
      ['HCHP', '00002000'],
    ])
    const r = createReadingBuilder().update(loose.decode(bytes.subarray(1, bytes.length - 1)))
    expect(r.energy.importWh).toBe(3000)
  })

  it('standard: EAST is the total; a corrupted EAST gives null, never the sum of what is left', () => {
    const ok = createReadingBuilder().update(
      std([
        ['ADSC', '041776199277'],
        ['EAST', '000003000'],
        ['EASF01', '000001000'],
        ['EASF02', '000002000'],
      ]),
    )
    expect(ok.energy.importWh).toBe(3000)
    for (const bad of ['00000300O', '00003000', '']) {
      // Refused by the decoder (charset, length): absent from the first frame.
      const r = createReadingBuilder().update(
        std([
          ['ADSC', '041776199277'],
          ['EAST', bad],
          ['EASF01', '000001000'],
          ['EASF02', '000002000'],
        ]),
      )
      expect(r.energy.importWh).toBeNull()
      expect(r.energy.importByIndexWh).toEqual({ 1: 1000, 2: 2000 })
    }
    const badIndex = createReadingBuilder().update(
      std([
        ['ADSC', '041776199277'],
        ['EAST', '000003000'],
        ['EASF01', '0000010X0'],
        ['EASF02', '000002000'],
      ]),
    )
    expect(badIndex.energy.importByIndexWh).toEqual({ 2: 2000 })
  })
})
