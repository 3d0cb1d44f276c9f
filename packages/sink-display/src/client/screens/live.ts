import uPlot from 'uplot'
import { h, setText, show } from '../dom.js'
import { num, pct, timeTicks } from '../format.js'
import { t } from '../i18n.js'
import type { Screen, State } from '../state.js'

const WINDOW_S = 600
const WARN_RATIO = 0.9
/** Above this spread between phase currents (relative to their mean) the imbalance is flagged. */
const IMBALANCE_WARN = 0.3

// Rolling curve data (seconds, apparent VA, injected VA), kept across rebuilds of the screen (a
// language switch, a reconnection).
const xs: number[] = []
const ys: (number | null)[] = []
const zs: (number | null)[] = []

function bigValue(label: string, id: string): { card: HTMLElement; value: HTMLElement } {
  const value = h('div', { class: 'big', attrs: { 'data-testid': id }, text: '—' })
  return { card: h('div', { class: 'card' }, h('div', { class: 'label', text: label }), value), value }
}

/** The Live screen: power, rolling curve, headroom, phases. */
export function liveScreen(): Screen {
  const apparent = bigValue(t('live.apparent'), 'apparent')
  const injected = bigValue(t('live.injected'), 'injected')
  injected.card.classList.add('injected')
  const headLabel = h('div', { class: 'label', text: t('live.headroom') })
  const headValue = h('div', { class: 'mid', attrs: { 'data-testid': 'headroom' }, text: '—' })
  const headBar = h('div', { class: 'fill' })
  const headSub = h('div', { class: 'small', text: '' })
  const headWarn = h('div', { class: 'warning', attrs: { 'data-testid': 'headroom-warning' } })
  const headroom = h('div', { class: 'card headroom' }, headLabel, headValue, h('div', { class: 'bar' }, headBar), headSub, headWarn)
  const mono = h('div', { class: 'card mono', attrs: { 'data-testid': 'mono' } })
  const monoI = h('span', { class: 'pv', attrs: { 'data-testid': 'mono-current' } })
  const monoU = h('span', { class: 'pv', attrs: { 'data-testid': 'mono-voltage' } })
  mono.append(h('span', { class: 'label', text: t('live.current') }), monoI, monoU)

  const phaseCells = [1, 2, 3].map((n) => {
    const p = h('div', { class: 'pv', attrs: { 'data-testid': `power-${String(n)}` } })
    const i = h('div', { class: 'pv', attrs: { 'data-testid': `current-${String(n)}` } })
    const u = h('div', { class: 'pv', attrs: { 'data-testid': `voltage-${String(n)}` } })
    const fill = h('div', { class: 'fill' })
    const col = h('div', { class: 'phase' }, h('div', { class: 'label', text: t('live.phase', { n }) }), h('div', { class: 'vbar' }, fill), p, i, u)
    return { col, p, i, u, fill }
  })
  const imbalance = h('div', { class: 'imbalance', attrs: { 'data-testid': 'imbalance' } })
  const phases = h('div', { class: 'card phases', attrs: { 'data-testid': 'phases' } }, h('div', { class: 'phase-cols' }, ...phaseCells.map((c) => c.col)), imbalance)

  const chartBox = h('div', { class: 'chart' })
  const curve = h('div', { class: 'card curve' }, h('div', { class: 'label', text: t('live.curve') }), chartBox)
  const left = h('div', { class: 'live-main' }, apparent.card, injected.card, headroom, mono)
  const el = h('section', { class: 'screen live', attrs: { 'data-screen': 'live' } }, left, curve, phases)

  let plot: uPlot | null = null
  let producer = false
  let redrawPending = false
  /** The x range: the last ten minutes up to the newest point, in epoch seconds. */
  const xWindow = (): [number, number] => {
    const max = xs[xs.length - 1] ?? Date.now() / 1000
    return [max - WINDOW_S, max + 5]
  }
  const makePlot = (): void => {
    const w = chartBox.clientWidth
    const hgt = chartBox.clientHeight
    if (w < 50 || hgt < 50) return
    plot?.destroy()
    const series: uPlot.Series[] = [{}, { label: 'VA', stroke: '#2f7de1', fill: 'rgba(47,125,225,0.15)', width: 2 }]
    if (producer) series.push({ label: 'VA inj.', stroke: '#2ea44f', width: 2 })
    plot = new uPlot(
      {
        width: w,
        height: hgt,
        series,
        legend: { show: false },
        cursor: { show: false },
        // Always the last ten minutes, even with one point (uPlot would otherwise span years);
        // a plain numeric scale in epoch seconds, labelled by timeTicks in the dashboard's zone.
        scales: { x: { time: false, auto: false, range: xWindow() } },
        axes: [{ stroke: '#888', values: timeTicks, incrs: [30, 60, 120, 300, 600] }, { stroke: '#888', size: 55 }],
      },
      (producer ? [xs, ys, zs] : [xs, ys]) as uPlot.AlignedData,
      chartBox,
    )
  }
  new ResizeObserver(() => {
    if (plot === null) makePlot()
    else if (chartBox.clientWidth > 50 && chartBox.clientHeight > 50) plot.setSize({ width: chartBox.clientWidth, height: chartBox.clientHeight })
  }).observe(chartBox)

  function frame(s: State): void {
    const f = s.frame
    if (f === null) return
    const r = f.reading
    setText(apparent.value, num(r.power.apparentVA, 'VA'))
    show(apparent.card, r.power.apparentVA !== null)
    show(injected.card, r.meter.producer)
    if (r.meter.producer) setText(injected.value, num(r.power.injectedVA, 'VA'))

    const sub = r.contract.subscribedVA
    const va = r.power.apparentVA
    show(headroom, sub !== null && va !== null)
    if (sub !== null && va !== null) {
      const ratio = va / sub
      setText(headValue, `${num(Math.max(0, sub - va), 'VA')} (${pct(Math.max(0, 1 - ratio))})`)
      setText(headSub, t('live.subscribed', { p: num(sub, 'VA') }))
      headBar.style.width = `${String(Math.min(100, ratio * 100))}%`
      const over = r.alerts.includes('overpower') || ratio >= 1
      const warn = !over && ratio >= WARN_RATIO
      headroom.classList.toggle('warn', warn)
      headroom.classList.toggle('danger', over)
      setText(headWarn, over ? t('live.overpower') : warn ? t('live.warning') : '')
    }

    const tri = r.meter.phases === 3
    show(phases, tri)
    show(mono, !tri && r.current.rmsA !== null)
    const volts = r.voltage.rmsV
    if (tri) {
      const amps = r.current.rmsA ?? []
      const vas = r.power.apparentVAByPhase
      const known = amps.filter((a): a is number => a !== null)
      const max = Math.max(1, ...known)
      const mean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0
      const spread = known.length === 3 && mean > 0 ? (Math.max(...known) - Math.min(...known)) / mean : 0
      phaseCells.forEach((c, k) => {
        const a = amps[k] ?? null
        setText(c.i, num(a, 'A'))
        show(c.p, vas !== null)
        if (vas !== null) setText(c.p, num(vas[k] ?? null, 'VA'))
        show(c.u, volts !== null)
        if (volts !== null) setText(c.u, num(volts[k] ?? null, 'V'))
        c.fill.style.height = `${String(a === null ? 0 : (a / max) * 100)}%`
        c.col.classList.toggle('heaviest', spread >= IMBALANCE_WARN && a === Math.max(...known))
      })
      setText(imbalance, t('live.imbalance', { p: pct(spread) }))
      imbalance.classList.toggle('warn', spread >= IMBALANCE_WARN)
    } else if (r.current.rmsA !== null) {
      setText(monoI, num(r.current.rmsA[0] ?? null, 'A'))
      show(monoU, volts !== null)
      if (volts !== null) setText(monoU, num(volts[0] ?? null, 'V'))
    }

    const x = f.meta.receivedAt / 1000
    const lastX = xs[xs.length - 1]
    if (lastX !== undefined && x < lastX) {
      // The clock went back (a replay, another source): start a new curve.
      xs.length = 0
      ys.length = 0
      zs.length = 0
    }
    if (lastX === undefined || x !== lastX) {
      xs.push(x)
      ys.push(va)
      zs.push(r.power.injectedVA)
    }
    while (xs.length > 0 && xs[0]! < x - WINDOW_S) {
      xs.shift()
      ys.shift()
      zs.shift()
    }
    if (producer !== r.meter.producer) {
      producer = r.meter.producer
      makePlot()
    } else if (plot === null) makePlot()
    else if (!redrawPending) {
      // The numbers above are already in the DOM; the curve redraws with the next paint.
      redrawPending = true
      requestAnimationFrame(() => {
        redrawPending = false
        if (plot === null) return
        plot.setData((producer ? [xs, ys, zs] : [xs, ys]) as uPlot.AlignedData, false)
        const [min, max] = xWindow()
        plot.setScale('x', { min, max })
      })
    }
  }

  return { id: 'live', el, frame, shown: () => (plot === null ? makePlot() : undefined) }
}
