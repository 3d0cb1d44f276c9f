import { describe, expect, it } from 'vitest'
import { LiveSamples } from './live-samples.js'

const M = '812164123456'

describe('LiveSamples', () => {
  it('serves the samples of the last 10 minutes, oldest first, nulls kept', () => {
    const s = new LiveSamples(8)
    s.push(M, 1_000, 500, null)
    s.push(M, 601_000, 600, null)
    s.push(M, 602_000, null, 30)
    expect(s.window(602_000)).toEqual({
      meter: M,
      t: [601_000, 602_000],
      va: [600, null],
      inj: [null, 30],
    })
    expect(s.window(602_000, 700_000).t).toEqual([1_000, 601_000, 602_000])
  })

  it('keeps the newest `capacity` samples when full', () => {
    const s = new LiveSamples(3)
    for (let i = 1; i <= 5; i++) s.push(M, i * 1000, i, null)
    expect(s.size).toBe(3)
    expect(s.window(5_000)).toMatchObject({ t: [3000, 4000, 5000], va: [3, 4, 5] })
  })

  it('skips a frame not later than the previous one, starts over when the clock goes back or another meter comes', () => {
    const s = new LiveSamples(8)
    s.push(M, 10_000, 1, null)
    s.push(M, 10_000, 2, null)
    s.push(M, 9_500, 3, null)
    expect(s.window(10_000)).toMatchObject({ t: [10_000], va: [1] })
    s.push(M, 8_000, 4, null)
    expect(s.window(10_000)).toMatchObject({ t: [8_000], va: [4] })
    s.push(null, 9_000, 5, null) // a frame without a meter id stays with the current meter
    s.push('031428097115', 9_500, 6, null)
    expect(s.window(10_000)).toEqual({ meter: '031428097115', t: [9_500], va: [6], inj: [null] })
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LiveSamples(0)).toThrow(TypeError)
  })
})
