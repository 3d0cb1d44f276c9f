import type { TicReading } from '@linkyrpi/tic-core'
import type { AutomationOptions } from './automation-schema.js'
import { createAutomationEngine } from './engine.js'
import type { EngineSummary, Switch } from './engine.js'

/** A reading with the time it was received (epoch ms). */
export interface ReceivedReading {
  readonly reading: TicReading
  readonly receivedAt: number
}

/** Options of {@link replayRules}. */
export interface ReplayRulesOptions {
  /** Ignore readings received before this instant (epoch ms). */
  readonly from?: number | undefined
  /** Stop at the first reading received at or after this instant (epoch ms). */
  readonly to?: number | undefined
  /** Called with each switch, in order. */
  readonly onSwitch: (s: Switch) => void
  /** Called after each reading's switches with the reading and its decision time (epoch ms). */
  readonly onReading?: ((reading: TicReading, t: number) => void) | undefined
}

/** What a replay found. */
export interface ReplayResult extends EngineSummary {
  readonly readings: number
  /** First and last decision times, epoch ms (null without readings). */
  readonly first: number | null
  readonly last: number | null
}

/**
 * Runs the rules over recorded readings without any actuator: what the automation stage would
 * have decided. A silence longer than `staleAfterS` between two readings counts as stale data
 * from `staleAfterS` after the last reading (outputs go to their safe state), exactly as the
 * running stage's clock tick would see it.
 */
export async function replayRules(
  rules: AutomationOptions,
  readings: Iterable<ReceivedReading> | AsyncIterable<ReceivedReading>,
  options: ReplayRulesOptions,
): Promise<ReplayResult> {
  const engine = createAutomationEngine(rules)
  const staleMs = rules.staleAfterS * 1000
  let previous: number | null = null
  let count = 0
  let first: number | null = null
  let last: number | null = null
  const emit = (switches: readonly Switch[]): void => {
    for (const s of switches) {
      first ??= s.t
      options.onSwitch(s)
    }
  }
  for await (const r of readings) {
    if (options.from !== undefined && r.receivedAt < options.from) continue
    if (options.to !== undefined && r.receivedAt >= options.to) break
    if (previous !== null && r.receivedAt - previous >= staleMs)
      emit(engine.tick(previous + staleMs))
    previous = r.receivedAt
    const switches = engine.update(r.reading, r.receivedAt)
    count++
    const t =
      switches[0]?.t ?? (r.reading.time === null ? r.receivedAt : Date.parse(r.reading.time))
    first ??= t
    last = t
    emit(switches)
    options.onReading?.(r.reading, t)
  }
  return { ...engine.summary(last ?? 0), readings: count, first, last }
}
