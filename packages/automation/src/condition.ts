import type { PeriodCode, TempoColour, TicReading } from '@linkyrpi/tic-core'
import type { ParisTime } from './local-time.js'

/** A day of the week as written in the configuration. */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat'

/** Weekdays in `Date.getDay()` order (0 = Sunday). */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

/**
 * A rule condition, validated (see docs/automation.md for the YAML forms). Leaves read the
 * mode-agnostic reading; `time`/`days` read the meter's local time (Europe/Paris).
 */
export type Condition =
  /** The reading's period code is one of `codes` (`base`, `hp`, `hc`, `hn`, `pm`). */
  | { readonly kind: 'period'; readonly codes: readonly PeriodCode[] }
  /** Today's Tempo colour (the Tempo day runs 06:00 → 06:00) is one of `colours`. */
  | { readonly kind: 'tempoToday'; readonly colours: readonly TempoColour[] }
  /** Tomorrow's announced Tempo colour is one of `colours` (unknown until the evening announcement). */
  | { readonly kind: 'tempoTomorrow'; readonly colours: readonly TempoColour[] }
  /** The EJP 30-minute notice (PEJP before the peak; STGE bits 28-29 on an EJP contract) is `value`. */
  | { readonly kind: 'ejpNotice'; readonly value: boolean }
  /** A mobile-peak notice (PEJP, STGE bits 28-29) is running: `value`. */
  | { readonly kind: 'peakNotice'; readonly value: boolean }
  /** A mobile peak is in progress (PTEC `PM..`, STGE bits 30-31): `value`. */
  | { readonly kind: 'peakActive'; readonly value: boolean }
  /** Relay `relay` (1-8) of RELAIS is closed. Relay 1 is the real dry-contact relay. */
  | { readonly kind: 'relay'; readonly relay: number }
  /** The meter's dry contact is closed (`true`) or open (`false`): STGE bit 0, else RELAIS relay 1. */
  | { readonly kind: 'dryContact'; readonly closed: boolean }
  /** Local time within [from, to) minutes (across midnight when to ≤ from), on `days` (of the start). */
  | {
      readonly kind: 'time'
      readonly from: number
      readonly to: number
      readonly days: readonly number[] | null
      readonly text: string
    }
  /** Local weekday is one of `days` (0 = Sunday). */
  | { readonly kind: 'days'; readonly days: readonly number[] }
  /** Headroom (subscribed minus apparent power, per phase on three-phase) below / at or above, VA. */
  | { readonly kind: 'headroom'; readonly below: number | null; readonly above: number | null }
  /** No frame for longer than `staleAfterS`: `value`. */
  | { readonly kind: 'stale'; readonly value: boolean }
  | { readonly kind: 'all'; readonly of: readonly Condition[] }
  | { readonly kind: 'any'; readonly of: readonly Condition[] }
  | { readonly kind: 'not'; readonly of: Condition }

/** What a condition sees. `reading` is null when the data is stale (or before the first frame). */
export interface ConditionFacts {
  readonly reading: TicReading | null
  readonly local: ParisTime
  readonly stale: boolean
  /** Smallest headroom over the phases, VA; null when unknown. */
  readonly headroomVA: number | null
}

/** A condition's value and, in French words, why (`période HC`, `Tempo demain: rouge`). */
export interface Verdict {
  readonly value: boolean
  readonly reason: string
}

const COLOUR_FR: Readonly<Record<TempoColour, string>> = {
  blue: 'bleu',
  white: 'blanc',
  red: 'rouge',
}
const DAY_FR = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi']

/** True when the condition (or one below it) is `stale`: such a rule still runs on stale data. */
export function mentionsStale(c: Condition): boolean {
  switch (c.kind) {
    case 'stale':
      return true
    case 'all':
    case 'any':
      return c.of.some(mentionsStale)
    case 'not':
      return mentionsStale(c.of)
    default:
      return false
  }
}

/** True when the condition depends on the clock (`time`, `days`): its next change can be planned. */
export function mentionsClock(c: Condition): boolean {
  switch (c.kind) {
    case 'time':
    case 'days':
      return true
    case 'all':
    case 'any':
      return c.of.some(mentionsClock)
    case 'not':
      return mentionsClock(c.of)
    default:
      return false
  }
}

