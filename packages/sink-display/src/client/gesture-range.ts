/**
 * The range math of the chart's touch gestures, without the DOM: where a one-finger drag pans
 * and a two-finger pinch zooms the x range, clamped to the data.
 */

/** An x range, in the chart's x units (epoch seconds on the History curve). */
export interface XRange {
  readonly min: number
  readonly max: number
}

/** A finger's position in CSS pixels; `x` from the left edge of the plotting area. */
export interface GesturePoint {
  readonly x: number
  readonly y: number
}

/** What a gesture keeps to. */
export interface RangeLimits {
  /** The data's full range: never zoomed out beyond, never panned past. */
  readonly bounds: XRange
  /** The narrowest span a pinch reaches (at most the full span). */
  readonly minSpan: number
}

/** Below this distance between two fingers (CSS px) the pinch does not scale (no division by ~0). */
const MIN_FINGER_DISTANCE = 1

/**
 * The x range after a gesture that started on `start` with the fingers at `before` and has them at
 * `now` (same fingers, same order), on a plotting area `width` CSS pixels wide.
 *
 * One finger pans: the value under the finger stays under it. Two fingers (more are ignored) zoom
 * around their midpoint: the value under the midpoint stays under it and the span scales by the
 * ratio of the distances between the fingers (spreading them zooms in); moving the midpoint pans.
 * The result spans at least `minSpan` (capped to the full span), at most the full span, and lies
 * within `bounds`.
 */
export function gestureRange(
  start: XRange,
  before: readonly GesturePoint[],
  now: readonly GesturePoint[],
  width: number,
  limits: RangeLimits,
): XRange {
  const span = start.max - start.min
  const n = Math.min(before.length, now.length, 2)
  if (!(width > 0) || !(span > 0) || n === 0)
    return fit((start.min + start.max) / 2, 0.5, span, limits)
  let anchor: number
  let target: number
  let scale = 1
  if (n === 1) {
    anchor = before[0]!.x
    target = now[0]!.x
  } else {
    const [b0, b1] = before as [GesturePoint, GesturePoint]
    const [n0, n1] = now as [GesturePoint, GesturePoint]
    anchor = (b0.x + b1.x) / 2
    target = (n0.x + n1.x) / 2
    const from = Math.hypot(b1.x - b0.x, b1.y - b0.y)
    const to = Math.hypot(n1.x - n0.x, n1.y - n0.y)
    if (from >= MIN_FINGER_DISTANCE && to >= MIN_FINGER_DISTANCE) scale = from / to
  }
  // The value under the anchor (finger or midpoint) when the gesture started stays under it.
  return fit(start.min + (anchor / width) * span, target / width, span * scale, limits)
}

/**
 * The range of span `span` (clamped to the limits) that has `value` at the fraction `at` of its
 * width, shifted inside the bounds.
 */
function fit(value: number, at: number, span: number, limits: RangeLimits): XRange {
  const full = Math.max(0, limits.bounds.max - limits.bounds.min)
  const next = Math.min(full, Math.max(Math.min(limits.minSpan, full), span > 0 ? span : 0))
  const min = Math.max(limits.bounds.min, Math.min(value - at * next, limits.bounds.max - next))
  return { min, max: min + next }
}
