import { describe, expect, it } from 'vitest'
import { createFrameDecoder, MODE2_LATCH_GROUPS } from './frame.js'
import { checksumOfString } from './checksum.js'
import { buildFrame, bytesOf, encodeFrame } from './testing/index.js'

const content = (frame: Uint8Array): Uint8Array => frame.subarray(1, frame.length - 1)

describe('createFrameDecoder', () => {
  it('decodes every group of a frame in order', () => {
    const f = createFrameDecoder().decode(
      content(
        buildFrame('historique', [
          ['ADCO', '021861348497'],
          ['PTEC', 'HP..'],
          ['PAPP', '00450'],
        ]),
      ),
    )
    expect(f.mode).toBe('historique')
    expect(f.short).toBe(false)
    expect(f.groups.map((g) => [g.label, g.value])).toEqual([
      ['ADCO', '021861348497'],
      ['PTEC', 'HP..'],
      ['PAPP', '00450'],
    ])
    expect(f.rejected).toEqual([])
  })
  it('reports junk, a group without LF and an unterminated group', () => {
    const bytes = bytesOf('OT 00 #\r\nADCO 041976300236 @\r\nxx\nPAPP 00450 *\r\nIINST1 00')
    const f = createFrameDecoder().decode(bytes)
    expect(f.groups.map((g) => g.label)).toEqual(['ADCO', 'PAPP'])
    expect(f.rejected.map((r) => [r.reason, r.raw])).toEqual([
      ['malformed', 'OT 00 #'],
      ['malformed', 'xx'],
      ['malformed', 'IINST1 00'],
    ])
  })
  it('reports a group cut by another LF', () => {
    const f = createFrameDecoder().decode(bytesOf('\nPAPP 004\nPAPP 00450 *\r'))
    expect(f.groups.map((g) => g.value)).toEqual(['00450'])
    expect(f.rejected).toEqual([{ raw: 'PAPP 004', reason: 'malformed', label: undefined }])
  })
  it('flags three-phase short frames', () => {
    const short = buildFrame('historique', [
      ['ADIR1', '031'],
      ['ADCO', '041976300236'],
      ['IINST1', '031'],
      ['IINST2', '002'],
      ['IINST3', '000'],
    ])
    expect(createFrameDecoder().decode(content(short)).short).toBe(true)
    const long = buildFrame('historique', [
      ['ADCO', '041976300236'],
      ['OPTARIF', 'BASE'],
      ['IINST1', '031'],
    ])
    expect(createFrameDecoder().decode(content(long)).short).toBe(false)
  })
  it('decodes a stream that switches mode, frame by frame', () => {
    const d = createFrameDecoder()
    expect(d.decode(content(buildFrame('historique', [['PAPP', '00450']]))).mode).toBe('historique')
    expect(d.decode(content(buildFrame('standard', [['SINSTS', '00450']]))).mode).toBe('standard')
  })
  it('with a fixed mode, rejects the other mode', () => {
    const f = createFrameDecoder({ mode: 'standard' }).decode(
      content(buildFrame('historique', [['PAPP', '00450']])),
    )
    expect(f.groups).toEqual([])
    expect(f.rejected.map((r) => r.reason)).toEqual(['mode'])
  })
  it('latches checksum mode 2 only after consistent evidence, never accepting both rules', () => {
    const mode2 = (value: string): Uint8Array =>
      content(
        encodeFrame('historique', [{ label: 'PAPP', value }], { historiqueChecksum: 'mode2' }),
      )
    const d = createFrameDecoder()
    const accepted: boolean[] = []
    for (let i = 0; i < MODE2_LATCH_GROUPS + 2; i++)
      accepted.push(d.decode(mode2(String(10000 + i))).groups.length === 1)
    expect(accepted.slice(0, MODE2_LATCH_GROUPS - 1).every((a) => !a)).toBe(true)
    expect(accepted.slice(MODE2_LATCH_GROUPS - 1).every(Boolean)).toBe(true)
    expect(d.historiqueChecksum).toBe('mode2')
    // Now mode 1 groups are refused, until they in turn latch back.
    expect(d.decode(content(buildFrame('historique', [['PAPP', '00450']]))).groups).toEqual([])
  })
  it('a fixed checksum rule never latches', () => {
    const d = createFrameDecoder({ historiqueChecksum: 'mode1' })
    const f = content(
      encodeFrame('historique', [{ label: 'PAPP', value: '00450' }], {
        historiqueChecksum: 'mode2',
      }),
    )
    for (let i = 0; i < 20; i++) expect(d.decode(f).groups).toEqual([])
    const d2 = createFrameDecoder({ historiqueChecksum: 'mode2' })
    expect(d2.decode(f).groups).toHaveLength(1)
  })
  it('gives the same result with and without the memo, frame after frame', () => {
    const frames = [
      buildFrame('historique', [
        ['ADCO', '021861348497'],
        ['PAPP', '00450'],
        ['IINST', '002'],
      ]),
      buildFrame('historique', [
        ['ADCO', '021861348497'],
        ['PAPP', '00460'],
        ['IINST', '002'],
      ]),
      bytesOf('\x02\nADCO 021861348497 L\r\nPAPP 00460 X\r\nIINST 002 Y\r\x03'),
      buildFrame('historique', [
        ['ADCO', '021861348497'],
        ['IINST', '002'],
      ]),
      buildFrame('standard', [
        ['ADSC', '021861348497'],
        ['SINSTS', '00263'],
      ]),
    ]
    const a = createFrameDecoder()
    const b = createFrameDecoder({ memo: false })
    for (const f of frames) expect(a.decode(content(f))).toEqual(b.decode(content(f)))
  })
  it('the memo keeps a few older values of each label: a value that comes back is reused', () => {
    const frame = (papp: string, iinst: string): Uint8Array =>
      content(
        buildFrame('historique', [
          ['ADCO', '021861348497'],
          ['PAPP', papp],
          ['IINST', iinst],
        ]),
      )
    const d = createFrameDecoder()
    const reference = createFrameDecoder({ memo: false })
    const seen = ['00450', '00460', '00470', '00460', '00450', '00480'].map((papp, i) => {
      const f = frame(papp, i % 2 === 0 ? '002' : '003')
      const decoded = d.decode(f)
      expect(decoded).toEqual(reference.decode(f))
      return decoded.groups[1]!
    })
    expect(seen[3]).toBe(seen[1])
    expect(seen[4]).toBe(seen[0])
    expect(seen[5]).not.toBe(seen[0])
  })
  it('a known label with a value of wrong characters but a valid checksum is refused as without memo', () => {
    // Groups of a label already seen are checked by a shorter path: it must refuse what the full
    // path refuses, checksum aside.
    const group = (label: string, sep: string, value: string, horodate?: string): string => {
      const area = label + sep + (horodate === undefined ? '' : horodate + sep) + value + sep
      const checked = sep === '\t' ? area : area.slice(0, -1)
      return `\n${area}${String.fromCharCode(checksumOfString(checked))}\r`
    }
    const H = 'H240210110331'
    const cases: readonly (readonly [string, string, string, string?, string?])[] = [
      ['LTARF', '\t', ' HEURE\tCREUSE  '],
      ['LTARF', '\t', ' HEURE \x01CREUSE '],
      ['LTARF', '\t', ' HEURE  CREUSE \x7f'],
      ['EAST', '\t', '00012345A'],
      ['EAST', '\t', '0001234567'],
      ['EAST', '\t', '00012345'],
      ['STGE', '\t', '003a0100'],
      ['STGE', '\t', '003G0100'],
      ['SMAXSN', '\t', '00987', 'H240231110331'],
      ['SMAXSN', '\t', '00987', 'H24021011033'],
      ['SMAXSN', '\t', '00987', 'x240210110331'],
      ['SMAXSN', '\t', '00987'],
      ['DATE', '\t', 'X', H],
      ['DATE', '\t', ''],
      ['PTEC', ' ', 'HP. '],
      ['PTEC', ' ', 'HP.\t'],
      ['PAPP', ' ', '0045A'],
      ['PAPP', ' ', ''],
      ['PAPP', ' ', '00450', undefined, 'mode2'],
    ]
    const good: Record<string, readonly [string, string?]> = {
      LTARF: [' HEURE  CREUSE  '],
      EAST: ['000123456'],
      STGE: ['003A0100'],
      SMAXSN: ['00986', H],
      DATE: ['', H],
      PTEC: ['HP..'],
      PAPP: ['00460'],
    }
    for (const [label, sep, value, horodate, rule] of cases) {
      const d = createFrameDecoder()
      const reference = createFrameDecoder({ memo: false })
      const [goodValue, goodHorodate] = good[label]!
      expect(d.decode(bytesOf(group(label, sep, goodValue, goodHorodate))).groups).toHaveLength(1)
      const text = group(label, sep, value, horodate)
      // Mode 2: the checksum with the last separator, which a mode-1 decoder refuses.
      const f = bytesOf(
        rule === 'mode2'
          ? text.slice(0, -2) + String.fromCharCode(text.charCodeAt(text.length - 2) ^ 0x60) + '\r'
          : text,
      )
      expect(d.decode(f), `${label} ${JSON.stringify(value)}`).toEqual(reference.decode(f))
      expect(reference.decode(f).groups, `${label} ${JSON.stringify(value)}`).toHaveLength(0)
    }
  })
  it('the memo sees a change of any byte, at any memory alignment', () => {
    // Memoised groups are compared 4 bytes at a time, unaligned: one byte changed anywhere in the
    // frame, wherever the frame sits in memory, must give what the decoder without memo gives.
    const f = content(
      buildFrame('standard', [
        ['ADSC', '021861348497'],
        ['DATE', '', 'H240210121355'],
        ['EAST', '000123456'],
        ['SMAXSN', '00986', 'H240210110331'],
        ['STGE', '003A0100'],
        ['LTARF', ' HEURE  CREUSE  '],
        ['PJOURF+1', '00004001 06004002 22004001 NONUTILE NONUTILE'],
      ]),
    )
    const at = (bytes: Uint8Array, shift: number): Uint8Array => {
      const memory = new Uint8Array(bytes.length + 8)
      memory.set(bytes, shift)
      return memory.subarray(shift, shift + bytes.length)
    }
    const reference = createFrameDecoder({ memo: false })
    const changes = [(c: number) => c ^ 0x01, (c: number) => c ^ 0x10, () => 0x09, () => 0x20]
    for (let p = 0; p < f.length * changes.length; p++) {
      const changed = f.slice()
      const k = p % f.length
      changed[k] = changes[Math.floor(p / f.length)]!(changed[k]!)
      for (let shift = 0; shift < 4; shift++) {
        const d = createFrameDecoder()
        d.decode(at(f, (shift + 1) & 3))
        expect(d.decode(at(changed, shift))).toEqual(reference.decode(changed))
        expect(d.decode(at(f, shift))).toEqual(reference.decode(f))
      }
    }
  })
})

describe('isShortFrame', () => {
  it('needs per-phase groups: ADCO alone is a pre-Linky standby frame, not a short frame', async () => {
    const { isShortFrame } = await import('./frame.js')
    const g = (label: string) => ({ label, value: '0', horodate: undefined })
    expect(isShortFrame([g('ADCO')])).toBe(false)
    expect(isShortFrame([g('ADCO'), g('IINST1'), g('IINST2'), g('IINST3')])).toBe(true)
    expect(isShortFrame([g('ADIR2'), g('ADCO'), g('IINST2')])).toBe(true)
    expect(isShortFrame([g('ADCO'), g('IINST1'), g('PAPP')])).toBe(false)
    expect(isShortFrame([])).toBe(false)
  })
})
