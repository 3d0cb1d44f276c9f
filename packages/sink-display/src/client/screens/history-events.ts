/**
 * The History screen's events card: the store's events over the screen's range, newest first,
 * each as a local date and time and a sentence in the UI language (kinds and details:
 * docs/storage.md, "Events"). Text from the meter or the store only reaches the page as
 * `textContent`.
 */
import type { StoredEvent } from '@linkyrpi/tic-core/stage'
import { clear, h } from '../dom.js'
import { clock, duration, indexName, kwh, num } from '../format.js'
import { t, word as known } from '../i18n.js'
import type { TextKey } from '../i18n.js'

/** Most events one range shows (the API allows 500). */
const LIMIT = 100

type Detail = Readonly<Record<string, unknown>>
type Describe = (d: Detail, option: string | null) => string

const PERIOD_CODES = new Set(['base', 'hc', 'hp', 'hn', 'pm'])
const COLOURS = new Set(['blue', 'white', 'red'])
/** Tempo period labels: historique PTEC (`HCJB`…) or standard LTARF (`HP ROUGE`…). */
const TEMPO_LABEL = /^H[CP]J[BWR]$|BLEU|BLANC|ROUGE/i
/** Kinds drawn as alerts (a red mark): the meter is in a condition worth a look. */
const ALERTS = new Set([
  'overpower',
  'cutoff-open',
  'overvoltage',
  'phase-missing',
  'peak-active',
  'cover-open',
  'register-reset',
])
const CUTOFF = [
  'closed',
  'overpower',
  'overvoltage',
  'load-shedding',
  'remote-order',
  'overheat-high-current',
  'overheat-low-current',
  'unknown',
]
const EURIDIS = ['disabled', 'enabled', 'undefined', 'secured']
const PLC = ['new-unlock', 'new-lock', 'registered', 'undefined']

const numberOf = (d: Detail, k: string): number | null => {
  const v = d[k]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}
const textOf = (d: Detail, k: string): string | null => {
  const v = d[k]
  return typeof v === 'string' && v.length > 0 ? v : null
}
const objectOf = (v: unknown): Detail | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Detail) : null
const flags = (v: unknown): boolean[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'boolean') ? (v as boolean[]) : null

/** `sentence : details` with the UI language's punctuation, or the sentence alone. */
function withDetails(sentence: string, details: readonly string[]): string {
  return details.length === 0 ? sentence : t('event.with', { e: sentence, d: details.join(', ') })
}

function periodChange(d: Detail, option: string | null): string {
  const to = numberOf(d, 'to')
  const code = textOf(d, 'code')
  const label = textOf(d, 'label')
  const tempo = option === 'tempo' || (label !== null && TEMPO_LABEL.test(label))
  if (tempo && to !== null && to >= 1 && to <= 6)
    return t('event.period', { p: indexName('tempo', to) })
  if (code !== null && PERIOD_CODES.has(code)) return t(`event.period.${code}` as TextKey)
  if (label !== null) return t('event.period', { p: label })
  return to === null
    ? t('event.period', { p: '?' })
    : t('event.period', { p: indexName(option, to) })
}

function tempoAnnounced(d: Detail): string {
  const c = textOf(d, 'colour')
  return t('event.tempo', {
    c: c !== null && COLOURS.has(c) ? t(`colour.${c}` as TextKey).toLocaleLowerCase() : (c ?? '?'),
  })
}

function overpower(d: Detail): string {
  const va = numberOf(d, 'apparentVA')
  const sub = numberOf(d, 'subscribedVA')
  const out: string[] = []
  if (va !== null && sub !== null)
    out.push(t('event.overpower.of', { a: num(va, 'VA'), s: num(sub, 'VA') }))
  else if (va !== null) out.push(num(va, 'VA'))
  const amps = Array.isArray(d.overrunA)
    ? d.overrunA.filter((a): a is number => typeof a === 'number' && Number.isFinite(a))
    : []
  if (amps.length > 0) out.push(num(Math.max(...amps), 'A'))
  return withDetails(t('event.overpower'), out)
}

function relayChange(d: Detail): string {
  const from = flags(d.from)
  const to = flags(d.to)
  if (from === null || to === null) return t('event.relays')
  const changed = to.flatMap((closed, i) =>
    from[i] === closed ? [] : [t('event.relay', { n: i + 1, s: t(closed ? 'closed' : 'open') })],
  )
  return changed.length === 0 ? t('event.relays') : changed.join(', ')
}

function message(d: Detail): string {
  const texts = [textOf(d, 'msg1'), textOf(d, 'msg2')].filter((m): m is string => m !== null)
  return texts.length === 0
    ? t('event.message.none')
    : withDetails(t('event.message'), [texts.join(' / ')])
}

