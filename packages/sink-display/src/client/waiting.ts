import type { WaitingFor } from '../protocol.js'
import { h } from './dom.js'
import { t } from './i18n.js'
import type { TextKey } from './i18n.js'

/** True for the Raspberry Pi's own UART, where a login console may still sit. */
function isUart(path: string): boolean {
  return /^\/dev\/(serial\d|ttyAMA\d|ttyS\d)$/.test(path)
}

/**
 * What the page shows before the first frame: what it waits for and, for a serial port, the
 * likely causes when nothing comes (no signal, wrong port, the serial console on the UART).
 */
export function waitingContent(w: WaitingFor | undefined): Node[] {
  if (w === undefined || w.kind === 'other') return [document.createTextNode(t('stale.never'))]
  const title = h('div', {
    class: 'waiting-title',
    text: t(`wait.${w.kind}` as TextKey, { path: w.path ?? '' }),
  })
  if (w.kind !== 'serial') return [title]
  const causes: TextKey[] = ['wait.cause.signal', 'wait.cause.port']
  if (w.path !== undefined && isUart(w.path)) causes.push('wait.cause.console')
  return [
    title,
    h('div', { class: 'waiting-causes', text: t('wait.causes') }),
    h('ul', { class: 'waiting-causes' }, ...causes.map((c) => h('li', { text: t(c) }))),
  ]
}
