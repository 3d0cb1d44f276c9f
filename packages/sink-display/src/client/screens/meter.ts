import type { TicReading } from '@linkyrpi/tic-core'
import { clear, h, row, setText, show } from '../dom.js'
import { clock, num } from '../format.js'
import { t, word } from '../i18n.js'
import type { TextKey } from '../i18n.js'
import type { Screen, State } from '../state.js'

type Stge = NonNullable<TicReading['status']>

function stgeWords(s: Stge): string[] {
  const out = [
    t(`stge.cutoff.${s.cutoff}` as TextKey),
    t(s.dryContactOpen ? 'stge.dryContactOpen' : 'stge.dryContactClosed'),
  ]
  if (s.coverOpen) out.push(t('stge.coverOpen'))
  if (s.overvoltage) out.push(t('stge.overvoltage'))
  if (s.overpower) out.push(t('stge.overpower'))
  if (s.producer) out.push(t('stge.producer'))
  if (s.injecting) out.push(t('stge.injecting'))
  out.push(
    t('stge.supplierIndex', { n: s.supplierIndex }),
    t('stge.distributorIndex', { n: s.distributorIndex }),
  )
  if (s.clockDegraded) out.push(t('stge.clockDegraded'))
  out.push(
    t('stge.euridis', { v: word('euridis.', s.euridis) }),
    t('stge.plc', { v: word('plc.', s.plcStatus) }),
  )
  if (s.plcSynchronised) out.push(t('stge.plcSynchronised'))
  if (s.tempoToday !== null) out.push(t('stge.tempoToday', { v: t(`colour.${s.tempoToday}`) }))
  if (s.tempoTomorrow !== null)
    out.push(t('stge.tempoTomorrow', { v: t(`colour.${s.tempoTomorrow}`) }))
  if (s.mobilePeakNotice !== 0) out.push(t('stge.peakNotice', { n: s.mobilePeakNotice }))
  if (s.mobilePeakActive !== 0) out.push(t('stge.peakActive', { n: s.mobilePeakActive }))
  return out
}

function section(title: string, ...children: HTMLElement[]): HTMLElement {
  return h('div', { class: 'card' }, h('h2', { text: title }), ...children)
}

