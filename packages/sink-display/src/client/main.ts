import 'uplot/dist/uPlot.min.css'
import './style.css'
import type { WireFrame } from '@linkyrpi/tic-core'
import type { HelloEvent, StatsSnapshot, TariffSnapshot } from '../protocol.js'
import { clear, h, setText, show } from './dom.js'
import { clock, duration, num, setTimeZone } from './format.js'
import { lang, setLang, t } from './i18n.js'
import type { Lang, TextKey } from './i18n.js'
import { costsScreen } from './screens/costs.js'
import { automationScreen } from './screens/automation.js'
import { diagnosticsScreen } from './screens/diagnostics.js'
import { historyScreen } from './screens/history.js'
import { indexesScreen } from './screens/indexes.js'
import { liveScreen } from './screens/live.js'
import { meterScreen } from './screens/meter.js'
import { overpowerOf } from './overpower.js'
import { sharedEvents } from './shared-events.js'
import { noteFrameInterval, staleness } from './stale.js'
import { waitingContent } from './waiting.js'
import type { Screen, State } from './state.js'

const state: State = {
  config: null,
  frame: null,
  tariff: null,
  stats: null,
  lastFrameAt: null,
  stale: false,
  intervalsMs: [],
  serverReachable: null,
}
const params = new URLSearchParams(location.search)
const SCREENS = ['live', 'indexes', 'history', 'costs', 'meter', 'diagnostics'] as const

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null // storage disabled (kiosk profile): fall back to defaults
  }
}
function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Not persisted: the choice lasts for this page only.
  }
}

function applyTheme(theme: string | null): void {
  const dark =
    theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}
applyTheme(params.get('theme') ?? stored('linky.theme'))

let screens: Screen[] = []
let current = 0
let ui: ReturnType<typeof build> | null = null

function build() {
  clear(document.body)
  const period = h('span', { class: 'chip period', attrs: { 'data-testid': 'period' } })
  const today = h('span', { class: 'chip tempo', attrs: { 'data-testid': 'tempo-today' } })
  const tomorrow = h('span', { class: 'chip tempo', attrs: { 'data-testid': 'tempo-tomorrow' } })
  const notice = h('span', { class: 'chip notice', attrs: { 'data-testid': 'peak-notice' } })
  const staleBox = h('div', {
    class: 'stale-banner',
    attrs: { 'data-testid': 'stale', role: 'status' },
  })
  const alarm = h('div', {
    class: 'alarm-banner',
    attrs: { 'data-testid': 'overpower', role: 'alert' },
  })
  const themeBtn = h('button', {
    class: 'icon',
    text: '◐',
    attrs: { type: 'button', 'aria-label': t('theme.toggle') },
  })
  const langBtn = h('button', {
    class: 'icon',
    text: lang() === 'fr' ? 'EN' : 'FR',
    attrs: { type: 'button', 'aria-label': t('lang.toggle') },
  })
  const header = h(
    'header',
    {},
    h('div', { class: 'tariff' }, period, today, tomorrow, notice),
    h('span', { class: 'spacer' }),
    themeBtn,
    langBtn,
  )
  screens = [
    liveScreen(),
    indexesScreen(),
    historyScreen(),
    costsScreen(),
    meterScreen(),
    diagnosticsScreen(),
    automationScreen(),
  ]
  const main = h('main', {}, alarm, staleBox, ...screens.map((s) => s.el))
  const tabs = screens.map((s, i) => {
    const b = h('button', {
      class: 'tab',
      text: t(`tab.${s.id}` as TextKey),
      attrs: { type: 'button', 'data-tab': s.id },
    })
    b.addEventListener('click', () => go(i))
    return b
  })
  const nav = h('nav', {}, ...tabs)
  document.body.append(header, main, nav)
  themeBtn.addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'
    store('linky.theme', next)
    applyTheme(next)
  })
  langBtn.addEventListener('click', () => {
    const next: Lang = lang() === 'fr' ? 'en' : 'fr'
    store('linky.lang', next)
    setLang(next)
    ui = build()
    renderAll()
  })
  // Swipe between screens (touch and mouse), except on charts where a drag zooms.
  let start: { x: number; y: number } | null = null
  main.addEventListener('pointerdown', (e) => {
    start = (e.target as Element).closest('.uplot') === null ? { x: e.clientX, y: e.clientY } : null
  })
  main.addEventListener('pointerup', (e) => {
    if (start === null) return
    const dx = e.clientX - start.x
    const dy = e.clientY - start.y
    start = null
    if (Math.abs(dx) > 80 && Math.abs(dy) < 60) go(current + (dx < 0 ? 1 : -1))
  })
  return { period, today, tomorrow, notice, staleBox, alarm, tabs, main }
}