/** Evaluates a condition. Facts the reading does not carry evaluate false, with the reason saying so. */
export function evaluate(c: Condition, f: ConditionFacts): Verdict {
  const r = f.reading
  switch (c.kind) {
    case 'period': {
      const code = r?.period.code ?? null
      if (code === null) return { value: false, reason: 'période inconnue' }
      return { value: c.codes.includes(code), reason: `période ${code.toUpperCase()}` }
    }
    case 'tempoToday': {
      const colour = r?.period.tempoToday ?? null
      if (colour === null) return { value: false, reason: 'couleur Tempo du jour inconnue' }
      return { value: c.colours.includes(colour), reason: `jour Tempo ${COLOUR_FR[colour]}` }
    }
    case 'tempoTomorrow': {
      const colour = r?.period.tempoTomorrow ?? null
      if (colour === null)
        return { value: false, reason: 'couleur Tempo de demain pas encore annoncée' }
      return { value: c.colours.includes(colour), reason: `demain Tempo ${COLOUR_FR[colour]}` }
    }
    case 'ejpNotice': {
      const on = r !== null && r.contract.option === 'ejp' && r.alerts.includes('peak-notice')
      return { value: on === c.value, reason: on ? 'préavis EJP' : 'pas de préavis EJP' }
    }
    case 'peakNotice': {
      const on = r?.alerts.includes('peak-notice') === true
      return {
        value: on === c.value,
        reason: on ? 'préavis de pointe mobile' : 'pas de préavis de pointe',
      }
    }
    case 'peakActive': {
      const on = r?.alerts.includes('peak-active') === true
      return {
        value: on === c.value,
        reason: on ? 'pointe mobile en cours' : 'pas de pointe mobile',
      }
    }
    case 'relay': {
      const closed = r?.relays?.[c.relay - 1]
      if (closed === undefined)
        return { value: false, reason: `relais ${String(c.relay)} inconnu (pas de RELAIS)` }
      return { value: closed, reason: `relais ${String(c.relay)} ${closed ? 'fermé' : 'ouvert'}` }
    }
    case 'dryContact': {
      const closed =
        r?.status !== null && r?.status !== undefined
          ? !r.status.dryContactOpen
          : (r?.relays?.[0] ?? null)
      if (closed === null) return { value: false, reason: 'contact sec inconnu' }
      return { value: closed === c.closed, reason: `contact sec ${closed ? 'fermé' : 'ouvert'}` }
    }
    case 'time': {
      const m = f.local.minute
      const inside = c.from < c.to ? m >= c.from && m < c.to : m >= c.from || m < c.to
      // A window across midnight belongs to the day it starts.
      const day = c.from >= c.to && m < c.to ? (f.local.weekday + 6) % 7 : f.local.weekday
      const onDay = c.days === null || c.days.includes(day)
      const value = inside && onDay
      return { value, reason: value ? `plage ${c.text}` : `hors plage ${c.text}` }
    }
    case 'days': {
      const value = c.days.includes(f.local.weekday)
      return { value, reason: DAY_FR[f.local.weekday] ?? '' }
    }
    case 'headroom': {
      const h = f.headroomVA
      if (h === null) return { value: false, reason: 'marge de puissance inconnue' }
      const value = (c.below === null || h < c.below) && (c.above === null || h >= c.above)
      return { value, reason: `marge ${String(Math.round(h))} VA` }
    }
    case 'stale':
      return { value: f.stale === c.value, reason: f.stale ? 'plus de données' : 'données à jour' }
    case 'all': {
      const verdicts = c.of.map((x) => evaluate(x, f))
      const failed = verdicts.find((v) => !v.value)
      return failed !== undefined
        ? { value: false, reason: failed.reason }
        : { value: true, reason: verdicts.map((v) => v.reason).join(' et ') }
    }
    case 'any': {
      const verdicts = c.of.map((x) => evaluate(x, f))
      const passed = verdicts.find((v) => v.value)
      return passed !== undefined
        ? { value: true, reason: passed.reason }
        : { value: false, reason: verdicts.map((v) => v.reason).join(' et ') }
    }
    case 'not': {
      const v = evaluate(c.of, f)
      return { value: !v.value, reason: v.reason }
    }
  }
}
