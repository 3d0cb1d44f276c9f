import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicReading } from '@linkyrpi/tic-core'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { MeterState } from './meter-state.js'

function reading(papp: number, hchc: number, ptec = 'HC..'): TicReading {
  const decoder = createTicDecoder({ reading: true })
  const bytes = buildFrame('historique', [
    ['ADCO', '021861348497'],
    ['OPTARIF', 'HC..'],
    ['ISOUSC', '30'],
    ['HCHC', String(hchc).padStart(9, '0')],
    ['HCHP', '000500000'],
    ['PTEC', ptec],
    ['IINST', '002'],
    ['PAPP', String(papp).padStart(5, '0')],
  ])
  for (const e of decoder.push(bytes))
    if (e.kind === 'frame' && e.frame.reading !== undefined) return e.frame.reading
  throw new Error('no frame')
}

const state = (o: { measurementIntervalMs: number; energyIntervalMs: number }) =>
  new MeterState(o, () => ({ identifiers: ['x'] }))
const json = (s: MeterState) => JSON.parse(s.stateJson()) as Record<string, unknown>

describe('MeterState', () => {
  it('releases power at most once per interval, indexes on change, the period at once', () => {
    const s = state({ measurementIntervalMs: 5_000, energyIntervalMs: 0 })
    expect(s.fold(reading(400, 1000), 0).stateChanged).toBe(true)
    expect(json(s)).toMatchObject({ apparent_power: 400, index_1: 1000, period: 'HC..' })
    // 1 s later: power changed but is held; the index changed and is released.
    expect(s.fold(reading(900, 1001), 1_000).stateChanged).toBe(true)
    expect(json(s)).toMatchObject({ apparent_power: 400, index_1: 1001 })
    // Nothing new that is due: no publish.
    expect(s.fold(reading(950, 1001), 2_000).stateChanged).toBe(false)
    // The period changes: released at once, power still held.
    expect(s.fold(reading(960, 1001, 'HP..'), 3_000).stateChanged).toBe(true)
    expect(json(s)).toMatchObject({ apparent_power: 400, period: 'HP..' })
    // 5 s after the last power release: the current value goes out.
    expect(s.fold(reading(970, 1001, 'HP..'), 5_000).stateChanged).toBe(true)
    expect(json(s)).toMatchObject({ apparent_power: 970 })
  })

  it('with interval 0, releases every change; an unchanged frame publishes nothing', () => {
    const s = state({ measurementIntervalMs: 0, energyIntervalMs: 0 })
    s.fold(reading(400, 1000), 0)
    expect(s.fold(reading(410, 1000), 1).stateChanged).toBe(true)
    expect(s.fold(reading(410, 1000), 2).stateChanged).toBe(false)
  })

  it('announces entities once, and never removes one', () => {
    const s = state({ measurementIntervalMs: 0, energyIntervalMs: 0 })
    const first = s.fold(reading(400, 1000), 0).newEntities.map((e) => e.key)
    expect(first).toContain('index_2')
    expect(s.fold(reading(410, 1001), 1).newEntities).toEqual([])
    expect(s.all.map((e) => e.key)).toEqual(first)
  })
})
