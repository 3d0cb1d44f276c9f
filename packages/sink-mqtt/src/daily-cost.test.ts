import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicReading } from '@linkyrpi/tic-core'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { DailyCost } from './daily-cost.js'

function reading(hchc: number, hchp: number, ptec: string): TicReading {
  const decoder = createTicDecoder({ reading: true })
  const bytes = buildFrame('historique', [
    ['ADCO', '021861348497'],
    ['OPTARIF', 'HC..'],
    ['ISOUSC', '30'],
    ['HCHC', String(hchc).padStart(9, '0')],
    ['HCHP', String(hchp).padStart(9, '0')],
    ['PTEC', ptec],
    ['IINST', '002'],
    ['PAPP', '00400'],
  ])
  for (const e of decoder.push(bytes))
    if (e.kind === 'frame' && e.frame.reading !== undefined) return e.frame.reading
  throw new Error('no frame')
}

const PRICES = { 1: 0.2, 2: 0.3 } // €/kWh: HC, HP

describe('DailyCost', () => {
  it('prices the Wh counted since the first frame of the day per index; the price follows the period', () => {
    const c = new DailyCost()
    c.update(reading(10_000, 20_000, 'HC..'), { day: '2026-01-12', eurPerKWhByIndex: PRICES })
    expect(c.costEur).toBe(0)
    expect(c.price).toBe(0.2)
    c.update(reading(11_500, 20_000, 'HC..'), { day: '2026-01-12', eurPerKWhByIndex: PRICES })
    c.update(reading(11_500, 22_000, 'HP..'), { day: '2026-01-12', eurPerKWhByIndex: PRICES })
    expect(c.costEur).toBe(1.5 * 0.2 + 2 * 0.3)
    expect(c.price).toBe(0.3)
  })

  it('restarts at 0 on a new day, re-bases a register that went backwards, and is null when not priced', () => {
    const c = new DailyCost()
    c.update(reading(10_000, 20_000, 'HP..'), { day: '2026-01-12', eurPerKWhByIndex: PRICES })
    c.update(reading(10_000, 21_000, 'HP..'), { day: '2026-01-12', eurPerKWhByIndex: PRICES })
    expect(c.costEur).toBe(0.3)
    c.update(reading(10_000, 21_500, 'HP..'), { day: '2026-01-13', eurPerKWhByIndex: PRICES })
    expect(c.costEur).toBe(0)
    c.update(reading(10_000, 100, 'HP..'), { day: '2026-01-13', eurPerKWhByIndex: PRICES })
    expect(c.costEur).toBe(0)
    c.update(reading(10_000, 1_100, 'HP..'), { day: '2026-01-13', eurPerKWhByIndex: PRICES })
    expect(c.costEur).toBe(0.3)
    c.update(reading(10_000, 1_100, 'HP..'), null)
    expect([c.price, c.costEur]).toEqual([null, null])
  })
})