function go(i: number): void {
  current = (i + screens.length) % screens.length
  screens.forEach((s, k) => show(s.el, k === current))
  ui?.tabs.forEach((b, k) => b.classList.toggle('active', k === current))
  const id = screens[current]!.id
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`)
  screens[current]!.shown?.(state)
}

function renderTariff(): void {
  if (ui === null) return
  const tr: TariffSnapshot | null = state.tariff
  show(ui.period, tr !== null && (tr.period.label !== null || tr.period.code !== null))
  show(ui.today, tr?.period.tempoToday != null)
  show(ui.tomorrow, tr !== null && tr.option === 'tempo')
  show(ui.notice, tr !== null && (tr.peakNotice || tr.peakActive))
  if (tr === null) return
  const code = tr.period.code
  setText(ui.period, code !== null ? t(`period.${code}` as TextKey) : (tr.period.label ?? ''))
  ui.period.dataset.code = code ?? 'other'
  if (tr.period.tempoToday !== null) {
    setText(ui.today, t('tariff.todayIs', { c: t(`colour.${tr.period.tempoToday}`) }))
    ui.today.dataset.colour = tr.period.tempoToday
  }
  const tm = tr.period.tempoTomorrow
  setText(
    ui.tomorrow,
    t('tariff.tomorrowIs', { c: tm === null ? t('tariff.unknown') : t(`colour.${tm}`) }),
  )
  ui.tomorrow.dataset.colour = tm ?? 'unknown'
  setText(ui.notice, t(tr.peakActive ? 'tariff.peakActive' : 'tariff.peakNotice'))
}

let lastCheck = 0
/** While frames are missing, asks the server now and then whether it answers (meter silent vs server unreachable). */
function checkServer(): void {
  if (Date.now() - lastCheck < 2500) return
  lastCheck = Date.now()
  fetch(new URL('/api/config', location.href).href, { cache: 'no-store' })
    .then((res) => res.ok)
    .catch(() => false)
    .then((ok) => {
      state.serverReachable = ok
      renderStale()
    })
    .catch(() => undefined)
}

function renderStale(): void {
  if (ui === null || state.config === null) return
  const { stale, ageMs: age } = staleness(state, Date.now())
  state.stale = stale
  document.body.classList.toggle('stale', stale)
  show(ui.staleBox, stale)
  if (!stale) {
    state.serverReachable = null
    delete ui.staleBox.dataset.waiting
    return
  }
  checkServer()
  const reason =
    state.serverReachable === null ? 'unknown' : state.serverReachable ? 'meter' : 'server'
  ui.staleBox.dataset.reason = reason
  if (state.lastFrameAt === null && reason !== 'server') {
    // Before the first frame: what the page waits for and the likely causes, built once per language.
    if (ui.staleBox.dataset.waiting !== lang()) {
      clear(ui.staleBox)
      ui.staleBox.append(...waitingContent(state.config.waitingFor))
      ui.staleBox.dataset.waiting = lang()
    }
    return
  }
  delete ui.staleBox.dataset.waiting
  if (state.lastFrameAt === null) return setText(ui.staleBox, t('stale.server'))
  const key: TextKey =
    reason === 'server'
      ? 'stale.serverSince'
      : reason === 'meter'
        ? 'stale.meterSince'
        : 'stale.since'
  setText(ui.staleBox, `${t(key, { t: clock(state.lastFrameAt) })} (${duration(age)})`)
}

/** The overpower alarm, on every screen: the subscribed power exceeded, by how much. */
function renderAlarm(): void {
  if (ui === null) return
  const r = state.frame?.reading
  const op = r === undefined ? { over: false, excessVA: null } : overpowerOf(r)
  document.body.classList.toggle('overpower', op.over)
  show(ui.alarm, op.over)
  if (op.over && r !== undefined) {
    const sub = r.contract.subscribedVA
    const head =
      op.excessVA === null
        ? t('alarm.overpower')
        : t('alarm.overpowerBy', { p: `+${num(op.excessVA, 'VA')}` })
    setText(
      ui.alarm,
      sub === null ? head : `${head} (${t('alarm.subscribed', { p: num(sub, 'VA') })})`,
    )
  }
}

function renderAll(): void {
  for (const s of screens) {
    if (state.frame !== null) s.frame?.(state)
    if (state.stats !== null) s.stats?.(state)
  }
  renderTariff()
  renderStale()
  renderAlarm()
  const hash = location.hash.slice(1)
  go(Math.max(0, SCREENS.indexOf(hash as (typeof SCREENS)[number])))
}

function onFrame(frame: WireFrame): void {
  const now = Date.now()
  noteFrameInterval(state, state.lastFrameAt, now)
  state.frame = frame
  state.lastFrameAt = now
  if (state.stale) renderStale()
  renderAlarm()
  // Only the visible screen renders (the others catch up when shown); Live also keeps its
  // rolling curve while hidden.
  const visible = screens[current]
  visible?.frame?.(state)
  const live = screens[0]
  if (live !== visible) live?.frame?.(state)
  for (const s of screens) if (s !== visible && s !== live && s.id === 'history') s.frame?.(state)
}

/** This page's state as the data of a `hello` event, for a tab that joins (see shared-events). */
function snapshot(): string | null {
  if (state.config === null || state.stats === null) return null
  const hello: HelloEvent = {
    config: state.config,
    frame: state.frame,
    lastFrameAgeMs: state.lastFrameAt === null ? null : Math.max(0, Date.now() - state.lastFrameAt),
    tariff: state.tariff,
    stats: state.stats,
  }
  return JSON.stringify(hello)
}

function connect(): void {
  // One event stream per browser, shared by its tabs (see shared-events.ts).
  const events = sharedEvents({
    url: new URL('/events', location.href).href,
    events: ['hello', 'frame', 'tariff', 'stats'],
    hello: 'hello',
    snapshot,
  })
  events.addEventListener('hello', (data) => {
    const hello = JSON.parse(data) as HelloEvent
    const first = state.config === null
    state.config = hello.config
    state.frame = hello.frame
    state.tariff = hello.tariff
    state.stats = hello.stats
    state.lastFrameAt = hello.lastFrameAgeMs === null ? null : Date.now() - hello.lastFrameAgeMs
    setTimeZone(hello.config.timeZone)
    if (first)
      setLang(
        (params.get('lang') ?? stored('linky.lang') ?? hello.config.lang) === 'en' ? 'en' : 'fr',
      )
    ui = build()
    renderAll()
  })
  events.addEventListener('frame', (data) => onFrame(JSON.parse(data) as WireFrame))
  events.addEventListener('tariff', (data) => {
    state.tariff = JSON.parse(data) as TariffSnapshot
    renderTariff()
  })
  events.addEventListener('stats', (data) => {
    state.stats = JSON.parse(data) as StatsSnapshot
    for (const s of screens) s.stats?.(state)
  })
}

// A screen typed in the address bar (`#history`) of an open page.
addEventListener('hashchange', () => {
  const i = screens.findIndex((s) => s.id === location.hash.slice(1))
  if (i >= 0 && i !== current && ui !== null) go(i)
})
document.body.append(h('p', { class: 'connecting', text: t('connecting') }))
setInterval(() => {
  renderStale()
  screens[current]?.tick?.(state)
}, 1000)
connect()
