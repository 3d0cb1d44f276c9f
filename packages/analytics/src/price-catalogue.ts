import trvEdf from './prices/trv-edf.json' with { type: 'json' }
import { PERIODS, PRICED_OPTIONS, isPricedOption } from './options.js'
import type { PricedOption } from './options.js'
import { parseLocalDate } from './paris-time.js'

/** Prices of one option in one grid. All TTC. */
export interface OptionPrices {
  /** €/kWh per price period (`PERIODS[option]`). */
  readonly energy: Readonly<Record<string, number>>
  /** Per subscribed power (kVA, as a string key): energy prices that differ from `energy`. */
  readonly energyByKVA?: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** €/month per subscribed power in kVA (string keys: "6", "9"…). */
  readonly subscription: Readonly<Record<string, number>>
  /** Why these prices are uncertain, when they are. */
  readonly uncertain?: string
  /**
   * Why the subscription is missing or uncertain (EJP: in none of the sources), when it is: the
   * reason a range that needs it is reported unpriced.
   */
  readonly subscriptionUncertain?: string
}

/** A price grid: the prices valid from a local date until the next grid of the catalogue. */
export interface PriceGrid {
  /** First local day (Europe/Paris) of validity, `YYYY-MM-DD`. */
  readonly validFrom: string
  /** Optional last day, exclusive (`YYYY-MM-DD`): after it nothing is priced until the next grid. */
  readonly validTo?: string
  readonly note?: string
  readonly options: Partial<Readonly<Record<PricedOption, OptionPrices>>>
}

/** A dated price catalogue (data): grids sorted by `validFrom`. */
export interface PriceCatalogue {
  readonly name: string
  readonly currency: 'EUR'
  readonly notes?: readonly string[]
  readonly sources: readonly string[]
  readonly grids: readonly PriceGrid[]
}

/** The prices that apply to one day, option and power. */
export interface DayPrices {
  /** €/kWh per period of the option; a period without a price is absent. */
  readonly energy: Readonly<Record<string, number>>
  /** €/month, or null when the catalogue has no subscription for that power. */
  readonly subscriptionEurPerMonth: number | null
  readonly validFrom: string
  readonly uncertain: string | null
  /** {@link OptionPrices.subscriptionUncertain}, or null. */
  readonly subscriptionUncertain: string | null
}

/** One problem of a price catalogue, with its JSON path. */
export interface CatalogueIssue {
  readonly path: string
  readonly message: string
}

