import { createMeterSimulator, simulatedFrames } from '@linkyrpi/simulator'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicReading } from '@linkyrpi/tic-core'
import { automationOptionsSchema } from './automation-schema.js'
import type { AutomationOptions } from './automation-schema.js'
import { createAutomationEngine } from './engine.js'
import type { AutomationEngine, Switch } from './engine.js'

/** A decoded reading of the simulator with the instant its frame started. */
export interface TimedReading {
  readonly reading: TicReading
  readonly at: number
}

/** Decoded readings of a simulated meter from its start until `until` (epoch ms). */
export function* simulatedReadings(
  options: MeterSimulatorOptions,
  until: number,
): Generator<TimedReading> {
  const sim = createMeterSimulator(options)
  const decoder = createTicDecoder({ reading: true })
  const out: TimedReading[] = []
  for (const frame of simulatedFrames(sim, { durationMs: until - sim.now })) {
    decoder.write(frame.bytes, (e) => {
      if (e.kind === 'frame' && e.frame.reading !== undefined)
        out.push({ reading: e.frame.reading, at: frame.at })
    })
    yield* out.splice(0)
  }
}

/** Validates YAML-shaped options (the config form) with the real schema. */
export function rules(raw: unknown): AutomationOptions {
  return automationOptionsSchema.parse(raw)
}

/** Runs an engine over readings; `adjust` may change each reading first (closed-loop tests). */
export function runEngine(
  options: AutomationOptions,
  readings: Iterable<TimedReading>,
  adjust?: (r: TimedReading, engine: AutomationEngine) => TicReading,
): { switches: Switch[]; engine: AutomationEngine } {
  const engine = createAutomationEngine(options)
  const switches: Switch[] = []
  for (const r of readings)
    switches.push(...engine.update(adjust === undefined ? r.reading : adjust(r, engine), r.at))
  return { switches, engine }
}

/** `output state HH:MM` lines in Paris time, to compare switch lists at a glance. */
export function brief(switches: readonly Switch[]): string[] {
  return switches.map((s) => `${s.time.slice(5, 16).replace('T', ' ')} ${s.output} ${s.state}`)
}
