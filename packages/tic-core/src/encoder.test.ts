import { describe, expect, it } from 'vitest'
import { encodeFrame, encodeGroup } from './encoder.js'

describe('encodeFrame', () => {
  it('copies groups given as bytes as they are, between the encoded ones', () => {
    const adco = encodeGroup('historique', { label: 'ADCO', value: '021861348591' })
    const mixed = encodeFrame('historique', [
      adco,
      { label: 'BASE', value: '001234567' },
      encodeGroup('historique', { label: 'PAPP', value: '00450' }),
    ])
    const specs = encodeFrame('historique', [
      { label: 'ADCO', value: '021861348591' },
      { label: 'BASE', value: '001234567' },
      { label: 'PAPP', value: '00450' },
    ])
    expect(mixed).toEqual(specs)
    expect(mixed[0]).toBe(0x02)
    expect(mixed.at(-1)).toBe(0x03)
  })
})