/** Thrown by {@link parseCatalogue}: every problem at once, each with its path. */
export class PriceCatalogueError extends Error {
  override readonly name = 'PriceCatalogueError'
  constructor(
    readonly issues: readonly CatalogueIssue[],
    where = 'price catalogue',
  ) {
    super(
      `${where}: ${issues.length} problem(s)\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    )
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function checkPriceMap(
  value: unknown,
  path: string,
  allowed: readonly string[] | null,
  issues: CatalogueIssue[],
  max: number,
): void {
  if (!isRecord(value)) {
    issues.push({ path, message: 'expected an object' })
    return
  }
  for (const [k, v] of Object.entries(value)) {
    if (allowed !== null && !allowed.includes(k))
      issues.push({
        path: `${path}.${k}`,
        message: `unknown period (expected one of ${allowed.join(', ')})`,
      })
    if (allowed === null && !/^[1-9][0-9]?$/.test(k))
      issues.push({ path: `${path}.${k}`, message: 'expected a power in kVA (3, 6, 9…)' })
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max)
      issues.push({
        path: `${path}.${k}`,
        message: `expected a price > 0 and ≤ ${max}, got ${JSON.stringify(v)}`,
      })
  }
}

/**
 * Validates a catalogue document (shipped or from the configuration) and returns it typed.
 * Throws {@link PriceCatalogueError} listing every problem: unknown option or period, a price that
 * is not a positive number, a bad date, grids out of order. Prices are €/kWh ≤ 10 and €/month ≤ 500.
 */
export function parseCatalogue(doc: unknown, where = 'price catalogue'): PriceCatalogue {
  const issues: CatalogueIssue[] = []
  if (!isRecord(doc))
    throw new PriceCatalogueError(
      [{ path: '$', message: 'expected an object with "grids"' }],
      where,
    )
  if (doc.currency !== undefined && doc.currency !== 'EUR')
    issues.push({ path: '$.currency', message: 'only EUR is supported' })
  if (!Array.isArray(doc.grids))
    issues.push({ path: '$.grids', message: 'expected an array of grids' })
  const grids = Array.isArray(doc.grids) ? (doc.grids as unknown[]) : []
  let previous = ''
  grids.forEach((g, i) => {
    const p = `$.grids[${i}]`
    if (!isRecord(g)) {
      issues.push({ path: p, message: 'expected an object' })
      return
    }
    const from = g.validFrom
    if (typeof from !== 'string' || parseLocalDate(from) === null)
      issues.push({
        path: `${p}.validFrom`,
        message: `expected a date YYYY-MM-DD, got ${JSON.stringify(from)}`,
      })
    else {
      if (from <= previous)
        issues.push({
          path: `${p}.validFrom`,
          message: `grids must be in increasing date order (${from} after ${previous})`,
        })
      previous = from
    }
    if (
      g.validTo !== undefined &&
      (typeof g.validTo !== 'string' ||
        parseLocalDate(g.validTo) === null ||
        (typeof from === 'string' && g.validTo <= from))
    ) {
      issues.push({
        path: `${p}.validTo`,
        message: `expected a date YYYY-MM-DD after validFrom, got ${JSON.stringify(g.validTo)}`,
      })
    }
    if (!isRecord(g.options)) {
      issues.push({
        path: `${p}.options`,
        message: `expected an object with some of ${PRICED_OPTIONS.join(', ')}`,
      })
      return
    }
    for (const [option, prices] of Object.entries(g.options)) {
      const op = `${p}.options.${option}`
      if (!isPricedOption(option)) {
        issues.push({
          path: op,
          message: `unknown option (expected one of ${PRICED_OPTIONS.join(', ')})`,
        })
        continue
      }
      if (!isRecord(prices)) {
        issues.push({ path: op, message: 'expected an object with "energy" and "subscription"' })
        continue
      }
      checkPriceMap(prices.energy, `${op}.energy`, PERIODS[option], issues, 10)
      if (prices.subscription !== undefined)
        checkPriceMap(prices.subscription, `${op}.subscription`, null, issues, 500)
      if (prices.energyByKVA !== undefined) {
        if (!isRecord(prices.energyByKVA))
          issues.push({ path: `${op}.energyByKVA`, message: 'expected an object keyed by kVA' })
        else
          for (const [kva, m] of Object.entries(prices.energyByKVA))
            checkPriceMap(m, `${op}.energyByKVA.${kva}`, PERIODS[option], issues, 10)
      }
      if (prices.uncertain !== undefined && typeof prices.uncertain !== 'string')
        issues.push({ path: `${op}.uncertain`, message: 'expected a text saying why' })
      if (
        prices.subscriptionUncertain !== undefined &&
        typeof prices.subscriptionUncertain !== 'string'
      )
        issues.push({ path: `${op}.subscriptionUncertain`, message: 'expected a text saying why' })
    }
  })
  if (issues.length > 0) throw new PriceCatalogueError(issues, where)
  return {
    name: typeof doc.name === 'string' ? doc.name : 'prices',
    currency: 'EUR',
    notes: Array.isArray(doc.notes) ? doc.notes.map(String) : [],
    sources: Array.isArray(doc.sources) ? doc.sources.map(String) : [],
    grids: grids as PriceGrid[],
  }
}

/** The French regulated tariff (TRV, tarif bleu) from 2023-08-01, shipped as data with its sources. */
export const TRV_CATALOGUE: PriceCatalogue = parseCatalogue(trvEdf, 'shipped TRV catalogue')

/**
 * Combines a base catalogue with user grids. `extend` (default) adds the user's grids: a user grid
 * replaces, from its `validFrom` on, the prices of the options it names, other options keep the
 * base prices. `replace` uses only the user's catalogue (another supplier, a market offer).
 */
export function mergeCatalogues(
  base: PriceCatalogue,
  user: PriceCatalogue,
  mode: 'extend' | 'replace' = 'extend',
): PriceCatalogue {
  if (mode === 'replace') return user
  const dates = [
    ...new Set([...base.grids.map((g) => g.validFrom), ...user.grids.map((g) => g.validFrom)]),
  ].sort()
  const grids = dates.map((date): PriceGrid => {
    const options: Partial<Record<PricedOption, OptionPrices>> = {}
    for (const option of PRICED_OPTIONS) {
      const u = activeGrid(user, date, option)
      const b = activeGrid(base, date, option)
      const pick = u !== null && (b === null || u.validFrom >= b.validFrom) ? u : b
      const prices = pick?.options[option]
      if (prices !== undefined) options[option] = prices
    }
    return { validFrom: date, options }
  })
  return {
    name: `${user.name} + ${base.name}`,
    currency: 'EUR',
    notes: [...(base.notes ?? []), ...(user.notes ?? [])],
    sources: [...base.sources, ...user.sources],
    grids,
  }
}

function activeGrid(
  catalogue: PriceCatalogue,
  day: string,
  option: PricedOption,
): PriceGrid | null {
  let found: PriceGrid | null = null
  for (const g of catalogue.grids) {
    if (g.validFrom > day) break
    found = g
  }
  if (found === null || (found.validTo !== undefined && day >= found.validTo)) return null
  return found.options[option] === undefined ? null : found
}

// The prices of a grid per option and kVA, built once: a year's report asks for them about
// 2,000 times (every day, for each option), and they are the same for every day of the grid.
const gridPrices = new WeakMap<PriceGrid, Map<string, DayPrices>>()

/**
 * The prices valid on local day `day` (`YYYY-MM-DD`) for an option and subscribed power (kVA);
 * null when no grid prices that option that day. The days of one grid share one (frozen) object.
 */
export function pricesOn(
  catalogue: PriceCatalogue,
  day: string,
  option: PricedOption,
  kva: number | null,
): DayPrices | null {
  const grid = activeGrid(catalogue, day, option)
  const prices = grid?.options[option]
  if (grid === null || prices === undefined) return null
  const key = kva === null ? '' : String(kva)
  let known = gridPrices.get(grid)
  if (known === undefined) {
    known = new Map()
    gridPrices.set(grid, known)
  }
  const memo = `${option}|${key}`
  let out = known.get(memo)
  if (out === undefined) {
    out = Object.freeze(gridDayPrices(grid, prices, key))
    known.set(memo, out)
  }
  return out
}

/** {@link pricesOn} of one grid, option prices and kVA key (`''` for an unknown power). */
function gridDayPrices(grid: PriceGrid, prices: OptionPrices, key: string): DayPrices {
  const energy = { ...prices.energy, ...(prices.energyByKVA?.[key] ?? {}) }
  const sub = prices.subscription[key]
  return {
    energy: Object.freeze(energy),
    subscriptionEurPerMonth: sub ?? null,
    validFrom: grid.validFrom,
    uncertain: prices.uncertain ?? null,
    subscriptionUncertain: prices.subscriptionUncertain ?? null,
  }
}
