/**
 * The Live screen's curve: apparent (and injected) power over the last {@link WINDOW_S} seconds.
 * Its time axis follows the clock (redrawn every second, frames or not), the line breaks where no
 * frame came for longer than the gap limit, and the points live in this module so a rebuild of
 * the screen (language switch, reconnection) keeps them. At load it is filled with the frames the
 * server kept and, before them, the store's samples.
 */
import uPlot from 'uplot'
import type { LiveSamplesAnswer } from '../protocol.js'
import { powerAxes, powerSeries } from './chart-style.js'

/** Seconds shown by the curve. */
export const WINDOW_S = 600

/** One point: time (server clock, epoch s), withdrawn and injected apparent power (VA). */
interface Point {
  readonly t: number
  readonly va: number | null
  readonly inj: number | null
  /** From the store (whose samples may be sparser than frames). */
  readonly stored?: boolean
}

const points: Point[] = []
/** Longest step between two stored points still drawn as a line, seconds. */
let storedGapS = 0
/** Server clock minus page clock, seconds (the frames' times are the server's). */
let skewS = 0

/** The y-axis top: the next "round" power above the highest value with 10 % headroom, VA. */
export function powerAxisTop(maxVA: number): number {
  const want = Math.max(500, maxVA * 1.1)
  const mag = 10 ** Math.floor(Math.log10(want))
  for (const step of [1, 1.5, 2, 3, 4, 5, 6, 8, 10]) if (step * mag >= want) return step * mag
  return 10 * mag
}

/**
 * The points as uPlot columns, with a null after every point followed by a gap longer than
 * `gapS` (uPlot breaks the line at nulls).
 */
export function curveColumns(
  pts: readonly Point[],
  gapS: number,
  producer: boolean,
  storedGap = gapS,
): uPlot.AlignedData {
  const xs: number[] = []
  const ys: (number | null)[] = []
  const zs: (number | null)[] = []
  let prev: Point | undefined
  for (const p of pts) {
    if (
      prev !== undefined &&
      p.t - prev.t > (prev.stored === true ? Math.max(gapS, storedGap) : gapS)
    ) {
      xs.push(prev.t + gapS / 2)
      ys.push(null)
      zs.push(null)
    }
    xs.push(p.t)
    ys.push(p.va)
    zs.push(p.inj)
    prev = p
  }
  return (producer ? [xs, ys, zs] : [xs, ys]) as uPlot.AlignedData
}

/** Now on the server's clock, epoch s. */
function nowS(): number {
  return Date.now() / 1000 + skewS
}

/** Drops the points that left the window. */
function trim(): void {
  const from = nowS() - WINDOW_S - 30
  let n = 0
  while (n < points.length && points[n]!.t < from) n++
  if (n > 0) points.splice(0, n)
}

/** Adds a live point received now (its time on the server's clock, epoch ms). */
export function addLivePoint(receivedAtMs: number, va: number | null, inj: number | null): void {
  const t = receivedAtMs / 1000
  skewS = t - Date.now() / 1000
  const last = points[points.length - 1]
  if (last !== undefined && t < last.t - 1) points.length = 0 // the clock went back (replay, another source)
  if (last === undefined || t > last.t) points.push({ t, va, inj })
  trim()
}

/**
 * Adds, at load, what came before the page's first live point: the frames the server kept
 * (`/api/live/samples`, every frame of its last ten minutes, times epoch ms) and, before the
 * oldest of those, the store's samples. A point the page already has is never added twice.
 */
