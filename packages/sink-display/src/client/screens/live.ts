import type { SamplePoint, StoredMeter } from '@linkyrpi/tic-core/stage'
import type { LiveSamplesAnswer } from '../../protocol.js'
import { getJson } from '../api.js'
import { codeOfIndex, nextPeriod } from '../countdown.js'
import { h, setText, show } from '../dom.js'
import { countdown, currentTimeZone, figure, hhmm, kwh, num, pct } from '../format.js'
import { t } from '../i18n.js'
import type { TextKey } from '../i18n.js'
import { liveCost } from '../live-cost.js'
import { addEarlierPoints, addLivePoint, clearPoints, liveChart, WINDOW_S } from '../live-curve.js'
import { overpowerOf } from '../overpower.js'
import { staleLimitMs } from '../stale.js'
import type { Screen, State } from '../state.js'

const WARN_RATIO = 0.9
/** Above this spread between phase currents (relative to their mean) the imbalance is flagged. */
const IMBALANCE_WARN = 0.3

/** The meter whose earlier minutes filled the curve (once per page and meter). */
let filledFor: string | null = null

/** The store's samples of `meter` over the ten minutes before `to` (none when it has no such meter). */
async function storedSamples(meter: string, to: number): Promise<readonly SamplePoint[]> {
  const meters = await getJson<StoredMeter[]>('/api/history/meters')
  if (!meters.some((m) => m.id === meter)) return []
  const q = `meter=${encodeURIComponent(meter)}&from=${String(to - WINDOW_S * 1000)}&to=${String(to)}&resolution=raw`
  return getJson<SamplePoint[]>(`/api/history/samples?${q}`)
}

/**
 * Fills the curve with the last ten minutes before the page opened: every frame the server kept
 * (it holds them until the store commits), then the store's samples before those.
 */
async function fillEarlier(meter: string, history: boolean, redraw: () => void): Promise<void> {
  const [frames, stored] = await Promise.all([
    getJson<LiveSamplesAnswer>('/api/live/samples').catch(() => null),
    history ? storedSamples(meter, Date.now()).catch(() => []) : [],
  ])
  addEarlierPoints(frames?.meter === meter ? frames : null, stored)
  redraw()
}

/** Short name of a period for the countdown line (`HP`, `HC Rouge`, `Pointe mobile`). */
function periodShort(code: string | null, colour: string | null): string {
  const name =
    code === 'hc' || code === 'hp'
      ? code.toUpperCase()
      : code === null
        ? ''
        : t(`period.${code}` as TextKey)
  return colour === null ? name : `${name} ${t(`colour.${colour}` as TextKey)}`
}

