import uPlot from 'uplot'
import type { EnergyBucket, SamplePoint, StoredEvent, StoredMeter } from '@linkyrpi/tic-core/stage'
import { getJson } from '../api.js'
import { attachChartGestures } from '../chart-gestures.js'
import { clear, h, setText, show } from '../dom.js'
import { powerAxes, powerSeries } from '../chart-style.js'
import { currentTimeZone, day, indexClass, indexName, kwh } from '../format.js'
import { optionTimeline } from '../contract-timeline.js'
import { breakGaps } from '../gaps.js'
import { powerAxisTop } from '../live-curve.js'
import { localStart } from '../../local-time.js'
import { t } from '../i18n.js'
import type { TextKey } from '../i18n.js'
import type { Screen, State } from '../state.js'
import { eventsCard } from './history-events.js'

type Range = 'today' | 'week' | 'month' | 'year'
const DAY = 86_400_000
const RANGES: readonly Range[] = ['today', 'week', 'month', 'year']
/** The narrowest span a pinch reaches, seconds. */
const MIN_SPAN_S = 300

/** Local midnight, in the dashboard's time zone (the store's days), of the day `daysBack` before `now`'s. */
function startOfDay(now: number, daysBack = 0): number {
  return localStart(now - daysBack * DAY, currentTimeZone(), 'day')
}

