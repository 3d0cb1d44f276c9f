import type { CostsSummary } from '../costs-api.js'
import { h, setText, show } from './dom.js'
import { num } from './format.js'
import { t } from './i18n.js'
import type { State } from './state.js'

/** How often the Live screen asks `/api/costs` again while shown, ms (the figure moves slowly). */
export const COST_REFRESH_MS = 5 * 60_000
/** After a failed request, how soon it is tried again, ms. */
const RETRY_MS = 30_000

/** The Live screen's cost slot: its element and what the screen calls it with. */
export interface LiveCost {
  readonly el: HTMLElement
  /** Asks `/api/costs` when due: first call, another meter or period, or {@link COST_REFRESH_MS} elapsed. */
  refresh(state: State): void
}

/**
 * The Live screen's cost slot (`data-slot="cost"`): today's cost so far (energy and subscription,
 * the Costs screen's "today" figure) and the price per kWh counting now, from `GET /api/costs` —
 * fetched when the screen shows, when the period changes and every few minutes, never per frame.
 * Hidden without a store, before the first answer, and when neither figure is priced.
 */
export function liveCost(): LiveCost {
  const today = h('div', { class: 'mid', attrs: { 'data-testid': 'live-cost-today' } })
  const price = h('div', { class: 'small', attrs: { 'data-testid': 'live-cost-price' } })
  // Under today's kWh (the "Aujourd'hui" label above them covers both): one line, € then price.
  const el = h(
    'div',
    {
      class: 'stat cost',
      attrs: {
        'data-slot': 'cost',
        'data-testid': 'cost-slot',
        role: 'group',
        'aria-label': t('live.cost'),
      },
    },
    today,
    price,
  )
  el.hidden = true
  /** When the next request is due (epoch ms, page clock), and for which meter and period the last one was. */
  let dueAt = 0
  let askedFor: string | undefined
  let request = 0

  function render(s: CostsSummary | null): void {
    const eur = s === null || s.today.days === 0 ? null : s.today.eur
    const now = s?.currentPrice ?? null
    setText(today, eur === null ? '—' : num(eur, '€', 2))
    setText(price, now === null ? '' : t('live.priceNow', { p: num(now.eurPerKWh, '€/kWh', 4) }))
    show(price, now !== null)
    show(el, eur !== null || now !== null)
  }

  async function load(meter: string | null): Promise<void> {
    const mine = ++request
    try {
      const res = await fetch(
        `/api/costs${meter === null ? '' : `?meter=${encodeURIComponent(meter)}`}`,
        { headers: { accept: 'application/json' } },
      )
      if (mine !== request) return
      // 404: no meter (or not this one) in the store yet: nothing to price.
      const body = res.ok ? ((await res.json()) as CostsSummary) : null
      if (mine !== request) return
      render(body)
      if (!res.ok && res.status !== 404) dueAt = Date.now() + RETRY_MS
    } catch {
      // The server is unreachable (the stale banner says it): keep the last figures, retry soon.
      if (mine === request) dueAt = Date.now() + RETRY_MS
    }
  }

  return {
    el,
    refresh(state) {
      if (state.config?.history !== true) {
        show(el, false)
        return
      }
      const meter = state.frame?.reading.meter.id ?? null
      // A new period (HP → HC) asks at once: the price changes with it.
      const key = `${String(meter)}|${String(state.frame?.reading.period.index ?? null)}`
      const now = Date.now()
      if (key === askedFor && now < dueAt) return
      askedFor = key
      dueAt = now + COST_REFRESH_MS
      void load(meter)
    },
  }
}
