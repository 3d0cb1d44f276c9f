/**
 * DOM helpers. Every string from the meter or the config goes through `textContent`: the client
 * never parses HTML (no innerHTML anywhere; a unit test checks the sources).
 */
export interface Props {
  readonly class?: string
  readonly text?: string
  readonly attrs?: Readonly<Record<string, string>>
}

/** Creates an element with a class, a text and attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Node | null)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (props.class !== undefined) el.className = props.class
  if (props.text !== undefined) el.textContent = props.text
  if (props.attrs !== undefined)
    for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v)
  for (const c of children) if (c !== null) el.appendChild(c)
  return el
}

/** Sets a text only when it changed (no layout work on identical values). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text
}

/** Shows or hides an element. */
export function show(el: HTMLElement, visible: boolean): void {
  if (el.hidden !== !visible) el.hidden = !visible
}

/** Removes all children. */
export function clear(el: Element): void {
  while (el.firstChild !== null) el.removeChild(el.firstChild)
}

/** A labelled value row for definition lists: returns the row and the value element. */
export function row(label: string): { row: HTMLElement; value: HTMLElement; label: HTMLElement } {
  const l = h('dt', { text: label })
  const v = h('dd', { text: '—' })
  const r = h('div', { class: 'row' }, l, v)
  return { row: r, value: v, label: l }
}