/** The History screen: power curve (zoomable), energy per day or month and the events, from the store. */
export function historyScreen(): Screen {
  const status = h('p', { class: 'small', attrs: { 'data-testid': 'history-status' } })
  const buttons = RANGES.map((r) =>
    h('button', {
      class: 'btn',
      text: t(`history.${r}` as TextKey),
      attrs: { 'data-range': r, type: 'button' },
    }),
  )
  const zoomIn = h('button', { class: 'btn', text: t('history.zoomIn'), attrs: { type: 'button' } })
  const zoomOut = h('button', {
    class: 'btn',
    text: t('history.zoomOut'),
    attrs: { type: 'button' },
  })
  const reset = h('button', { class: 'btn', text: t('history.reset'), attrs: { type: 'button' } })
  const chartBox = h('div', { class: 'chart', attrs: { 'data-testid': 'history-chart' } })
  const energyBox = h('div', { class: 'energy', attrs: { 'data-testid': 'history-energy' } })
  const events = eventsCard()
  const content = h(
    'div',
    { class: 'history-body' },
    h(
      'div',
      { class: 'toolbar' },
      ...buttons,
      h('span', { class: 'spacer' }),
      zoomIn,
      zoomOut,
      reset,
    ),
    h(
      'div',
      { class: 'card curve' },
      h('div', { class: 'label', text: t('history.curve') }),
      chartBox,
    ),
    h('div', { class: 'card' }, h('div', { class: 'label', text: t('history.energy') }), energyBox),
    events.el,
  )
  const el = h(
    'section',
    { class: 'screen history', attrs: { 'data-screen': 'history' } },
    status,
    content,
  )
  let range: Range = 'today'
  let plot: uPlot | null = null
  let data: uPlot.AlignedData | null = null
  let loaded = false
  let state: State | null = null
  let request = 0

  function draw(): void {
    plot?.destroy()
    plot = null
    delete chartBox.dataset.from
    delete chartBox.dataset.to
    if (data === null) return
    const w = chartBox.clientWidth
    const hgt = chartBox.clientHeight
    if (w < 50 || hgt < 50) return
    let top = 0
    for (const col of data.slice(1)) for (const v of col) if (v != null && v > top) top = v
    const yTop = powerAxisTop(top)
    plot = new uPlot(
      {
        width: w,
        height: hgt,
        series: powerSeries(data.length > 2, 1.5),
        legend: { show: false },
        cursor: { drag: { x: true, y: false } },
        hooks: {
          setScale: [
            (u, key) => {
              if (key === 'x') shownRange(u)
            },
          ],
        },
        // Numeric epoch seconds labelled by timeTicks, in the dashboard's time zone.
        // Power from 0 with headroom, the same scale whatever the zoom.
        scales: { x: { time: false }, y: { auto: false, range: () => [0, yTop] } },
        axes: powerAxes(chartBox, {
          space: 80,
          incrs: [
            60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000,
            5184000,
          ],
        }),
      },
      data,
      chartBox,
    )
  }
  /** The visible x range as `data-from` / `data-to` (epoch ms) on the chart box, for tests and tools. */
  function shownRange(u: uPlot): void {
    const { min, max } = u.scales.x ?? {}
    if (min == null || max == null) return
    chartBox.dataset.from = String(Math.round(min * 1000))
    chartBox.dataset.to = String(Math.round(max * 1000))
  }
  new ResizeObserver(() => {
    if (plot !== null && chartBox.clientWidth > 50)
      plot.setSize({ width: chartBox.clientWidth, height: chartBox.clientHeight })
    else if (plot === null) draw()
  }).observe(chartBox)

  function zoom(factor: number): void {
    if (plot === null || data === null) return
    const min = plot.scales.x?.min ?? 0
    const max = plot.scales.x?.max ?? 0
    const mid = (min + max) / 2
    const half = ((max - min) / 2) * factor
    plot.setScale('x', { min: mid - half, max: mid + half })
  }
  // Touch: pinch to zoom, drag sideways to pan, within the data.
  attachChartGestures(chartBox, {
    view() {
      const xs = data?.[0]
      const min = plot?.scales.x?.min
      const max = plot?.scales.x?.max
      if (plot == null || xs === undefined || xs.length < 2 || min == null || max == null)
        return null
      const over = plot.over.getBoundingClientRect()
      return {
        range: { min, max },
        limits: { bounds: { min: xs[0]!, max: xs[xs.length - 1]! }, minSpan: MIN_SPAN_S },
        area: { left: over.left, width: over.width },
      }
    },
    setRange: (r) => plot?.setScale('x', r),
  })
  zoomIn.addEventListener('click', () => zoom(0.5))
  zoomOut.addEventListener('click', () => zoom(2))
  reset.addEventListener('click', () => {
    const xs = data?.[0]
    if (plot !== null && xs !== undefined && xs.length > 0)
      plot.setScale('x', { min: xs[0]!, max: xs[xs.length - 1]! })
  })

  /** Energy bars; each bucket's indexes named and coloured after the option in force at its end. */
  function energyTable(
    buckets: readonly EnergyBucket[],
    optionAt: (t: number) => string | null,
    unit: 'day' | 'month',
  ): void {
    clear(energyBox)
    if (buckets.length === 0) {
      energyBox.append(h('p', { class: 'small', text: t('history.empty') }))
      return
    }
    const keys = [...new Set(buckets.flatMap((b) => Object.keys(b.byIndexWh).map(Number)))].sort(
      (a, b) => a - b,
    )
    const max = Math.max(1, ...buckets.map((b) => b.importWh))
    const named = new Map<string, string>() // class → name, for the legend
    const now = Date.now()
    for (const b of buckets) {
      const option = optionAt(Math.min(now, b.start + (unit === 'day' ? DAY : 31 * DAY)) - 1)
      const bar = h('div', { class: 'stack' })
      for (const k of keys) {
        const wh = b.byIndexWh[k] ?? 0
        if (wh <= 0) continue // a day without energy on an index draws nothing for it
        const cls = indexClass(option, k)
        named.set(cls, indexName(option, k))
        const seg = h('div', {
          class: `seg ${cls}`,
          attrs: { title: `${indexName(option, k)} ${kwh(wh, 2)}` },
        })
        seg.style.width = `${String((wh / max) * 100)}%`
        bar.append(seg)
      }
      energyBox.append(
        h(
          'div',
          { class: 'ebar', attrs: { 'data-testid': 'energy-row' } },
          h('span', { class: 'when', text: day(b.start, unit) }),
          bar,
          h('span', { class: 'total', text: kwh(b.importWh, 2) }),
        ),
      )
    }
    const legend = h('div', { class: 'legend', attrs: { 'data-testid': 'energy-legend' } })
    for (const [cls, name] of named) legend.append(h('span', { class: `key ${cls}`, text: name }))
    energyBox.append(legend)
  }

  async function load(): Promise<void> {
    const s = state
    if (s?.config?.history !== true) return
    const mine = ++request
    for (const b of buttons) b.classList.toggle('active', b.dataset.range === range)
    setText(status, t('history.loading'))
    let eventsLoading = false
    try {
      const meters = await getJson<StoredMeter[]>('/api/history/meters')
      const live = s.frame?.reading.meter.id
      const meter = meters.find((m) => m.id === live) ?? meters[0]
      if (meter === undefined) {
        setText(status, t('history.empty'))
        events.note(t('history.events.none'))
        return
      }
      const now = Date.now()
      const from = startOfDay(
        now,
        range === 'today' ? 0 : range === 'week' ? 6 : range === 'month' ? 29 : 365,
      )
      const q = (extra: string): string =>
        `meter=${encodeURIComponent(meter.id)}&from=${String(from)}&to=${String(now)}${extra}`
      const option = s.frame?.reading.contract.option ?? null
      // The events card loads on its own: its failure shows in the card, not over the curve.
      eventsLoading = true
      void events.load(meter.id, from, now, option)
      const [samples, energy, changes] = await Promise.all([
        getJson<SamplePoint[]>(`/api/history/samples?${q('&resolution=auto')}`),
        getJson<EnergyBucket[]>(
          `/api/history/energy?${q(`&bucket=${range === 'year' ? 'month' : 'day'}`)}`,
        ),
        // Contract changes up to now name each bucket's indexes (a failure leaves today's names).
        getJson<StoredEvent[]>(
          `/api/history/events?meter=${encodeURIComponent(meter.id)}&from=${String(from)}&to=${String(now)}&limit=500`,
        ).catch(() => []),
      ])
      if (mine !== request) return
      const xs = samples.map((p) => p.t / 1000)
      const cols: (number | null)[][] = [samples.map((p) => p.avgVA)]
      if (meter.producer) cols.push(samples.map((p) => p.avgInjectedVA))
      data = breakGaps(xs, cols)
      draw()
      energyTable(energy, optionTimeline(changes, option), range === 'year' ? 'month' : 'day')
      setText(status, samples.length === 0 ? t('history.empty') : '')
      loaded = true
    } catch {
      // Shown to the user; the next visit retries.
      setText(status, t('history.error'))
      if (mine === request && !eventsLoading) events.note(t('history.events.error'))
    }
  }
  for (const b of buttons) {
    b.addEventListener('click', () => {
      range = b.dataset.range as Range
      void load()
    })
  }

  function shown(s: State): void {
    state = s
    const has = s.config?.history === true
    show(content, has)
    if (!has) {
      setText(status, t('history.none'))
      return
    }
    if (!loaded) void load()
    else draw()
  }

  return { id: 'history', el, shown, frame: (s) => void (state = s) }
}
