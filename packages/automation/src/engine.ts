import type { TicReading } from '@linkyrpi/tic-core'
import type { OutputState, SheddingOptions } from './automation-schema.js'
import { evaluate, mentionsClock, mentionsStale } from './condition.js'
import type { Condition, Verdict } from './condition.js'
import { headroomOf } from './headroom.js'
import type { Headroom } from './headroom.js'
import { parisClock, parisIso, parisTime } from './local-time.js'

/** What the engine needs to know of one output (the actuator is not its business). */
export interface OutputRule {
  readonly safe: OutputState
  readonly when?: Condition | undefined
  readonly shed?: { readonly priority: number; readonly powerW: number } | undefined
}

/** Rules of an engine: outputs in declaration order, shedding settings, stale delay. */
export interface EngineRules {
  readonly outputs: Readonly<Record<string, OutputRule>>
  readonly shedding: SheddingOptions
  /** No frame for this long = stale, s. */
  readonly staleAfterS: number
}

/** Why an output switched. */
export type SwitchCause = 'rule' | 'shed' | 'restore' | 'safe' | 'override'

/** One decided switch. */
export interface Switch {
  /** Decision time, epoch ms (the meter clock when the frame has one). */
  readonly t: number
  /** `t` as ISO 8601 with the Paris offset. */
  readonly time: string
  readonly output: string
  readonly state: OutputState
  /** Why, in French words (`période HC`, `délestage: 5830 VA pour 6000 VA souscrits`). */
  readonly reason: string
  readonly cause: SwitchCause
}

/** A manual override in force. */
export interface Override {
  readonly state: OutputState
  /** Expiry, epoch ms (decision clock). */
  readonly until: number
}

/** One output as the status API and the dashboard show it. */
export interface OutputStatus {
  readonly output: string
  /** Null before the first decision. */
  readonly state: OutputState | null
  /** Time of the last switch, epoch ms. */
  readonly since: number | null
  readonly reason: string
  readonly cause: SwitchCause | null
  /** True while shed (off for headroom, waiting to be restored). */
  readonly shed: boolean
  readonly override: Override | null
  /** What the rule alone says now (null before the first reading). */
  readonly rule: Verdict | null
  /**
   * The next planned change within 24 h: an override expiring, or a clock condition (`time`,
   * `days`) of the rule turning, the meter's other facts assumed unchanged. Tariff periods and
   * Tempo colours come from the meter and are not predicted: null then.
   */
  readonly next: { readonly t: number; readonly state: OutputState } | null
}

/** Counters since the engine started, for `automation simulate`'s summary. */
export interface EngineSummary {
  readonly outputs: Readonly<
    Record<string, { readonly switches: number; readonly onMs: number; readonly sheds: number }>
  >
  /** Shedding episodes that ended without the meter ever signalling an overpower. */
  readonly overpowersAvoided: number
  /** Shedding episodes during which the meter signalled an overpower (ADPS/ADIR/STGE/short frames). */
  readonly overpowersSignalled: number
  /** Time with stale data, ms. */
  readonly staleMs: number
}

/** The pure decision engine: readings and clock ticks in, switches out. No I/O, no timers. */
export interface AutomationEngine {
  /** Decides after a reading received at `receivedAt` (epoch ms, the receive clock). */
  update(reading: TicReading, receivedAt: number): Switch[]
  /** Clock tick on the receive clock: stale detection, overrides expiring, time windows on stale data. */
  tick(now: number): Switch[]
  /** Every output to its safe state (start before any data, shutdown). */
  safeAll(now: number, reason: string): Switch[]
  /** Forces an output until `until` (decision clock), or clears the override with `null`. */
  override(output: string, override: Override | null, now: number): Switch[]
  status(): OutputStatus[]
  /** Counters up to `now` (decision clock). */
  summary(now: number): EngineSummary
  /** True while the data is stale. */
  readonly stale: boolean
  /** The last reading (null before the first one). */
  readonly lastReading: TicReading | null
}

