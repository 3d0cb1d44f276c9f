import { describe, expect, it } from 'vitest'
import { TRV_CATALOGUE, pricesOn } from '@linkyrpi/analytics'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicReading } from '@linkyrpi/tic-core'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { catalogueRateFor } from './mqtt-stage.js'

function reading(groups: readonly (readonly [string, string])[]): TicReading {
  const decoder = createTicDecoder({ reading: true })
  for (const e of decoder.push(buildFrame('historique', groups)))
    if (e.kind === 'frame' && e.frame.reading !== undefined) return e.frame.reading
  throw new Error('no frame')
}

const JAN_12_2026 = Date.UTC(2026, 0, 12, 10)

describe('catalogueRateFor', () => {
  it('maps the catalogue periods of a Tempo contract to supplier indexes 1-6 for the local day and power', () => {
    const r = reading([
      ['ADCO', '021861348497'],
      ['OPTARIF', 'BBR('],
      ['ISOUSC', '45'],
      ['BBRHCJB', '000000001'],
      ['PTEC', 'HPJB'],
      ['PAPP', '00400'],
    ])
    const info = catalogueRateFor(TRV_CATALOGUE)(r, JAN_12_2026)
    const expected = pricesOn(TRV_CATALOGUE, '2026-01-12', 'tempo', 9)!
    expect(info).toEqual({
      day: '2026-01-12',
      eurPerKWhByIndex: {
        1: expected.energy['blue-hc'],
        2: expected.energy['blue-hp'],
        3: expected.energy['white-hc'],
        4: expected.energy['white-hp'],
        5: expected.energy['red-hc'],
        6: expected.energy['red-hp'],
      },
    })
    expect(Object.values(info!.eurPerKWhByIndex).every((p) => p > 0.05 && p < 1)).toBe(true)
  })

  it('gives no price to an option the catalogue does not price', () => {
    const r = reading([
      ['ADCO', '021861348497'],
      ['OPTARIF', 'XXXX'],
      ['ISOUSC', '45'],
      ['BASE', '000000001'],
      ['PAPP', '00400'],
    ])
    expect(catalogueRateFor(TRV_CATALOGUE)(r, JAN_12_2026)).toBeNull()
  })
})
