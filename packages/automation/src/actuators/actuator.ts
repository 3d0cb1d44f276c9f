import type { OutputState } from '../automation-schema.js'

/** What an actuator is told besides the state: for templates, payloads and the environment. */
export interface SwitchContext {
  readonly output: string
  readonly reason: string
  /** Decision time, epoch ms. */
  readonly t: number
}

/**
 * Drives one load. `set` resolves once the device (or broker, or server) accepted the state and
 * rejects with an Error otherwise; the caller retries with backoff. `close` releases connections
 * and processes; it never rejects.
 */
export interface Actuator {
  set(state: OutputState, context: SwitchContext): Promise<void>
  close(): Promise<void>
}

/** Replaces `{{state}}`, `{{output}}`, `{{reason}}`, `{{t}}` in a string. */
export function renderTemplate(text: string, state: OutputState, c: SwitchContext): string {
  return text.replace(/\{\{\s*(state|output|reason|t)\s*\}\}/g, (_, key: string) =>
    key === 'state'
      ? state
      : key === 'output'
        ? c.output
        : key === 'reason'
          ? c.reason
          : String(c.t),
  )
}

/** {@link renderTemplate} over every string of a JSON value. */
export function renderJson(value: unknown, state: OutputState, c: SwitchContext): unknown {
  if (typeof value === 'string') return renderTemplate(value, state, c)
  if (Array.isArray(value)) return value.map((v) => renderJson(v, state, c))
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, state, c)]))
  return value
}
