import { describe, expect, it } from 'vitest'
import { gestureRange } from './gesture-range.js'
import type { GesturePoint, RangeLimits } from './gesture-range.js'

const DAY = 86_400
/** A week of data in epoch seconds, 5 minutes at least. */
const limits: RangeLimits = {
  bounds: { min: 1_700_000_000, max: 1_700_000_000 + 7 * DAY },
  minSpan: 300,
}
const WIDTH = 700
const at = (x: number, y = 100): GesturePoint => ({ x, y })
/** The value at pixel `x` of a range drawn on WIDTH pixels. */
const valueAt = (r: { min: number; max: number }, x: number): number =>
  r.min + (x / WIDTH) * (r.max - r.min)

describe('gestureRange', () => {
  const mid = { min: limits.bounds.min + 2 * DAY, max: limits.bounds.min + 3 * DAY }

  it('pans with one finger: the value under the finger stays under it, the span is kept', () => {
    const r = gestureRange(mid, [at(300)], [at(370, 140)], WIDTH, limits)
    expect(r.max - r.min).toBeCloseTo(DAY, 6)
    expect(valueAt(r, 370)).toBeCloseTo(valueAt(mid, 300), 6)
    // Dragging right shows earlier times, by the finger's distance.
    expect(r.min).toBeCloseTo(mid.min - (70 / WIDTH) * DAY, 6)
  })

  it('zooms in around the midpoint when two fingers spread, and out when they close', () => {
    const spread = gestureRange(mid, [at(250), at(350)], [at(200), at(400)], WIDTH, limits)
    expect(spread.max - spread.min).toBeCloseTo(DAY / 2, 6)
    expect(valueAt(spread, 300)).toBeCloseTo(valueAt(mid, 300), 6)
    const close = gestureRange(mid, [at(200), at(400)], [at(250), at(350)], WIDTH, limits)
    expect(close.max - close.min).toBeCloseTo(2 * DAY, 6)
    expect(valueAt(close, 300)).toBeCloseTo(valueAt(mid, 300), 6)
  })

  it('keeps the values under both fingers when they spread along the axis, wherever the midpoint goes', () => {
    const r = gestureRange(mid, [at(100), at(300)], [at(150), at(550)], WIDTH, limits)
    expect(valueAt(r, 150)).toBeCloseTo(valueAt(mid, 100), 6)
    expect(valueAt(r, 550)).toBeCloseTo(valueAt(mid, 300), 6)
  })

  it('scales by the distance between the fingers, not only its horizontal part', () => {
    // Fingers one above the other, spreading vertically: a zoom, not a division by zero.
    const r = gestureRange(
      mid,
      [at(300, 100), at(300, 140)],
      [at(300, 60), at(300, 180)],
      WIDTH,
      limits,
    )
    expect(r.max - r.min).toBeCloseTo(DAY / 3, 6)
    expect(valueAt(r, 300)).toBeCloseTo(valueAt(mid, 300), 6)
  })

  it('ignores fingers beyond two', () => {
    const two = gestureRange(mid, [at(250), at(350)], [at(200), at(400)], WIDTH, limits)
    const three = gestureRange(
      mid,
      [at(250), at(350), at(10)],
      [at(200), at(400), at(690)],
      WIDTH,
      limits,
    )
    expect(three).toEqual(two)
  })

  it('never zooms out beyond the data, nor in below the minimum span', () => {
    const out = gestureRange(mid, [at(100), at(600)], [at(340), at(360)], WIDTH, limits)
    expect(out).toEqual(limits.bounds)
    // An hour spread 35 times would be about 100 s: it stops at 5 minutes, still around the midpoint.
    const hour = { min: mid.min, max: mid.min + 3600 }
    const deep = gestureRange(hour, [at(340), at(360)], [at(0), at(700)], WIDTH, limits)
    expect(deep.max - deep.min).toBeCloseTo(300, 6)
    expect(valueAt(deep, 350)).toBeCloseTo(valueAt(hour, 350), 6)
  })

  it('caps the minimum span to the full span when the data is shorter', () => {
    const short: RangeLimits = { bounds: { min: 1000, max: 1120 }, minSpan: 300 }
    expect(gestureRange(short.bounds, [at(340), at(360)], [at(0), at(700)], WIDTH, short)).toEqual(
      short.bounds,
    )
  })

  it('never pans past either end of the data', () => {
    const first = { min: limits.bounds.min, max: limits.bounds.min + DAY }
    expect(gestureRange(first, [at(100)], [at(600)], WIDTH, limits)).toEqual(first)
    const last = { min: limits.bounds.max - DAY, max: limits.bounds.max }
    expect(gestureRange(last, [at(600)], [at(100)], WIDTH, limits)).toEqual(last)
    // Part of the way: stops at the end.
    const near = { min: limits.bounds.min + DAY / 10, max: limits.bounds.min + DAY + DAY / 10 }
    expect(gestureRange(near, [at(100)], [at(600)], WIDTH, limits)).toEqual(first)
  })

  it('pans nothing at the full range', () => {
    expect(gestureRange(limits.bounds, [at(100)], [at(400)], WIDTH, limits)).toEqual(limits.bounds)
  })

  it('brings a range wider than the data (zoomed out with the buttons) back within it', () => {
    const wide = { min: limits.bounds.min - 3 * DAY, max: limits.bounds.max + 4 * DAY }
    expect(gestureRange(wide, [at(100)], [at(120)], WIDTH, limits)).toEqual(limits.bounds)
  })

  it('keeps the start range (clamped) without fingers, width or span', () => {
    expect(gestureRange(mid, [], [], WIDTH, limits)).toEqual(mid)
    expect(gestureRange(mid, [at(100)], [at(300)], 0, limits)).toEqual(mid)
    const empty = { min: mid.min, max: mid.min }
    const r = gestureRange(empty, [at(100)], [at(300)], WIDTH, limits)
    expect(r.max - r.min).toBe(300)
  })

  it('does not scale when two fingers start or end on the same spot', () => {
    const r = gestureRange(mid, [at(300), at(300)], [at(250), at(350)], WIDTH, limits)
    expect(r.max - r.min).toBeCloseTo(DAY, 6)
  })
})
