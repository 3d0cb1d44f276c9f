import { clear, h, setText, show } from '../dom.js'
import { clock } from '../format.js'
import { t } from '../i18n.js'
import type { Screen } from '../state.js'

/** The part of `GET /api/automation` this screen shows (see docs/automation.md). */
interface AutomationOutput {
  readonly output: string
  readonly label: string
  readonly state: 'on' | 'off' | null
  readonly since: number | null
  readonly reason: string
  readonly shed: boolean
  readonly override: { readonly state: 'on' | 'off'; readonly until: number } | null
  readonly driver: {
    readonly failing: { readonly error: string; readonly attempts: number } | null
  }
  readonly next: { readonly t: number; readonly state: 'on' | 'off' } | null
}

interface AutomationBody {
  readonly running: boolean
  readonly stale: boolean
  readonly outputs: readonly AutomationOutput[]
}

const DURATIONS_MIN = [30, 60, 120, 240, 480]
const TOKEN_KEY = 'linky.token'
const POLL_MS = 5000

function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

/**
 * The Automation screen: each output's state, why, since when, an override in force, actuator
 * trouble, and buttons to force an output on or off for a chosen duration (POST with the
 * dashboard's bearer token, asked once and kept in this browser). Hides its tab when the node
 * runs no automation stage.
 */
export function automationScreen(): Screen {
  const list = h('div', { class: 'automation-list', attrs: { 'data-testid': 'automation-list' } })
  const note = h('p', {
    class: 'small',
    attrs: { 'data-testid': 'automation-note', role: 'status' },
  })
  const minutes = h('select', {
    attrs: { 'aria-label': t('auto.duration'), 'data-testid': 'automation-duration' },
  })
  for (const m of DURATIONS_MIN)
    minutes.append(
      h('option', {
        text: m < 60 ? `${String(m)} min` : `${String(m / 60)} h`,
        attrs: { value: String(m) },
      }),
    )
  minutes.value = '60'
  const tokenInput = h('input', {
    attrs: {
      type: 'password',
      autocomplete: 'off',
      'aria-label': t('auto.token'),
      placeholder: t('auto.token'),
      'data-testid': 'automation-token',
    },
  })
  const tokenBox = h('div', { class: 'toolbar' }, tokenInput)
  show(tokenBox, false)
  const el = h(
    'section',
    { class: 'screen automation', attrs: { 'data-screen': 'automation' } },
    h(
      'div',
      { class: 'card wide' },
      h('div', { class: 'toolbar' }, h('span', { text: t('auto.forceFor') }), minutes),
      tokenBox,
      note,
    ),
    list,
  )
  let timer: number | undefined
  let visible = false

  function describe(o: AutomationOutput): string {
    const parts = [o.reason]
    if (o.since !== null) parts.push(t('auto.since', { t: clock(o.since) }))
    return parts.join(' · ')
  }

  function render(body: AutomationBody): void {
    clear(list)
    if (body.stale) list.append(h('p', { class: 'small warn', text: t('auto.stale') }))
    for (const o of body.outputs) {
      const state = h('span', {
        class: `chip state ${o.state ?? 'unknown'}`,
        text: o.state === 'on' ? t('auto.on') : o.state === 'off' ? t('auto.off') : '—',
      })
      const extra: HTMLElement[] = []
      if (o.override !== null)
        extra.push(
          h('p', { class: 'small', text: t('auto.forced', { t: clock(o.override.until) }) }),
        )
      if (o.next !== null)
        extra.push(
          h('p', {
            class: 'small',
            attrs: { 'data-testid': 'automation-next' },
            text: t('auto.next', {
              s: t(o.next.state === 'on' ? 'auto.on' : 'auto.off'),
              t: clock(o.next.t),
            }),
          }),
        )
      if (o.shed) extra.push(h('p', { class: 'small warn', text: t('auto.shed') }))
      if (o.driver.failing !== null)
        extra.push(
          h('p', {
            class: 'small warn',
            text: t('auto.failing', { n: o.driver.failing.attempts, e: o.driver.failing.error }),
          }),
        )
      const button = (label: string, state: 'on' | 'off' | null): HTMLButtonElement => {
        const b = h('button', {
          class: 'btn',
          text: label,
          attrs: { type: 'button', 'data-action': `${o.output}:${state ?? 'auto'}` },
        })
        b.addEventListener('click', () => void override(o.output, state))
        return b
      }
      list.append(
        h(
          'div',
          { class: 'card', attrs: { 'data-output': o.output } },
          h('h2', {}, h('span', { text: o.label }), state),
          h('p', { class: 'reason', text: describe(o) }),
          ...extra,
          h(
            'div',
            { class: 'toolbar' },
            button(t('auto.forceOn'), 'on'),
            button(t('auto.forceOff'), 'off'),
            o.override === null ? null : button(t('auto.auto'), null),
          ),
        ),
      )
    }
  }

  async function refresh(): Promise<void> {
    let response: Response
    try {
      response = await fetch('/api/automation', { cache: 'no-store' })
    } catch {
      setText(note, t('auto.unreachable'))
      return
    }
    if (response.status === 404) {
      // No automation on this node: no tab either.
      const tab = document.querySelector<HTMLElement>('[data-tab="automation"]')
      if (tab !== null) show(tab, false)
      setText(note, t('auto.none'))
      clear(list)
      return
    }
    const body = (await response.json()) as AutomationBody
    setText(note, '')
    render(body)
  }

  async function override(output: string, state: 'on' | 'off' | null): Promise<void> {
    const token = tokenInput.value.trim() || storedToken()
    if (token === null || token === '') {
      show(tokenBox, true)
      setText(note, t('auto.needToken'))
      tokenInput.focus()
      return
    }
    const response = await fetch('/api/automation/override', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ output, state, minutes: Number(minutes.value) }),
    }).catch(() => null)
    if (response === null) {
      setText(note, t('auto.unreachable'))
      return
    }
    if (response.status === 401 || response.status === 405) {
      show(tokenBox, true)
      setText(note, t(response.status === 401 ? 'auto.badToken' : 'auto.readOnly'))
      return
    }
    if (!response.ok) {
      setText(
        note,
        ((await response.json().catch(() => null)) as { error?: string } | null)?.error ??
          `HTTP ${String(response.status)}`,
      )
      return
    }
    try {
      localStorage.setItem(TOKEN_KEY, token)
    } catch {
      // Private browsing: the token is asked again next time.
    }
    show(tokenBox, false)
    await refresh()
  }

  // Learn at once whether the node has automation (to hide the tab), then poll while shown.
  void refresh()
  return {
    id: 'automation',
    el,
    shown() {
      visible = true
      void refresh()
      window.clearInterval(timer)
      timer = window.setInterval(() => {
        if (visible && !el.hidden) void refresh()
        else {
          visible = false
          window.clearInterval(timer)
        }
      }, POLL_MS)
    },
  }
}
