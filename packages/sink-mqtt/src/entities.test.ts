import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicMode, TicReading } from '@linkyrpi/tic-core'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { contractIndexes, entitiesOf } from './entities.js'

/** The reading of one frame built from groups. */
function readingOf(
  mode: TicMode,
  groups: readonly (readonly [string, string, string?])[],
): TicReading {
  const decoder = createTicDecoder({ reading: true })
  for (const e of decoder.push(buildFrame(mode, groups)))
    if (e.kind === 'frame' && e.frame.reading !== undefined) return e.frame.reading
  throw new Error('no frame')
}

const TEMPO_BLUE_DAY = [
  ['ADCO', '021861348497'],
  ['OPTARIF', 'BBR('],
  ['ISOUSC', '45'],
  ['BBRHCJB', '001234567'],
  ['BBRHPJB', '002345678'],
  ['BBRHCJW', '000000000'],
  ['BBRHPJW', '000000000'],
  ['BBRHCJR', '000000000'],
  ['BBRHPJR', '000000000'],
  ['PTEC', 'HPJB'],
  ['DEMAIN', '----'],
  ['IINST', '005'],
  ['IMAX', '090'],
  ['PAPP', '01150'],
  ['HHPHC', 'A'],
  ['MOTDETAT', '000000'],
] as const

describe('entitiesOf', () => {
  it('announces all six Tempo indexes on a blue day, before any red day, with their Tempo names', () => {
    const r = readingOf('historique', TEMPO_BLUE_DAY)
    const entities = entitiesOf(r)
    const indexes = entities.filter((e) => e.key.startsWith('index_'))
    expect(indexes.map((e) => e.key)).toEqual([
      'index_1',
      'index_2',
      'index_3',
      'index_4',
      'index_5',
      'index_6',
    ])
    expect(indexes.map((e) => e.name.fr)).toEqual([
      'Index HC Bleu',
      'Index HP Bleu',
      'Index HC Blanc',
      'Index HP Blanc',
      'Index HC Rouge',
      'Index HP Rouge',
    ])
    expect(indexes.map((e) => e.value(r))).toEqual([1234567, 2345678, 0, 0, 0, 0])
    expect(entities.find((e) => e.key === 'tempo_today')?.value(r)).toBe('blue')
    // DEMAIN '----': not announced yet → unknown, the entity exists all the same.
    expect(entities.find((e) => e.key === 'tempo_tomorrow')?.value(r)).toBeNull()
  })

  it('gives a single-phase historique meter no L2/L3, no voltage, no relay and no export entity', () => {
    const keys = entitiesOf(readingOf('historique', TEMPO_BLUE_DAY)).map((e) => e.key)
    expect(keys).toContain('current_l1')
    expect(keys.filter((k) => /_l[23]$|^voltage|^relay|export|inject/.test(k))).toEqual([])
  })

  it('binary sensors read ON/OFF, or null when the meter does not say', () => {
    const r = readingOf('historique', [
      ...TEMPO_BLUE_DAY.slice(0, -1),
      ['ADPS', '046'],
      ['MOTDETAT', '000000'],
    ])
    expect(
      entitiesOf(r)
        .find((e) => e.key === 'overpower')
        ?.value(r),
    ).toBe('ON')
  })

  it('for an unknown option, takes the indexes the meter counts', () => {
    const r = readingOf('standard', [
      ['ADSC', '021861348497'],
      ['NGTF', '  FOURNISSEUR X  '],
      ['LTARF', '  PERIODE 3  '],
      ['EAST', '000004000'],
      ['EASF01', '000001000'],
      ['EASF02', '000000000'],
      ['EASF03', '000003000'],
      ['NTARF', '04'],
      ['SINSTS', '00450'],
    ])
    expect(r.contract.option).toBe('other')
    expect(contractIndexes(r)).toEqual([1, 3, 4])
  })
})