/** STGE fields (54E §6.2.3.14) as [first bit, width, words for the new value]. */
const STGE_FIELDS: readonly (readonly [number, number, (v: number) => string])[] = [
  [0, 1, (v) => t(v === 1 ? 'stge.dryContactOpen' : 'stge.dryContactClosed')],
  [1, 3, (v) => t(`stge.cutoff.${CUTOFF[v] ?? 'unknown'}` as TextKey)],
  [4, 1, (v) => t(v === 1 ? 'stge.coverOpen' : 'event.cover-open-end')],
  [6, 1, (v) => t(v === 1 ? 'stge.overvoltage' : 'event.overvoltage-end')],
  [7, 1, (v) => t(v === 1 ? 'stge.overpower' : 'event.overpower-end')],
  [8, 1, (v) => t(v === 1 ? 'stge.producer' : 'event.status.consumer')],
  [9, 1, (v) => t(v === 1 ? 'stge.injecting' : 'event.status.withdrawing')],
  [16, 1, (v) => t(v === 1 ? 'stge.clockDegraded' : 'event.clock-degraded-end')],
  [17, 1, (v) => t('event.status.ticMode', { v: v === 1 ? 'standard' : 'historique' })],
  [19, 2, (v) => t('stge.euridis', { v: known('euridis.', EURIDIS[v] ?? '?') })],
  [21, 2, (v) => t('stge.plc', { v: known('plc.', PLC[v] ?? '?') })],
  [23, 1, (v) => t(v === 1 ? 'stge.plcSynchronised' : 'event.status.plcUnsynchronised')],
  [28, 2, (v) => (v === 0 ? t('event.peak-notice-end') : t('stge.peakNotice', { n: v }))],
  [30, 2, (v) => (v === 0 ? t('event.peak-active-end') : t('stge.peakActive', { n: v }))],
]

function statusChange(d: Detail): string {
  const hex = (k: string): number | null => {
    const raw = textOf(d, k)
    return raw !== null && /^[0-9A-Fa-f]{8}$/.test(raw) ? parseInt(raw, 16) >>> 0 : null
  }
  const from = hex('from')
  const to = hex('to')
  const changed =
    numberOf(d, 'changedBits') ?? (from !== null && to !== null ? (from ^ to) >>> 0 : null)
  if (to === null || changed === null) return t('event.status')
  const words = STGE_FIELDS.filter(
    ([lsb, width]) => ((changed >>> lsb) & ((1 << width) - 1)) !== 0,
  ).map(([lsb, width, word]) => word((to >>> lsb) & ((1 << width) - 1)))
  return withDetails(t('event.status'), words)
}

function contractTerms(v: unknown): string | null {
  const c = objectOf(v)
  if (c === null) return null
  const va = numberOf(c, 'subscribedVA')
  const option = textOf(c, 'option')
  const named = option === null || option === 'other' ? null : known('option.', option)
  const parts = [
    named ?? textOf(c, 'optionLabel'),
    va === null ? null : num(va / 1000, 'kVA', va % 1000 === 0 ? 0 : 1),
  ]
  const out = parts.filter((p): p is string => p !== null)
  return out.length === 0 ? null : out.join(', ')
}

function contractChange(d: Detail): string {
  const to = contractTerms(d.to)
  const from = contractTerms(d.from)
  if (to === null) return t('event.contract')
  return withDetails(t('event.contract'), [
    from === null ? to : t('event.contract.was', { to, from }),
  ])
}

/** Name of a store register (`import`, `s01`…`s10`, `d1`…`d4`) in the UI language. */
function registerName(register: string, option: string | null): string {
  if (register === 'import') return t('index.total')
  if (register === 'export') return t('index.export')
  const n = Number(register.slice(1))
  if (register.startsWith('s') && Number.isInteger(n)) return indexName(option, n)
  if (register.startsWith('d') && Number.isInteger(n))
    return `${t('index.distributor')} ${String(n)}`
  return register
}

function registerReset(d: Detail, option: string | null): string {
  const list = Array.isArray(d.registers)
    ? d.registers.map(objectOf).filter((r): r is Detail => r !== null)
    : []
  // The total says it best; the supplier indexes otherwise.
  const shown = list.some((r) => r.register === 'import')
    ? list.filter((r) => r.register === 'import')
    : list
  const details = shown.flatMap((r) => {
    const name = textOf(r, 'register')
    const from = numberOf(r, 'from')
    const to = numberOf(r, 'to')
    return name === null || from === null || to === null
      ? []
      : [
          t('event.registerReset.one', {
            r: registerName(name, option),
            from: kwh(from, 1),
            to: kwh(to, 1),
          }),
        ]
  })
  return withDetails(t('event.registerReset'), details)
}