interface OutputState_ {
  readonly id: string
  readonly rule: OutputRule
  readonly staleRule: boolean
  state: OutputState | null
  since: number | null
  reason: string
  cause: SwitchCause | null
  shedSince: number | null
  onSince: number | null
  override: Override | null
  verdict: Verdict | null
  switches: number
  onMs: number
  sheds: number
}

const OVERRIDE_REASON = (o: Override): string => `forçage manuel jusqu'à ${parisClock(o.until)}`

/** Creates an engine. Outputs keep their declaration order (ties in priority shed in that order). */
export function createAutomationEngine(rules: EngineRules): AutomationEngine {
  const s = rules.shedding
  const settleMs = s.settleS * 1000
  const staleMs = rules.staleAfterS * 1000
  const outputs: OutputState_[] = Object.entries(rules.outputs).map(([id, rule]) => ({
    id,
    rule,
    staleRule: rule.when !== undefined && mentionsStale(rule.when),
    state: null,
    since: null,
    reason: '',
    cause: null,
    shedSince: null,
    onSince: null,
    override: null,
    verdict: null,
    switches: 0,
    onMs: 0,
    sheds: 0,
  }))
  const byId = new Map(outputs.map((o) => [o.id, o]))
  let lastReceivedAt: number | null = null
  let clockOffset = 0
  let lastReading: TicReading | null = null
  let lastT: number | null = null
  let stale = false
  let staleSince: number | null = null
  let staleTotal = 0
  let lastShedAt = -Infinity
  let lastRestoreAt = -Infinity
  let episode: { signalled: boolean } | null = null
  let avoided = 0
  let signalled = 0

  function apply(
    o: OutputState_,
    t: number,
    state: OutputState,
    reason: string,
    cause: SwitchCause,
    out: Switch[],
  ): void {
    if (o.state === state) {
      // Same state: a new reason only matters for the status (no switch, no journal entry).
      if (o.cause !== 'override' || cause === 'override') {
        o.reason = reason
        o.cause = cause
      }
      return
    }
    if (o.state === 'on' && o.since !== null) o.onMs += t - o.since
    o.state = state
    o.since = t
    o.reason = reason
    o.cause = cause
    o.switches++
    if (state === 'on') o.onSince = t
    out.push({ t, time: parisIso(t), output: o.id, state, reason, cause })
  }

  function expireOverrides(t: number): void {
    for (const o of outputs) if (o.override !== null && t >= o.override.until) o.override = null
  }

  function overpowerSource(r: TicReading): string | null {
    if (r.short) return 'trames courtes'
    if (r.current.overrunA !== null) return r.meter.phases === 3 ? 'ADIR' : 'ADPS'
    if (r.status?.overpower === true) return 'STGE'
    return r.alerts.includes('overpower') ? 'compteur' : null
  }

  function shedReason(h: Headroom | null, source: string | null): string {
    if (h !== null && h.headroomVA < s.marginVA) {
      const phase = h.phase === null ? '' : ` sur la phase ${String(h.phase)}`
      return `délestage: ${String(Math.round(h.loadVA))} VA pour ${String(Math.round(h.subscribedVA))} VA souscrits${phase}`
    }
    return `délestage: dépassement signalé par le compteur (${source ?? 'compteur'})`
  }

  function decideFresh(r: TicReading, t: number, out: Switch[]): void {
    const h = headroomOf(r)
    const facts = {
      reading: r,
      local: parisTime(t),
      stale: false,
      headroomVA: h?.headroomVA ?? null,
    }
    for (const o of outputs)
      o.verdict =
        o.rule.when === undefined
          ? { value: true, reason: 'toujours' }
          : evaluate(o.rule.when, facts)
    const source = overpowerSource(r)
    const overpower = source !== null
    // Switches of the last `settleS` are not visible in the reading yet.
    let pendingOn = 0
    let relief = 0
    for (const o of outputs) {
      if (o.rule.shed === undefined || o.since === null || t - o.since >= settleMs) continue
      if (o.state === 'on') pendingOn += o.rule.shed.powerW
      else if (o.shedSince === o.since) relief += o.rule.shed.powerW
    }
    let eff = h === null ? null : h.headroomVA - pendingOn + relief
    const short = eff !== null && eff < s.marginVA
    const need = overpower || short
    // An episode: from the first shed (or meter overpower signal) until headroom is back.
    if (need && (overpower || episode !== null)) {
      episode ??= { signalled: false }
      if (overpower) episode.signalled = true
    }
    if (short || (overpower && relief === 0)) {
      let deficit = eff !== null && eff < s.marginVA ? s.marginVA - eff : 1
      const urgent = overpower || (h !== null && h.headroomVA < 0)
      const candidates = outputs
        .filter(
          (o) =>
            o.rule.shed !== undefined &&
            o.state === 'on' &&
            o.override === null &&
            o.shedSince === null,
        )
        .sort((a, b) => a.rule.shed!.priority - b.rule.shed!.priority)
      for (const o of candidates) {
        if (deficit <= 0) break
        if (!urgent && o.onSince !== null && t - o.onSince < s.minOnS * 1000) continue
        o.shedSince = t
        o.sheds++
        lastShedAt = t
        episode ??= { signalled: false }
        deficit -= o.rule.shed!.powerW
        if (eff !== null) eff += o.rule.shed!.powerW
        apply(o, t, 'off', shedReason(h, source), 'shed', out)
      }
    } else if (!need) {
      if (episode !== null) {
        if (episode.signalled) signalled++
        else avoided++
        episode = null
      }
      // Restore one load at a time, highest priority first, once the last switch has settled.
      if (t - Math.max(lastShedAt, lastRestoreAt) >= settleMs) {
        const shed = outputs
          .filter((o) => o.shedSince !== null && o.override === null)
          .sort((a, b) => b.rule.shed!.priority - a.rule.shed!.priority)
        for (const o of shed) {
          if (o.verdict?.value !== true) continue
          const power = o.rule.shed!.powerW
          if (t - o.shedSince! < s.minOffS * 1000) continue
          if (eff !== null && eff < power + s.restoreMarginVA) break
          o.shedSince = null
          lastRestoreAt = t
          if (eff !== null) eff -= power
          apply(
            o,
            t,
            'on',
            `fin de délestage: marge ${String(Math.round(h?.headroomVA ?? 0))} VA, ${o.verdict.reason}`,
            'restore',
            out,
          )
          break
        }
      }
    }
    for (const o of outputs) {
      const v = o.verdict!
      if (o.override !== null) {
        apply(o, t, o.override.state, OVERRIDE_REASON(o.override), 'override', out)
        continue
      }
      // The rule says off: the load is off whatever shedding thought of it.
      if (!v.value) o.shedSince = null
      if (o.shedSince !== null) continue
      if (
        v.value &&
        o.state !== 'on' &&
        o.rule.shed !== undefined &&
        eff !== null &&
        eff < o.rule.shed.powerW + s.marginVA
      ) {
        // Starting it now would cut into the margin: it starts shed, and is restored when there is room.
        o.shedSince = t
        o.sheds++
        lastShedAt = t
        apply(
          o,
          t,
          'off',
          `délestage préventif: marge ${String(Math.round(eff))} VA pour ${String(o.rule.shed.powerW)} W`,
          'shed',
          out,
        )
        continue
      }
      if (v.value && o.state !== 'on' && o.rule.shed !== undefined && eff !== null)
        eff -= o.rule.shed.powerW
      apply(o, t, v.value ? 'on' : 'off', v.reason, 'rule', out)
    }
  }

  function decideStale(t: number, out: Switch[]): void {
    const facts = { reading: null, local: parisTime(t), stale: true, headroomVA: null }
    for (const o of outputs) {
      o.shedSince = null
      if (o.override !== null)
        apply(o, t, o.override.state, OVERRIDE_REASON(o.override), 'override', out)
      else if (o.staleRule && o.rule.when !== undefined) {
        const v = evaluate(o.rule.when, facts)
        o.verdict = v
        apply(o, t, v.value ? 'on' : 'off', v.reason, 'rule', out)
      } else apply(o, t, o.rule.safe, 'sécurité: plus de données', 'safe', out)
    }
  }

  function nextChange(o: OutputState_): { t: number; state: OutputState } | null {
    if (lastT === null || o.state === null) return null
    if (o.override !== null)
      return { t: o.override.until, state: o.verdict?.value === false ? 'off' : 'on' }
    const when = o.rule.when
    if (when === undefined || stale || lastReading === null || !mentionsClock(when)) return null
    const h = headroomOf(lastReading)?.headroomVA ?? null
    const current =
      o.verdict?.value ??
      evaluate(when, { reading: lastReading, local: parisTime(lastT), stale: false, headroomVA: h })
        .value
    const minute = Math.floor(lastT / 60_000) * 60_000
    for (let k = 1; k <= 1440; k++) {
      const t = minute + k * 60_000
      const v = evaluate(when, {
        reading: lastReading,
        local: parisTime(t),
        stale: false,
        headroomVA: h,
      }).value
      if (v !== current) return { t, state: v ? 'on' : 'off' }
    }
    return null
  }

  return {
    update(reading, receivedAt) {
      const meterT = reading.time === null ? NaN : Date.parse(reading.time)
      const t = Number.isFinite(meterT) ? meterT : receivedAt
      clockOffset = t - receivedAt
      lastReceivedAt = receivedAt
      lastT = t
      lastReading = reading
      if (stale && staleSince !== null) staleTotal += t - staleSince
      stale = false
      staleSince = null
      const out: Switch[] = []
      expireOverrides(t)
      decideFresh(reading, t, out)
      return out
    },
    tick(now) {
      const out: Switch[] = []
      if (lastReceivedAt === null) return out
      const t = now + clockOffset
      lastT = t
      expireOverrides(t)
      if (now - lastReceivedAt >= staleMs) {
        if (!stale) {
          stale = true
          staleSince = t
        }
        decideStale(t, out)
      } else if (lastReading !== null) {
        // Overrides that expired, between frames: re-decide from the last reading.
        if (outputs.some((o) => o.cause === 'override' && o.override === null))
          decideFresh(lastReading, t, out)
      }
      return out
    },
    safeAll(now, reason) {
      const out: Switch[] = []
      const t = now + clockOffset
      for (const o of outputs) {
        o.override = null
        o.shedSince = null
        apply(o, t, o.rule.safe, reason, 'safe', out)
      }
      return out
    },
    override(output, override, now) {
      const o = byId.get(output)
      if (o === undefined) throw new TypeError(`unknown output '${output}'`)
      const t = now + clockOffset
      o.override = override
      const out: Switch[] = []
      if (override !== null) apply(o, t, override.state, OVERRIDE_REASON(override), 'override', out)
      else if (stale) decideStale(t, out)
      else if (lastReading === null)
        apply(o, t, o.rule.safe, 'sécurité: en attente de données', 'safe', out)
      else decideFresh(lastReading, t, out)
      return out
    },
    status() {
      return outputs.map((o) => ({
        next: nextChange(o),
        output: o.id,
        state: o.state,
        since: o.since,
        reason: o.reason,
        cause: o.cause,
        shed: o.shedSince !== null,
        override: o.override,
        rule: o.verdict,
      }))
    },
    summary(now) {
      const per: Record<string, { switches: number; onMs: number; sheds: number }> = {}
      for (const o of outputs)
        per[o.id] = {
          switches: o.switches,
          onMs: o.onMs + (o.state === 'on' && o.since !== null ? Math.max(0, now - o.since) : 0),
          sheds: o.sheds,
        }
      const open = episode === null ? 0 : 1
      return {
        outputs: per,
        overpowersAvoided: avoided + (open === 1 && episode?.signalled === false ? 1 : 0),
        overpowersSignalled: signalled + (open === 1 && episode?.signalled === true ? 1 : 0),
        staleMs: staleTotal + (stale && staleSince !== null ? now - staleSince : 0),
      }
    },
    get stale() {
      return stale
    },
    get lastReading() {
      return lastReading
    },
  }
}
