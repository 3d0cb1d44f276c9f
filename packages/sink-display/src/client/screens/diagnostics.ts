import { clear, h, row, setText, show } from '../dom.js'
import { clock, duration, num } from '../format.js'
import { t, word } from '../i18n.js'
import type { Screen, State } from '../state.js'

const REASON_CLASSES = [
  'checksum',
  'malformed',
  'label',
  'charset',
  'length',
  'horodate',
  'mode',
  'oversize',
]

/** The Diagnostics screen: source, frame rate, rejected groups over time, sinks, spool. */
export function diagnosticsScreen(): Screen {
  const r = {
    source: row(t('diag.source')),
    state: row(t('diag.state')),
    mode: row(t('diag.mode')),
    baud: row(t('diag.baud')),
    fps: row(t('diag.fps')),
    frames: row(t('diag.frames')),
    last: row(t('diag.lastFrame')),
    clients: row(t('diag.clients')),
    rejected: row(t('diag.rejected')),
  }
  for (const [k, v] of Object.entries(r)) v.value.dataset.testid = `diag-${k}`
  const rate = h('div', { class: 'rate', attrs: { 'data-testid': 'diag-rate' } })
  const legend = h('div', { class: 'legend' })
  const sinkBody = h('tbody')
  const sinks = h(
    'div',
    { class: 'card wide' },
    h('h2', { text: t('diag.sinks') }),
    h(
      'table',
      { class: 'grid', attrs: { 'data-testid': 'diag-sinks' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['diag.sink', 'diag.state', 'diag.acked', 'diag.lag', 'diag.errors', 'diag.spool'].map(
            (k) => h('th', { text: t(k as 'diag.sink') }),
          ),
        ),
      ),
      sinkBody,
    ),
  )
  const pipelineNote = h('p', { class: 'small', text: t('diag.pipelineNone') })
  const el = h(
    'section',
    { class: 'screen diagnostics', attrs: { 'data-screen': 'diagnostics' } },
    h('div', { class: 'card' }, h('dl', {}, ...Object.values(r).map((x) => x.row)), pipelineNote),
    h('div', { class: 'card' }, h('h2', { text: t('diag.rejectedRate') }), rate, legend),
    sinks,
  )

  function stats(s: State): void {
    const st = s.stats
    if (st === null) return
    const d = st.diagnostics
    show(pipelineNote, d === null)
    show(r.source.row, d !== null)
    show(r.state.row, d !== null)
    show(r.baud.row, d !== null)
    show(sinks, d !== null && d.sinks.length > 0)
    if (d !== null) {
      setText(r.source.value, d.source.id)
      setText(r.state.value, word('state.', d.source.state))
      setText(r.baud.value, d.source.baudRate === null ? '—' : num(d.source.baudRate, 'Bd'))
      clear(sinkBody)
      for (const k of d.sinks) {
        const spool =
          k.spool === null
            ? '—'
            : `${num(k.spool.usedBytes / 1024, 'KiB')} / ${num(k.spool.capacityBytes / 1024, 'KiB')}`
        sinkBody.append(
          h(
            'tr',
            {},
            h('th', { text: k.id }),
            h('td', { text: word('state.', k.state) }),
            h('td', { text: num(k.acked, '') }),
            h('td', { text: num(k.lag, '') }),
            h('td', { text: num(k.errors, '') }),
            h('td', { text: spool }),
          ),
        )
      }
    }
    setText(r.mode.value, d?.source.mode ?? s.frame?.mode ?? '—')
    setText(r.fps.value, num(st.framesPerSecond, '/s', 2))
    setText(r.frames.value, num(d?.source.frames ?? st.frames, ''))
    setText(r.clients.value, String(st.clients))
    const byReason = d?.rejectedByReason ?? st.rejectedByReason
    const parts = Object.entries(byReason).map(([k, v]) =>
      t('event.with', { e: word('reason.', k), d: String(v) }),
    )
    setText(r.rejected.value, parts.length === 0 ? t('diag.none') : parts.join(', '))
    // Rejected groups per minute over the last hour: one stacked column per minute.
    clear(rate)
    const minutes = st.rejectedPerMinute
    if (minutes.length === 0) rate.append(h('p', { class: 'small', text: t('diag.none') }))
    const max = Math.max(
      1,
      ...minutes.map((m) => Object.values(m.byReason).reduce((a, b) => a + b, 0)),
    )
    const seen = new Set<string>()
    for (const m of minutes) {
      const col = h('div', { class: 'col', attrs: { title: clock(m.t) } })
      for (const [reason, n] of Object.entries(m.byReason)) {
        seen.add(reason)
        const seg = h('div', {
          class: `seg r${String(Math.max(0, REASON_CLASSES.indexOf(reason)))}`,
        })
        seg.style.height = `${String((n / max) * 100)}%`
        col.append(seg)
      }
      rate.append(col)
    }
    clear(legend)
    for (const reason of seen)
      legend.append(
        h('span', {
          class: `key r${String(Math.max(0, REASON_CLASSES.indexOf(reason)))}`,
          text: word('reason.', reason),
        }),
      )
    tick(s)
  }

  function tick(s: State): void {
    setText(
      r.last.value,
      s.lastFrameAt === null ? '—' : t('diag.ago', { t: duration(Date.now() - s.lastFrameAt) }),
    )
  }

  return { id: 'diagnostics', el, stats, tick, shown: stats }
}
