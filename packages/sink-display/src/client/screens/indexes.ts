import { clear, h, setText, show } from '../dom.js'
import { localStart } from '../../local-time.js'
import { clock, contractIndexes, currentTimeZone, indexClass, indexName, kwh } from '../format.js'
import { t } from '../i18n.js'
import type { Screen, State } from '../state.js'

/** The Indexes screen: every index of the contract, today's and this month's energy per index. */
export function indexesScreen(): Screen {
  const body = h('tbody')
  const table = h(
    'table',
    { class: 'grid', attrs: { 'data-testid': 'indexes' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { text: t('index.name') }),
        h('th', { text: t('index.value') }),
        h('th', { text: t('index.today') }),
        h('th', { text: t('index.month') }),
      ),
    ),
    body,
  )
  const note = h('p', { class: 'small note', attrs: { 'data-testid': 'index-note' } })
  const distBody = h('tbody')
  const dist = h(
    'div',
    { class: 'card' },
    h('div', { class: 'label', text: t('index.distributor') }),
    h('table', { class: 'grid' }, distBody),
  )
  const el = h(
    'section',
    { class: 'screen indexes', attrs: { 'data-screen': 'indexes' } },
    h('div', { class: 'card' }, table, note),
    dist,
  )
  let shape = ''

  function render(s: State): void {
    const r = s.frame?.reading
    if (r === undefined) return
    const e = s.stats?.energy ?? null
    const same = e !== null && e.meter === r.meter.id
    // The indexes of the contract, and any other one that counted something (a former contract's).
    const contract = contractIndexes(r.contract.option)
    const keys = Object.entries(r.energy.importByIndexWh)
      .filter(
        ([k, v]) =>
          contract === null ||
          contract.includes(Number(k)) ||
          v > 0 ||
          Number(k) === r.period.index,
      )
      .map(([k]) => Number(k))
      .sort((a, b) => a - b)
    const producer = r.meter.producer && r.energy.exportWh !== null
    const newShape = `${keys.join(',')}|${String(producer)}|${String(r.contract.option)}`
    if (newShape !== shape) {
      shape = newShape
      clear(body)
      for (const k of keys) {
        const name = h(
          'th',
          {},
          h('span', { class: `swatch ${indexClass(r.contract.option, k)}` }),
          document.createTextNode(indexName(r.contract.option, k)),
        )
        const tr = h('tr', { attrs: { 'data-index': String(k) } }, name, h('td'), h('td'), h('td'))
        body.append(tr)
      }
      if (
        keys.length > 1 ||
        (keys.length === 1 && r.energy.importWh !== r.energy.importByIndexWh[keys[0]!])
      ) {
        body.append(
          h(
            'tr',
            { class: 'total', attrs: { 'data-index': 'total' } },
            h('th', { text: t('index.total') }),
            h('td'),
            h('td'),
            h('td'),
          ),
        )
      }
      if (producer)
        body.append(
          h(
            'tr',
            { class: 'export', attrs: { 'data-index': 'export' } },
            h('th', { text: t('index.export') }),
            h('td'),
            h('td'),
            h('td'),
          ),
        )
    }
    for (const tr of Array.from(body.rows)) {
      const k = tr.dataset.index
      const cells = tr.cells
      let value: number | null
      let today: number | null = null
      let month: number | null = null
      if (k === 'total') {
        value = r.energy.importWh
        if (same) {
          today = Object.values(e.todayByIndexWh).reduce((a, b) => a + b, 0)
          month = Object.values(e.monthByIndexWh).reduce((a, b) => a + b, 0)
        }
      } else if (k === 'export') {
        value = r.energy.exportWh
        if (same) {
          today = e.todayExportWh
          month = e.monthExportWh
        }
      } else {
        const n = Number(k)
        value = r.energy.importByIndexWh[n] ?? null
        if (same) {
          today = e.todayByIndexWh[n] ?? null
          month = e.monthByIndexWh[n] ?? null
        }
      }
      tr.classList.toggle('current', k === String(r.period.index))
      setText(cells[1]!, kwh(value))
      setText(cells[2]!, kwh(today, 2))
      setText(cells[3]!, kwh(month, 2))
    }
    // From the store, but nothing of today stored yet (a fresh store): counted since sinceDay.
    const unstored =
      same &&
      e.source === 'history' &&
      e.sinceDay > localStart(Date.now(), currentTimeZone(), 'day')
    setText(
      note,
      same && (e.source === 'live' || unstored)
        ? t(unstored ? 'index.sinceUnstored' : 'index.since', { t: clock(e.sinceDay, true) })
        : '',
    )
    const d = r.energy.distributorByIndexWh
    show(dist, d !== null)
    if (d !== null) {
      // Distributor indexes that counted something, and the one counting now.
      const ks = Object.keys(d)
        .map(Number)
        .filter((k) => (d[k] ?? 0) > 0 || k === r.period.distributorIndex)
      if (
        distBody.rows.length !== ks.length ||
        ks.some((k, i) => distBody.rows[i]!.dataset.index !== String(k))
      ) {
        clear(distBody)
        for (const k of ks)
          distBody.append(
            h(
              'tr',
              { attrs: { 'data-index': String(k) } },
              h('th', { text: t('index.n', { n: k }) }),
              h('td'),
            ),
          )
      }
      ks.forEach((k, i) => setText(distBody.rows[i]!.cells[1]!, kwh(d[k] ?? null)))
    }
  }

  return { id: 'indexes', el, frame: render, stats: render, shown: render }
}
