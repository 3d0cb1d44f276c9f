/**
 * Touch gestures on a chart's x axis: two fingers pinch to zoom, one finger drags sideways to
 * pan, a vertical drag is left to the page (it scrolls). Mouse and pen are left to the chart
 * (uPlot's drag-to-zoom).
 */
import { gestureRange } from './gesture-range.js'
import type { GesturePoint, RangeLimits, XRange } from './gesture-range.js'

/** What the chart shows when a gesture starts. */
export interface ChartView {
  /** The x range shown. */
  readonly range: XRange
  /** The data's full range and the narrowest span. */
  readonly limits: RangeLimits
  /** The plotting area in viewport CSS pixels: x = `range.min` at `left`, `range.max` at `left + width`. */
  readonly area: { readonly left: number; readonly width: number }
}

/** The chart a gesture drives. */
export interface ChartGestureTarget {
  /** What the chart shows now, or null when there is no chart (no data yet). */
  view(): ChartView | null
  /** Shows a new x range. */
  setRange(range: XRange): void
}

/** CSS pixels one finger moves before the drag counts as horizontal (pan) or vertical (page scroll). */
const SLOP = 8

/**
 * Handles pinch and pan on `el` (the chart's box) with Pointer Events, calling `target.setRange`
 * with each new range. Sets `touch-action: pan-y` on `el`: the browser keeps vertical scrolling
 * and hands over horizontal drags and pinches. Only touch pointers are handled.
 */
export function attachChartGestures(el: HTMLElement, target: ChartGestureTarget): void {
  el.style.touchAction = 'pan-y'
  /** Where each finger on the chart is now, in order of arrival. */
  const fingers = new Map<number, GesturePoint>()
  /** The gesture in progress since the last finger came or went. */
  let gesture: {
    view: ChartView
    ids: number[]
    before: GesturePoint[]
    mode: 'undecided' | 'scroll' | 'move'
  } | null = null
  /** The range last shown, not set again. */
  let last: XRange | null = null

  const point = (e: PointerEvent): GesturePoint => ({ x: e.clientX, y: e.clientY })

  /** Starts over from the fingers now down and the range now shown (a finger came or went). */
  function restart(wasMoving: boolean): void {
    const view = fingers.size === 0 ? null : target.view()
    last = view?.range ?? null
    if (view === null) {
      gesture = null
      return
    }
    const ids = [...fingers.keys()].slice(0, 2)
    const before = ids.map((id) => fingers.get(id)!)
    // Two fingers always drive the chart; one finger left from a pinch or a pan keeps panning.
    gesture = { view, ids, before, mode: ids.length === 2 || wasMoving ? 'move' : 'undecided' }
  }

  el.addEventListener('pointerdown', (e) => {
    if (e.pointerType !== 'touch') return
    fingers.set(e.pointerId, point(e))
    restart(gesture?.mode === 'move')
  })

  el.addEventListener('pointermove', (e) => {
    if (!fingers.has(e.pointerId)) return
    fingers.set(e.pointerId, point(e))
    const g = gesture
    if (g === null || !g.ids.includes(e.pointerId)) return
    if (g.mode === 'undecided') {
      const dx = Math.abs(e.clientX - g.before[0]!.x)
      const dy = Math.abs(e.clientY - g.before[0]!.y)
      if (Math.max(dx, dy) < SLOP) return
      g.mode = dx > dy ? 'move' : 'scroll'
    }
    if (g.mode === 'scroll') return
    const { range, limits, area } = g.view
    const rel = (p: GesturePoint): GesturePoint => ({ x: p.x - area.left, y: p.y })
    const next = gestureRange(
      range,
      g.before.map(rel),
      g.ids.map((id) => rel(fingers.get(id)!)),
      area.width,
      limits,
    )
    if (last?.min === next.min && last.max === next.max) return
    last = next
    target.setRange(next)
  })

  // A finger lifted, or taken by the browser (it scrolls the page): the others start over.
  const lift = (e: PointerEvent): void => {
    if (!fingers.delete(e.pointerId)) return
    restart(gesture?.mode === 'move')
  }
  el.addEventListener('pointerup', lift)
  el.addEventListener('pointercancel', lift)
}
