import { describe, expect, it } from 'vitest'
import { parseSimulateSpec } from './simulate-spec.js'

describe('parseSimulateSpec', () => {
  it('reads option, phases, producer and mode in any order', () => {
    expect(parseSimulateSpec('tempo,3,producer')).toEqual({
      option: 'tempo',
      phases: 3,
      producer: true,
      mode: 'standard',
    })
    expect(parseSimulateSpec('historique, EJP ,tri')).toEqual({
      option: 'ejp',
      phases: 3,
      mode: 'historique',
    })
    expect(parseSimulateSpec('base')).toEqual({ option: 'base' })
    expect(parseSimulateSpec('mono,standard,hc')).toEqual({
      option: 'hc',
      phases: 1,
      mode: 'standard',
    })
    expect(parseSimulateSpec('producer,standard')).toEqual({ producer: true, mode: 'standard' })
  })

  it('lists every problem at once', () => {
    expect(() => parseSimulateSpec('tempo,2,weekend')).toThrow(
      "--simulate 'tempo,2,weekend': '2' is not one of base|hc|ejp|tempo, 1|3 (mono|tri), producer, historique|standard; 'weekend' is not one of base|hc|ejp|tempo, 1|3 (mono|tri), producer, historique|standard",
    )
    expect(() => parseSimulateSpec('hc,base,1,3')).toThrow(
      "'base': the tariff option given twice; '3': the phases given twice",
    )
    expect(() => parseSimulateSpec('producer,historique')).toThrow('producer needs standard mode')
    expect(() => parseSimulateSpec(' , ')).toThrow('empty')
  })
})