/** The Meter screen: identity, contract, STGE in words, relays, messages, tomorrow's profile. */
export function meterScreen(): Screen {
  const ids = {
    ads: row(t('meter.ads')),
    manufacturer: row(t('meter.manufacturer')),
    model: row(t('meter.model')),
    year: row(t('meter.year')),
    prm: row(t('meter.prm')),
    mode: row(t('meter.mode')),
    version: row(t('meter.version')),
    phases: row(t('meter.phases')),
    producer: row(t('meter.producer')),
    clock: row(t('meter.clock')),
  }
  const con = {
    option: row(t('meter.option')),
    subscribed: row(t('meter.subscribed')),
    cutoff: row(t('meter.cutoff')),
    isousc: row(t('meter.isousc')),
  }
  for (const [k, r] of Object.entries({ ...ids, ...con })) r.value.dataset.testid = `meter-${k}`
  const stgeList = h('ul', { class: 'words', attrs: { 'data-testid': 'stge' } })
  const status = section(t('meter.status'), stgeList)
  const relayBox = h('div', { class: 'relays', attrs: { 'data-testid': 'relays' } })
  const relayCells = Array.from({ length: 8 }, (_, i) => {
    const v = h('span', { class: 'state' })
    const c = h('div', { class: 'relay' }, h('span', { text: t('meter.relay', { n: i + 1 }) }), v)
    relayBox.append(c)
    return { c, v }
  })
  const relays = section(t('meter.relays'), relayBox)
  const msg1 = h('p', { class: 'msg', attrs: { 'data-testid': 'msg1' } })
  const msg2 = h('p', { class: 'msg', attrs: { 'data-testid': 'msg2' } })
  const messages = section(t('meter.messages'), msg1, msg2)
  const profBody = h('tbody')
  const profile = section(
    t('meter.tomorrow'),
    h(
      'table',
      { class: 'grid', attrs: { 'data-testid': 'profile' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { text: t('meter.slot.start') }),
          h('th', { text: t('meter.slot.index') }),
          h('th', { text: t('meter.slot.contact') }),
        ),
      ),
      profBody,
    ),
  )
  const el = h(
    'section',
    { class: 'screen meter', attrs: { 'data-screen': 'meter' } },
    section(t('meter.identity'), h('dl', {}, ...Object.values(ids).map((r) => r.row))),
    section(t('meter.contract'), h('dl', {}, ...Object.values(con).map((r) => r.row))),
    status,
    relays,
    messages,
    profile,
  )
  let lastProfile = ''

  function set(r: { row: HTMLElement; value: HTMLElement }, v: string | null): void {
    show(r.row, v !== null)
    if (v !== null) setText(r.value, v)
  }

  function frame(s: State): void {
    const r = s.frame?.reading
    if (r === undefined) return
    const m = r.meter
    set(ids.ads, m.id)
    set(ids.manufacturer, m.ads?.manufacturer ?? (m.ads === null ? null : m.ads.manufacturerCode))
    set(ids.model, m.ads?.model ?? (m.ads === null ? null : m.ads.typeCode))
    set(ids.year, m.ads === null ? null : String(m.ads.year))
    set(ids.prm, m.prm)
    set(ids.mode, m.mode)
    set(ids.version, m.ticVersion)
    set(ids.phases, m.phases === null ? null : String(m.phases))
    set(ids.producer, m.mode === 'standard' ? t(m.producer ? 'yes' : 'no') : null)
    set(
      ids.clock,
      r.time === null || Number.isNaN(Date.parse(r.time))
        ? r.time
        : clock(Date.parse(r.time), true),
    )
    const opt = r.contract.option
    // The option in words, the meter's own label beside it when it says more (`HC..`, `BBR(`, a supplier's NGTF).
    set(con.option, opt === null || opt === 'other' ? r.contract.optionLabel : t(`option.${opt}`))
    set(
      con.subscribed,
      r.contract.subscribedVA === null ? null : num(r.contract.subscribedVA, 'VA'),
    )
    set(con.cutoff, r.contract.cutoffVA === null ? null : num(r.contract.cutoffVA, 'VA'))
    set(con.isousc, r.contract.subscribedA === null ? null : num(r.contract.subscribedA, 'A'))
    show(status, r.status !== null)
    if (r.status !== null) {
      const words = stgeWords(r.status)
      if (words.join('|') !== Array.from(stgeList.children, (c) => c.textContent).join('|')) {
        clear(stgeList)
        for (const w of words) stgeList.append(h('li', { text: w }))
      }
    }
    show(relays, r.relays !== null)
    r.relays?.forEach((on, i) => {
      const cell = relayCells[i]
      if (cell === undefined) return
      cell.c.classList.toggle('on', on)
      setText(cell.v, t(on ? 'closed' : 'open'))
    })
    const m1 = r.messages.msg1
    const m2 = r.messages.msg2
    show(messages, m1 !== null || m2 !== null)
    setText(msg1, m1 ?? '')
    setText(msg2, m2 ?? '')
    const p = r.calendar.nextDayProfile
    show(profile, p !== null)
    const key = JSON.stringify(p)
    if (p !== null && key !== lastProfile) {
      lastProfile = key
      clear(profBody)
      for (const slot of p) {
        profBody.append(
          h(
            'tr',
            {},
            h('td', { text: slot.start }),
            h('td', { text: slot.supplierIndex === null ? '—' : String(slot.supplierIndex) }),
            h('td', { text: word('dry.', slot.dryContact) }),
          ),
        )
      }
    }
  }

  return { id: 'meter', el, frame, shown: frame }
}