/** Sentences of the kinds written by the store; an alert's `-end` where it has one. */
const SENTENCES: ReadonlyMap<string, Describe> = new Map<string, Describe>([
  ['period-change', periodChange],
  ['tempo-announced', tempoAnnounced],
  ['overpower', overpower],
  ['overpower-end', () => t('event.overpower-end')],
  ['peak-notice', () => t('tariff.peakNotice')],
  ['peak-notice-end', () => t('event.peak-notice-end')],
  ['peak-active', () => t('event.peak-active')],
  ['peak-active-end', () => t('event.peak-active-end')],
  ['overvoltage', () => t('stge.overvoltage')],
  ['overvoltage-end', () => t('event.overvoltage-end')],
  ['cutoff-open', () => t('event.cutoff-open')],
  ['cutoff-open-end', () => t('stge.cutoff.closed')],
  ['cover-open', () => t('stge.coverOpen')],
  ['cover-open-end', () => t('event.cover-open-end')],
  ['clock-degraded', () => t('stge.clockDegraded')],
  ['clock-degraded-end', () => t('event.clock-degraded-end')],
  ['phase-missing', () => t('event.phase-missing')],
  ['phase-missing-end', () => t('event.phase-missing-end')],
  ['relay-change', relayChange],
  ['message', message],
  ['status-change', statusChange],
  ['gap', (d) => t('event.gap', { d: duration(numberOf(d, 'ms') ?? 0) })],
  ['restart', (d) => t('event.restart', { d: duration(numberOf(d, 'ms') ?? 0) })],
  [
    'mode-change',
    (d) => t('event.mode', { from: textOf(d, 'from') ?? '?', to: textOf(d, 'to') ?? '?' }),
  ],
  ['contract-change', contractChange],
  ['register-reset', registerReset],
])

/** One event as a sentence; an unknown kind shows its name. */
function sentence(e: StoredEvent, option: string | null): string {
  const kind = String(e.kind)
  const describe = SENTENCES.get(kind)
  return describe === undefined ? kind : describe(objectOf(e.detail) ?? {}, option)
}

function eventRow(e: StoredEvent, option: string | null): HTMLElement {
  const kind = String(e.kind)
  return h(
    'li',
    { class: ALERTS.has(kind) ? 'event alert' : 'event', attrs: { 'data-testid': 'event-row' } },
    h('span', { class: 'when', text: clock(e.t, true) }),
    h('span', { class: 'what', text: sentence(e, option) }),
  )
}

/** The events card: its element, a loader for one meter and range, and a plain note. */
export interface EventsCard {
  readonly el: HTMLElement
  /** Shows the events of `meter` over [from, to); `option` (the live contract's) names Tempo indexes. */
  load(meter: string, from: number, to: number, option: string | null): Promise<void>
  /** Replaces the list with one line of text (no meter in the store, history unavailable). */
  note(text: string): void
}

/** Builds the History screen's "Événements" card, newest events first, scrolling within its box. */
export function eventsCard(): EventsCard {
  const body = h('div', { class: 'events-body', attrs: { 'data-testid': 'history-events' } })
  const el = h(
    'div',
    { class: 'card events' },
    h('div', { class: 'label', text: t('history.events') }),
    body,
  )
  let request = 0

  function note(text: string): void {
    clear(body)
    body.append(h('p', { class: 'small', attrs: { 'data-testid': 'events-note' }, text }))
  }

  function render(events: readonly StoredEvent[], option: string | null): void {
    if (events.length === 0) {
      note(t('history.events.none'))
      return
    }
    clear(body)
    const newestFirst = [...events].sort((a, b) => b.t - a.t)
    body.append(h('ol', { class: 'event-list' }, ...newestFirst.map((e) => eventRow(e, option))))
    if (events.length >= LIMIT)
      body.append(h('p', { class: 'small', text: t('history.events.limited', { n: LIMIT }) }))
    body.scrollTop = 0
  }

  async function load(
    meter: string,
    from: number,
    to: number,
    option: string | null,
  ): Promise<void> {
    const mine = ++request
    const path = `/api/history/events?meter=${encodeURIComponent(meter)}&from=${String(from)}&to=${String(to)}&limit=${String(LIMIT)}`
    try {
      const res = await fetch(path, { headers: { accept: 'application/json' } })
      if (!res.ok) throw new Error(`${path}: HTTP ${String(res.status)}`)
      const events: unknown = await res.json()
      if (!Array.isArray(events)) throw new Error(`${path}: not a list`)
      if (mine === request) render(events as StoredEvent[], option)
    } catch {
      // Shown in the card; the next load retries.
      if (mine === request) note(t('history.events.error'))
    }
  }

  return {
    el,
    load,
    note: (text) => {
      request++
      note(text)
    },
  }
}
