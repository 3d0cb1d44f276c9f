import { describe, expect, it } from 'vitest'
import { axisNumbers, countdown } from './format.js'
import { breakGaps } from './gaps.js'
import { curveColumns, powerAxisTop } from './live-curve.js'
import { staleLimitMs } from './stale.js'
import type { State } from './state.js'

describe('Live screen helpers', () => {
  it('power axis: from a round value above the highest one with headroom, never below 500 VA', () => {
    expect(powerAxisTop(0)).toBe(500)
    expect(powerAxisTop(1850)).toBe(3000)
    expect(powerAxisTop(2182.5)).toBe(3000)
    expect(powerAxisTop(5500)).toBe(8000)
    expect(powerAxisTop(9500)).toBe(15_000)
  })

  it('axis numbers in French format', () => {
    expect(axisNumbers(null, [0, 2000, 4000]).map((s) => s.replace(/\s/gu, ' '))).toEqual([
      '0',
      '2 000',
      '4 000',
    ])
  })

  it('countdown: minutes rounded up, hours and minutes past the hour', () => {
    expect(countdown(30_000)).toBe('1 min')
    expect(countdown(25 * 60_000)).toBe('25 min')
    expect(countdown((72 * 60 - 0.5) * 1000)).toBe('1 h 12')
    expect(countdown(15 * 3_600_000 + 4 * 60_000)).toBe('15 h 04')
  })

  it('the live curve breaks after a silence longer than the limit, stored points with their own spacing', () => {
    const pts = [
      { t: 0, va: 1, inj: null, stored: true },
      { t: 10, va: 2, inj: null, stored: true },
      { t: 11, va: 3, inj: null },
      { t: 12, va: 4, inj: null },
      { t: 20, va: 5, inj: null },
    ]
    const [xs, ys] = curveColumns(pts, 5, false, 25)
    expect(ys).toEqual([1, 2, 3, 4, null, 5])
    expect(xs).toEqual([0, 10, 11, 12, 14.5, 20])
  })

  it('history gaps: a step over three times the usual one breaks the line', () => {
    expect(breakGaps([0, 60, 120, 180, 900, 960], [[1, 2, 3, 4, 5, 6]])).toEqual([
      [0, 60, 120, 180, 270, 900, 960],
      [1, 2, 3, 4, null, 5, 6],
    ])
  })

  it('stale limit: a few seconds after the frame due, capped by staleAfterMs', () => {
    const s = (intervalsMs: number[], staleAfterMs = 10_000): State => ({
      config: {
        lang: 'fr',
        staleAfterMs,
        history: false,
        diagnostics: false,
        timeZone: 'Europe/Paris',
      },
      frame: null,
      tariff: null,
      stats: null,
      lastFrameAt: null,
      stale: false,
      intervalsMs,
      serverReachable: null,
    })
    expect(staleLimitMs(s([1500]))).toBe(10_000) // not enough frames yet
    expect(staleLimitMs(s([1500, 1400, 1600, 30_000]))).toBe(2 * 1600 + 3000)
    expect(staleLimitMs(s([5000, 5000, 5000]))).toBe(10_000)
  })
})