/** The Live screen: power as the hero, today's energy, period and countdown, curve, headroom, phases. */
export function liveScreen(): Screen {
  const heroValue = h('span', { class: 'n', text: '—' })
  const apparent = h(
    'div',
    { class: 'hero-value', attrs: { 'data-testid': 'apparent' } },
    heroValue,
    h('span', { class: 'u', text: ' VA' }),
  )
  const period = h('div', { class: 'hero-line', attrs: { 'data-testid': 'live-period' } })
  const tomorrow = h('div', {
    class: 'hero-line tomorrow',
    attrs: { 'data-testid': 'live-tomorrow' },
  })
  const peak = h('div', { class: 'hero-line peak', attrs: { 'data-testid': 'live-peak' } })
  const injValue = h('span', { class: 'pv', attrs: { 'data-testid': 'injected' } })
  const injected = h(
    'div',
    { class: 'hero-line injected' },
    h('span', { text: `${t('live.injected')} ` }),
    injValue,
  )
  const hero = h(
    'div',
    { class: 'card hero', attrs: { 'data-testid': 'hero' } },
    h('div', { class: 'label', text: t('live.apparent') }),
    apparent,
    period,
    tomorrow,
    peak,
    injected,
  )

  const todayValue = h('div', { class: 'mid', attrs: { 'data-testid': 'today-energy' }, text: '—' })
  const today = h(
    'div',
    { class: 'stat' },
    h('div', { class: 'label', text: t('live.today') }),
    todayValue,
  )
  // Today's cost and the price now, from the Costs screen's API (hidden without a store or a price).
  const cost = liveCost()
  const headValue = h('div', { class: 'mid', attrs: { 'data-testid': 'headroom' }, text: '—' })
  const headBar = h('div', { class: 'fill' })
  const headSub = h('div', { class: 'small', text: '' })
  const headWarn = h('div', { class: 'warning', attrs: { 'data-testid': 'headroom-warning' } })
  const headLabel = h('div', { class: 'label', text: t('live.headroom') })
  const headroom = h(
    'div',
    { class: 'stat headroom' },
    headLabel,
    headValue,
    h('div', { class: 'bar' }, headBar),
    headSub,
    headWarn,
  )
  const mono = h('div', { class: 'stat mono', attrs: { 'data-testid': 'mono' } })
  const monoI = h('span', { class: 'pv', attrs: { 'data-testid': 'mono-current' } })
  const monoU = h('span', { class: 'pv', attrs: { 'data-testid': 'mono-voltage' } })
  mono.append(h('span', { class: 'label', text: t('live.current') }), monoI, monoU)
  const maxima = h('div', { class: 'small maxima', attrs: { 'data-testid': 'maxima' } })
  const side = h('div', { class: 'card side' }, today, cost.el, headroom, mono)

  const phaseCells = [1, 2, 3].map((n) => {
    const p = h('div', { class: 'pv', attrs: { 'data-testid': `power-${String(n)}` } })
    const i = h('div', { class: 'pv', attrs: { 'data-testid': `current-${String(n)}` } })
    const u = h('div', { class: 'pv', attrs: { 'data-testid': `voltage-${String(n)}` } })
    const fill = h('div', { class: 'fill' })
    const col = h(
      'div',
      { class: 'phase' },
      h('div', { class: 'label', text: t('live.phase', { n }) }),
      h('div', { class: 'vbar' }, fill),
      p,
      i,
      u,
    )
    return { col, p, i, u, fill }
  })
  const imbalance = h('div', { class: 'imbalance', attrs: { 'data-testid': 'imbalance' } })
  const phases = h(
    'div',
    { class: 'card phases', attrs: { 'data-testid': 'phases' } },
    h('div', { class: 'phase-cols' }, ...phaseCells.map((c) => c.col)),
    imbalance,
  )

  const chartBox = h('div', { class: 'chart', attrs: { 'data-testid': 'live-chart' } })
  const curve = h(
    'div',
    { class: 'card curve' },
    h('div', { class: 'curve-head' }, h('span', { class: 'label', text: t('live.curve') }), maxima),
    chartBox,
  )
  const el = h(
    'section',
    { class: 'screen live', attrs: { 'data-screen': 'live' } },
    hero,
    side,
    curve,
    phases,
  )

  let state: State | null = null
  let producer = false
  let tariffKey = ''
  const chart = liveChart(
    chartBox,
    () => (state === null ? 10 : staleLimitMs(state) / 1000),
    () => producer,
  )

  function tariffLines(s: State): void {
    const r = s.frame?.reading
    if (r === undefined) return
    const code = r.period.code
    hero.dataset.code = code ?? 'other'
    const now = Date.now()
    const next = nextPeriod(r, now, currentTimeZone())
    const tempo = r.contract.option === 'tempo'
    const name = tempo
      ? periodShort(code, r.period.tempoToday)
      : code !== null
        ? t(`period.${code}` as TextKey)
        : (r.period.label ?? '')
    // Tempo: the night's HC keeps today's colour; the HP at 06:00 starts the day announced as tomorrow's.
    const nextColour =
      r.contract.option !== 'tempo'
        ? null
        : code === 'hc'
          ? r.period.tempoTomorrow
          : r.period.tempoToday
    const nextName =
      next === null
        ? ''
        : periodShort(
            next.code ?? (next.index === null ? null : codeOfIndex(r.contract.option, next.index)),
            nextColour,
          )
    setText(
      period,
      next === null
        ? name
        : `${name} · ${t('live.next', { p: nextName, d: countdown(next.at - now) })}`,
    )
    show(period, name.length > 0)
    const tm = r.period.tempoTomorrow
    show(tomorrow, r.contract.option === 'tempo')
    setText(
      tomorrow,
      t('tariff.tomorrowIs', {
        c: tm === null ? t('tariff.unknown') : t(`colour.${tm}`).toUpperCase(),
      }),
    )
    tomorrow.dataset.colour = tm ?? 'unknown'
    const notice = r.alerts.includes('peak-notice') && !r.alerts.includes('peak-active')
    show(peak, notice || r.alerts.includes('peak-active'))
    const peakAt = notice && next?.code === 'pm' ? countdown(next.at - now) : null
    setText(
      peak,
      r.alerts.includes('peak-active')
        ? t('tariff.peakActive')
        : peakAt !== null
          ? t('live.peakIn', { d: peakAt })
          : t('tariff.peakNotice'),
    )
  }

  function frame(s: State): void {
    state = s
    const f = s.frame
    if (f === null) return
    cost.refresh(s) // a request only when due (another meter, or every few minutes)
    const r = f.reading
    const va = r.power.apparentVA
    setText(heroValue, figure(va))
    apparent.classList.toggle('long', (heroValue.textContent ?? '').length > 5)
    show(hero, va !== null)
    show(injected, r.meter.producer)
    if (r.meter.producer) setText(injValue, num(r.power.injectedVA, 'VA'))
    // The period lines change with the period (the countdown moves with the 1 s tick).
    const key = `${String(r.period.index)}|${String(r.period.code)}|${String(r.period.tempoToday)}|${String(r.period.tempoTomorrow)}|${r.alerts.join()}`
    if (key !== tariffKey) {
      tariffKey = key
      tariffLines(s)
    }

    const sub = r.contract.subscribedVA
    show(headroom, sub !== null && va !== null)
    if (sub !== null && va !== null) {
      const ratio = va / sub
      const op = overpowerOf(r)
      setText(
        headValue,
        op.over
          ? op.excessVA === null
            ? '—'
            : `+${num(op.excessVA, 'VA')}`
          : `${num(sub - va, 'VA')} (${pct(1 - ratio)})`,
      )
      setText(headLabel, t(op.over ? 'live.excess' : 'live.headroom'))
      setText(headSub, t(op.over ? 'live.over' : 'live.subscribed', { p: num(sub, 'VA') }))
      headBar.style.width = `${String(Math.min(100, ratio * 100))}%`
      const warn = !op.over && ratio >= WARN_RATIO
      headroom.classList.toggle('warn', warn)
      headroom.classList.toggle('danger', op.over)
      // Overpower: the banner over every screen says it.
      setText(headWarn, warn ? t('live.warning') : '')
    }
    const mx = r.power.maxTodayVA
    const parts: string[] = []
    const at = (iso: string | null): string =>
      iso === null || Number.isNaN(Date.parse(iso)) ? '' : ` (${hhmm(Date.parse(iso))})`
    if (mx !== null && mx.value > 0)
      parts.push(`${t('live.maxToday')} ${num(mx.value, 'VA')}${at(mx.at)}`)
    // A maximum of 0 VA is a register not filled yet (a new meter, a simulator), not a figure.
    if (r.power.maxYesterdayVA !== null && r.power.maxYesterdayVA.value > 0)
      parts.push(`${t('live.maxYesterday')} ${num(r.power.maxYesterdayVA.value, 'VA')}`)
    if (r.power.pmax !== null && r.power.pmax > 0)
      parts.push(`${t('live.pmax')} ${num(r.power.pmax, r.meter.kind === 'linky' ? 'VA' : 'W')}`)
    if (r.power.maxInjectedTodayVA !== null && r.power.maxInjectedTodayVA.value > 0)
      parts.push(`${t('live.maxInjected')} ${num(r.power.maxInjectedTodayVA.value, 'VA')}`)
    setText(maxima, parts.join(' · '))
    show(maxima, parts.length > 0)

    const tri = r.meter.phases === 3
    show(phases, tri)
    el.classList.toggle('tri', tri)
    show(mono, !tri && r.current.rmsA !== null)
    const volts = r.voltage.rmsV
    if (tri) {
      const amps = r.current.rmsA ?? []
      const vas = r.power.apparentVAByPhase
      const known = amps.filter((a): a is number => a !== null)
      const max = Math.max(1, ...known)
      const mean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0
      const spread =
        known.length === 3 && mean > 0 ? (Math.max(...known) - Math.min(...known)) / mean : 0
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

    const meter = r.meter.id
    if (meter !== null && filledFor !== meter) {
      if (filledFor !== null) clearPoints()
      filledFor = meter
      const history = s.config?.history === true
      fillEarlier(meter, history, chart.redraw).catch(() => undefined) // the live points still show
    }
    addLivePoint(f.meta.receivedAt, va, r.power.injectedVA)
    producer = r.meter.producer
    chart.redraw()
  }

  function stats(s: State): void {
    state = s
    const e = s.stats?.energy ?? null
    const r = s.frame?.reading
    const same = e !== null && r !== undefined && e.meter === r.meter.id
    setText(
      todayValue,
      same
        ? kwh(
            Object.values(e.todayByIndexWh).reduce((a, b) => a + b, 0),
            2,
          )
        : '—',
    )
  }

  function tick(s: State): void {
    state = s
    chart.redraw() // the time axis follows the clock, frames or not
    tariffLines(s)
    cost.refresh(s)
  }

  return {
    id: 'live',
    el,
    frame,
    stats,
    tick,
    shown: (s) => {
      state = s
      chart.layout()
      stats(s)
      cost.refresh(s)
    },
  }
}
