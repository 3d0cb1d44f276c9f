import { describe, expect, it } from 'vitest'
import { countValue, createEnergyCounter } from './energy-counter.js'
import type { CountStep, EnergyCounter } from './energy-counter.js'

const step = (): CountStep => ({ wh: 0, resetFrom: -1, resetFromT: 0 })
/** Feeds [t, value] pairs of one register; returns the energy of each and the resets seen. */
function feed(
  c: EnergyCounter,
  values: readonly (readonly [number, number])[],
): { wh: number[]; resets: [number, number][] } {
  const out = step()
  const wh: number[] = []
  const resets: [number, number][] = []
  for (const [t, v] of values) {
    countValue(c, 'import', t, v, out)
    wh.push(out.wh)
    if (out.resetFrom >= 0) resets.push([out.resetFrom, v])
  }
  return { wh, resets }
}

describe('countValue', () => {
  it('counts increments in time order', () => {
    expect(
      feed(createEnergyCounter(), [
        [1, 100],
        [2, 150],
        [3, 150],
        [4, 175],
      ]),
    ).toEqual({ wh: [0, 50, 0, 25], resets: [] })
  })

  it('an index going down counts 0, is reported, and counting goes on from the new value', () => {
    expect(
      feed(createEnergyCounter(), [
        [1, 1000],
        [2, 1100],
        [3, 10],
        [4, 30],
      ]),
    ).toEqual({ wh: [0, 100, 0, 20], resets: [[1100, 10]] })
  })

  it('a late frame inside the counted span counts nothing and is no reset', () => {
    expect(
      feed(createEnergyCounter(), [
        [10, 100],
        [30, 300],
        [20, 200],
        [40, 400],
        [25, 250],
      ]),
    ).toEqual({ wh: [0, 200, 0, 100, 0], resets: [] })
  })

  it('resumes from the stored latest value: energy used while not recording counts', () => {
    const c = createEnergyCounter(0, 100, ['import', 5000])
    expect(
      feed(c, [
        [200, 5600],
        [50, 4000],
        [300, 5700],
      ]),
    ).toEqual({ wh: [600, 0, 100], resets: [] })
  })

  it('an older history (before the first stored time) is counted on its own chain, whatever its values', () => {
    const c = createEnergyCounter(1000, 2000, ['import', 5000])
    // Higher values than the stored ones, then an even older history with lower values.
    expect(
      feed(c, [
        [10, 90_000],
        [20, 90_500],
        [30, 91_000],
      ]),
    ).toEqual({ wh: [0, 500, 500], resets: [] })
    expect(
      feed(c, [
        [1, 100],
        [2, 130],
        [3, 170],
      ]),
    ).toEqual({ wh: [0, 30, 40], resets: [] })
    // Live frames go on from the stored latest value, untouched by the imports.
    expect(feed(c, [[2100, 5100]])).toEqual({ wh: [100], resets: [] })
  })

  it('a reset inside an imported history is reported and never negative', () => {
    const c = createEnergyCounter(1000, 2000, ['import', 5000])
    expect(
      feed(c, [
        [10, 900],
        [20, 950],
        [30, 5],
        [40, 25],
      ]),
    ).toEqual({ wh: [0, 50, 0, 20], resets: [[950, 5]] })
  })

  it('keeps registers apart', () => {
    const c = createEnergyCounter()
    const out = step()
    countValue(c, 's01', 1, 10, out)
    countValue(c, 's02', 1, 500, out)
    countValue(c, 's01', 2, 15, out)
    expect(out.wh).toBe(5)
    countValue(c, 's02', 2, 400, out)
    expect([out.wh, out.resetFrom]).toEqual([0, 500])
  })
})
