import type { CostsSummary } from '../../costs-api.js'
import { clear, h, setText } from '../dom.js'
import { num } from '../format.js'
import { lang, t } from '../i18n.js'
import type { TextKey } from '../i18n.js'
import type { Screen, State } from '../state.js'

const eur = (v: number | null | undefined): string =>
  v === null || v === undefined ? t('costs.noPrice') : num(v, '€', 2)
const price = (v: number): string => num(v, '€/kWh', 4)

function tile(
  key: TextKey,
  testid: string,
): { el: HTMLElement; value: HTMLElement; sub: HTMLElement } {
  const value = h('div', { class: 'big', attrs: { 'data-testid': `costs-${testid}` } })
  const sub = h('div', { class: 'small' })
  return {
    el: h('div', { class: 'card tile' }, h('div', { class: 'label', text: t(key) }), value, sub),
    value,
    sub,
  }
}

function table(
  testid: string,
  head: readonly string[],
): { el: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = h('tbody')
  const el = h(
    'table',
    { class: 'grid', attrs: { 'data-testid': testid } },
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { text: x })))),
    body,
  )
  return { el, body }
}

/**
 * The Costs screen: € of today, yesterday, this month and last month, this month per period, the
 * price counting now and the other period's, the contract comparison, the power advice and the
 * appliance breakdown — from `GET /api/costs` (the analytics package over the store).
 */
