import { describe, expect, it } from 'vitest'
import { createTicDecoder } from './decoder.js'
import { encodeFrame, encodeGroup } from './encoder.js'
import type { PipelineFrame } from './stage/index.js'
import { buildFrame } from './testing/index.js'
import { fromWire, toWire, WireFormatError } from './wire.js'

function pipelineFrame(): PipelineFrame {
  const [e] = createTicDecoder({ reading: true }).push(
    buildFrame('standard', [
      ['ADSC', '041776199277'],
      ['SINSTS', '00263'],
      ['SMAXSN', '00986', 'H240210110331'],
    ]),
  )
  if (e?.kind !== 'frame' || e.frame.reading === undefined) throw new Error('no frame')
  return {
    ...e.frame,
    reading: e.frame.reading,
    meta: { seq: 7, receivedAt: 1_700_000_000_000, source: 'meter' },
  }
}

describe('wire form', () => {
  it('round-trips through JSON', () => {
    const frame = pipelineFrame()
    const back = fromWire(JSON.parse(JSON.stringify(toWire(frame))))
    expect(back.meta).toEqual(frame.meta)
    expect(back.groups).toEqual(frame.groups)
    expect(back.reading).toEqual(JSON.parse(JSON.stringify(frame.reading)))
    expect(toWire(frame).v).toBe(1)
  })
  it('refuses what is not a wire frame, saying why', () => {
    const good = JSON.parse(JSON.stringify(toWire(pipelineFrame()))) as Record<string, unknown>
    expect(() => fromWire(null)).toThrow(WireFormatError)
    expect(() => fromWire({ ...good, v: 2 })).toThrow(/version 2/)
    expect(() => fromWire({ ...good, mode: 'x' })).toThrow(/mode/)
    expect(() => fromWire({ ...good, groups: [{ label: 1 }] })).toThrow(/group/)
    expect(() => fromWire({ ...good, meta: { seq: '1' } })).toThrow(/meta/)
    expect(() => fromWire({ ...good, reading: null })).toThrow(/reading/)
  })
})

describe('encoder', () => {
  it('refuses what a meter could not send', () => {
    expect(() => encodeGroup('historique', { label: 'MSG1', value: 'HAS SPACE' })).toThrow(
      TypeError,
    )
    expect(() => encodeGroup('standard', { label: 'bad', value: '1' })).toThrow(/label/)
    expect(() =>
      encodeGroup('historique', { label: 'PAPP', value: '00450', horodate: 'H240210110331' }),
    ).toThrow(/horodate/)
    expect(() => encodeGroup('standard', { label: 'PAPP', value: 'tab\there' })).toThrow(TypeError)
  })
  it('writes the exact bytes of the worked examples', () => {
    const text = (b: Uint8Array): string => new TextDecoder('latin1').decode(b)
    expect(text(encodeGroup('historique', { label: 'PTEC', value: 'HP..' }))).toBe(
      '\nPTEC HP..  \r',
    )
    expect(
      text(encodeGroup('standard', { label: 'DATE', value: '', horodate: 'E240924225642' })),
    ).toBe('\nDATE\tE240924225642\t\tH\r')
    expect(
      text(
        encodeGroup(
          'historique',
          { label: 'ISOUSC', value: '45' },
          { historiqueChecksum: 'mode2' },
        ),
      ),
    ).toBe('\nISOUSC 45 _\r')
    const frame = encodeFrame('standard', [{ label: 'SINSTS', value: '00263' }])
    expect(text(frame)).toBe('\x02\nSINSTS\t00263\tQ\r\x03')
  })
})
