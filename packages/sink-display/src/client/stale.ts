import type { State } from './state.js'

/** Frame-to-frame intervals remembered to know when the next frame is due. */
const KEPT = 20
/** Slack after the longest recent interval before the page says the data is stale, ms. */
const SLACK_MS = 3000

/** Records that a frame arrived at `at` (page clock, epoch ms), after the previous one at `previous`. */
export function noteFrameInterval(s: State, previous: number | null, at: number): void {
  if (previous === null) return
  const gap = at - previous
  if (gap <= 0 || gap > 60_000) return
  s.intervalsMs.push(gap)
  if (s.intervalsMs.length > KEPT) s.intervalsMs.shift()
}

/**
 * How long without a frame makes the data stale, ms: a few seconds after the next frame was due
 * (twice the median of the recent intervals plus {@link SLACK_MS}: one late frame or a page
 * opened between two frames does not move it), never more than `staleAfterMs`.
 */
export function staleLimitMs(s: State): number {
  const ceiling = s.config?.staleAfterMs ?? 10_000
  if (s.intervalsMs.length < 3) return ceiling
  const sorted = [...s.intervalsMs].sort((a, b) => a - b)
  return Math.min(ceiling, 2 * sorted[Math.floor(sorted.length / 2)]! + SLACK_MS)
}

/**
 * Whether the live data is stale at `now` (page clock, epoch ms): no frame yet, or none for longer
 * than {@link staleLimitMs}. `ageMs` is the time since the last frame (Infinity before the first).
 */
export function staleness(
  s: State,
  now: number,
): { readonly stale: boolean; readonly ageMs: number } {
  const ageMs = s.lastFrameAt === null ? Infinity : now - s.lastFrameAt
  return { stale: ageMs > staleLimitMs(s), ageMs }
}
