import type { StoredEvent } from '@linkyrpi/tic-core/stage'
import { isPricedOption } from './options.js'
import type { PricedOption } from './options.js'
import { HOUR_MS } from './paris-time.js'

/** The contract terms the analytics needs, as the meter announced them. */
export interface ContractTerms {
  /** `base`, `hc`, `tempo`, `ejp`, `other` or null (unknown). */
  readonly option: string | null
  /** OPTARIF (historique) or NGTF (standard). */
  readonly optionLabel: string | null
  /** Subscribed apparent power, VA. */
  readonly subscribedVA: number | null
}

/** A contract in force from `from` (epoch ms; -Infinity for "before anything we know"). */
export interface ContractSpan extends ContractTerms {
  readonly from: number
}

const terms = (v: unknown): ContractTerms | null => {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Record<string, unknown>
  return {
    option: typeof r.option === 'string' ? r.option : null,
    optionLabel: typeof r.optionLabel === 'string' ? r.optionLabel : null,
    subscribedVA: typeof r.subscribedVA === 'number' ? r.subscribedVA : null,
  }
}

/**
 * The contract history of a meter from its `contract-change` events (any order) and its latest
 * reading's contract: before the first change, the change's `from` terms; after each change, its
 * `to` terms; without any change, the latest contract throughout.
 */
export function contractTimeline(
  events: readonly StoredEvent[],
  latest: ContractTerms | null,
): ContractSpan[] {
  const changes = events.filter((e) => e.kind === 'contract-change').sort((a, b) => a.t - b.t)
  const spans: ContractSpan[] = []
  const first = changes[0]
  const start = first === undefined ? latest : terms(first.detail.from)
  if (start !== null) spans.push({ from: -Infinity, ...start })
  for (const c of changes) {
    const to = terms(c.detail.to)
    if (to !== null) spans.push({ from: c.t, ...to })
  }
  return spans
}

/**
 * The contract that prices a local day: the one in force at its noon (a change during the day
 * takes effect on that day when it happened before noon, else on the next day). Null when unknown.
 */
export function contractOnDay(
  spans: readonly ContractSpan[],
  dayStart: number,
): ContractSpan | null {
  const noon = dayStart + 12 * HOUR_MS
  let found: ContractSpan | null = null
  for (const s of spans) if (s.from <= noon) found = s
  return found
}

/** The contract's option if the catalogue prices it, else null. */
export function pricedOption(c: ContractTerms | null): PricedOption | null {
  return c !== null && isPricedOption(c.option) ? c.option : null
}

/** Subscribed power in whole kVA (the key of the subscription prices), or null. */
export function subscribedKVA(c: ContractTerms | null): number | null {
  return c === null || c.subscribedVA === null ? null : Math.round(c.subscribedVA / 1000)
}
