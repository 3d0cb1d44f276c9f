import type { StoredEvent } from '@linkyrpi/tic-core/stage'

/**
 * The tariff option in force at any time, from the store's `contract-change` events (details
 * `{ from, to }` with an `option` each): so a day's indexes are named after the contract they
 * were counted under, not today's.
 */
export function optionTimeline(
  events: readonly StoredEvent[],
  current: string | null,
): (t: number) => string | null {
  const optionOf = (v: unknown): string | null => {
    const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).option : null
    return typeof o === 'string' ? o : null
  }
  const changes = events
    .filter((e) => e.kind === 'contract-change')
    .map((e) => ({ t: e.t, from: optionOf(e.detail.from), to: optionOf(e.detail.to) }))
    .sort((a, b) => a.t - b.t)
  return (t) => {
    let option: string | null = changes[0]?.from ?? current
    for (const c of changes) if (c.t <= t) option = c.to ?? option
    return option ?? current
  }
}