export function addEarlierPoints(
  frames: LiveSamplesAnswer | null,
  stored: readonly { t: number; avgVA: number | null; avgInjectedVA: number | null }[],
): void {
  const firstLive = points[0]?.t ?? Infinity
  const kept: Point[] = []
  for (let i = 0; frames !== null && i < frames.t.length; i++) {
    const t = frames.t[i]! / 1000
    if (t < firstLive) kept.push({ t, va: frames.va[i] ?? null, inj: frames.inj[i] ?? null })
  }
  const before = kept[0]?.t ?? firstLive
  const older = stored
    .filter((p) => p.t / 1000 < before)
    .map((p) => ({ t: p.t / 1000, va: p.avgVA, inj: p.avgInjectedVA, stored: true }))
  // The store may keep fewer samples than frames: a step up to 2.5 times its usual one is no gap.
  const steps = older
    .slice(1)
    .map((p, i) => p.t - older[i]!.t)
    .sort((a, b) => a - b)
  storedGapS = 2.5 * (steps[Math.floor(steps.length / 2)] ?? 0)
  points.unshift(...older, ...kept)
  trim()
}

/** Forgets every point (another meter). */
export function clearPoints(): void {
  points.length = 0
}

/** The chart of the Live screen, drawn into `box`. */
export interface LiveChart {
  /** Redraws with the current points and the window ending now (at most once per animation frame). */
  redraw(): void
  /** Draws or resizes after a layout change. */
  layout(): void
}

/**
 * Creates the chart. `gapS()` is the longest silence drawn as a line, `producer()` whether the
 * injected power is drawn. The box gets `data-points` (points drawn), `data-gaps` (breaks),
 * `data-first` (the oldest point's time) and `data-from` / `data-to` (the drawn time axis), times
 * in epoch ms, for tests and tools.
 */
export function liveChart(
  box: HTMLElement,
  gapS: () => number,
  producer: () => boolean,
): LiveChart {
  let plot: uPlot | null = null
  let drawnProducer = false
  let pending = false
  const columns = (): uPlot.AlignedData => curveColumns(points, gapS(), drawnProducer, storedGapS)
  const span = (): { min: number; max: number } => {
    const max = nowS()
    return { min: max - WINDOW_S, max }
  }
  const make = (): void => {
    const w = box.clientWidth
    const hgt = box.clientHeight
    plot?.destroy()
    plot = null
    if (w < 50 || hgt < 50) return
    drawnProducer = producer()
    plot = new uPlot(
      {
        width: w,
        height: hgt,
        series: powerSeries(drawnProducer, 2),
        legend: { show: false },
        cursor: { show: false },
        // Numeric epoch seconds labelled by timeTicks in the dashboard's zone; the range is
        // whatever setScale asks (the window ending now), never the data's.
        scales: {
          x: { time: false, auto: false, range: (_u, min, max) => [min, max] },
          y: { range: (_u, _min, max) => [0, powerAxisTop(Number.isFinite(max) ? max : 0)] },
        },
        axes: powerAxes(box, { incrs: [30, 60, 120, 300, 600] }),
        hooks: {
          draw: [
            (u) => {
              const { min, max } = u.scales.x ?? {}
              const ys = u.data[1] ?? []
              const first = u.data[0]?.[0]
              box.dataset.first = first === undefined ? '' : String(Math.round(first * 1000))
              box.dataset.points = String(ys.filter((v) => v != null).length)
              box.dataset.gaps = String(ys.filter((v) => v == null).length)
              if (min != null && max != null) {
                box.dataset.from = String(Math.round(min * 1000))
                box.dataset.to = String(Math.round(max * 1000))
              }
            },
          ],
        },
      },
      columns(),
      box,
    )
    plot.setScale('x', span())
  }
  const draw = (): void => {
    pending = false
    if (plot === null || drawnProducer !== producer()) return make()
    plot.batch(() => {
      plot!.setData(columns(), false)
      plot!.setScale('x', span())
    })
  }
  new ResizeObserver(() => {
    if (plot === null) make()
    else if (box.clientWidth > 50 && box.clientHeight > 50)
      plot.setSize({ width: box.clientWidth, height: box.clientHeight })
  }).observe(box)
  return {
    redraw() {
      // The numbers are already in the DOM; the curve follows with the next paint.
      if (pending) return
      pending = true
      requestAnimationFrame(draw)
    },
    layout() {
      if (plot === null) make()
    },
  }
}