export function costsScreen(): Screen {
  const tiles = {
    today: tile('costs.today', 'today'),
    yesterday: tile('costs.yesterday', 'yesterday'),
    thisMonth: tile('costs.thisMonth', 'this-month'),
    lastMonth: tile('costs.lastMonth', 'last-month'),
  }
  const status = h('p', {
    class: 'small',
    attrs: { 'data-testid': 'costs-status', role: 'status' },
  })
  const now = h('div', { class: 'price-now', attrs: { 'data-testid': 'costs-price' } })
  const next = h('div', { class: 'small', attrs: { 'data-testid': 'costs-next' } })
  const periods = table('costs-periods', [t('costs.period'), 'kWh', '€/kWh', '€'])
  const comparison = table('costs-comparison', [
    t('costs.option'),
    t('costs.total'),
    t('costs.perYear'),
  ])
  const compareNote = h('div', { class: 'small' })
  const power = h('div', { attrs: { 'data-testid': 'costs-power' } })
  const appliances = table('costs-appliances', [t('costs.appliance'), t('costs.runs'), 'kWh', '€'])
  const el = h(
    'section',
    { class: 'screen costs', attrs: { 'data-screen': 'costs' } },
    status,
    h(
      'div',
      { class: 'tiles' },
      tiles.today.el,
      tiles.yesterday.el,
      tiles.thisMonth.el,
      tiles.lastMonth.el,
    ),
    h(
      'div',
      { class: 'pair' },
      h('div', { class: 'card' }, h('h2', { text: t('costs.priceNow') }), now, next),
      h('div', { class: 'card' }, h('h2', { text: t('costs.byPeriod') }), periods.el),
    ),
    h(
      'div',
      { class: 'pair' },
      h(
        'div',
        { class: 'card' },
        h('h2', { text: t('costs.comparison') }),
        comparison.el,
        compareNote,
      ),
      h('div', { class: 'card' }, h('h2', { text: t('costs.power') }), power),
    ),
    h('div', { class: 'card' }, h('h2', { text: t('costs.appliances') }), appliances.el),
  )
  let state: State | null = null
  let loaded = 0
  let request = 0

  function render(s: CostsSummary): void {
    for (const [k, tl] of Object.entries(tiles)) {
      const p = s[k as keyof typeof tiles]
      setText(tl.value, p.days === 0 ? '—' : eur(p.eur))
      setText(tl.sub, p.days === 0 ? t('costs.noData') : num(p.kwh, 'kWh', 1))
    }
    setText(
      now,
      s.currentPrice === null
        ? '—'
        : `${s.currentPrice.label} · ${price(s.currentPrice.eurPerKWh)}`,
    )
    setText(
      next,
      s.nextPrice === null
        ? ''
        : t('costs.next', { label: s.nextPrice.label, price: price(s.nextPrice.eurPerKWh) }),
    )
    clear(periods.body)
    for (const p of s.byPeriod)
      periods.body.append(
        h(
          'tr',
          {},
          h('th', { text: p.label }),
          h('td', { text: num(p.kwh, '', 1) }),
          h('td', { text: num(p.eurPerKWh, '', 4) }),
          h('td', { text: num(p.eur, '', 2) }),
        ),
      )
    clear(comparison.body)
    for (const c of [...s.comparison].sort((a, b) => (a.rank ?? 9) - (b.rank ?? 9))) {
      const name = `${t(`costs.option.${c.option}` as TextKey)}${c.current ? ` (${t('costs.current')})` : ''}`
      comparison.body.append(
        h(
          'tr',
          { class: c.current ? 'current' : '' },
          h('th', { text: name }),
          h('td', { text: eur(c.totalEur) }),
          h('td', { text: eur(c.annualEur) }),
        ),
      )
    }
    setText(
      compareNote,
      t('costs.since', {
        day: new Date(`${s.since}T12:00:00Z`).toLocaleDateString(
          lang() === 'fr' ? 'fr-FR' : 'en-GB',
          { timeZone: 'UTC' },
        ),
        kva: s.power.subscribedKVA ?? '?',
      }),
    )
    clear(power)
    const pw = s.power
    power.append(
      h('p', {
        text: t('costs.powerMax', { va: num(pw.maxVA, 'VA'), kva: pw.subscribedKVA ?? '?' }),
      }),
      h('p', { text: t('costs.powerEvents', { n: pw.overpowerEvents }) }),
      h('p', {
        class: 'advice',
        text:
          pw.recommendedKVA === null
            ? '—'
            : t('costs.powerAdvice', { kva: pw.recommendedKVA }) +
              (pw.savingEurPerYear !== null && pw.savingEurPerYear > 0
                ? ` · ${t('costs.saves', { eur: eur(pw.savingEurPerYear) })}`
                : ''),
      }),
    )
    clear(appliances.body)
    for (const a of s.appliances) {
      appliances.body.append(
        h(
          'tr',
          {},
          h('th', { text: t(`costs.kind.${a.kind}` as TextKey) }),
          h('td', { text: String(a.activations) }),
          h('td', { text: num(a.energyWh / 1000, '', 1) }),
          h('td', { text: eur(a.eur) }),
        ),
      )
    }
    el.classList.remove('empty')
    setText(status, '')
  }

  async function load(): Promise<void> {
    if (state?.config?.history !== true) {
      setText(status, t('costs.noStore'))
      return
    }
    const mine = ++request
    setText(status, t('costs.loading'))
    const live = state.frame?.reading.meter.id
    try {
      const res = await fetch(
        `/api/costs${live === undefined || live === null ? '' : `?meter=${encodeURIComponent(live)}`}`,
        { headers: { accept: 'application/json' } },
      )
      if (mine !== request) return
      if (!res.ok) {
        // 404: the store holds no reading of this meter yet (a new store commits every 10 min):
        // say so instead of showing empty cards.
        el.classList.toggle('empty', res.status === 404)
        setText(status, res.status === 404 ? t('costs.notYet') : t('costs.error'))
        return
      }
      render((await res.json()) as CostsSummary)
      loaded = Date.now()
    } catch {
      if (mine === request) setText(status, t('costs.error'))
    }
  }

  return {
    id: 'costs',
    el,
    shown(s) {
      state = s
      void load()
    },
    tick(s) {
      state = s
      // Refresh once a minute while shown.
      if (loaded !== 0 && Date.now() - loaded > 60_000) {
        loaded = Date.now()
        void load()
      }
    },
  }
}
