import { describe, expect, it } from 'vitest'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { applyWireFaults } from './wire-faults.js'

const frame = buildFrame('historique', [
  ['ADCO', '021861348497'],
  ['BASE', '001234567'],
  ['PAPP', '00750'],
])
let seed = 7
const rng = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646

describe('applyWireFaults', () => {
  it('drops and flips bits on a copy: the clean frame the simulator keeps is left as it was', () => {
    const clean = frame.slice()
    const { bytes } = applyWireFaults(
      clean,
      clean,
      'historique',
      { bitErrorRate: 0.2, dropRate: 0.1, eotRate: 0, wrongBaud: false, modeSwitchAtMs: null },
      rng,
    )
    expect(clean).toEqual(frame)
    expect(bytes).not.toEqual(frame)
    expect(bytes.length).toBeLessThan(frame.length)
  })

  it('leaves the bytes untouched without faults', () => {
    const clean = frame.slice()
    const { bytes, interrupted } = applyWireFaults(
      clean,
      clean,
      'historique',
      { bitErrorRate: 0, dropRate: 0, eotRate: 0, wrongBaud: false, modeSwitchAtMs: null },
      rng,
    )
    expect(bytes).toEqual(frame)
    expect(interrupted).toBe(false)
  })
})
