import { logSink } from './stages/log-sink.js'
import { ticDecodeStage } from './stages/tic-decode-stage.js'
import { simulatorSource } from './stages/simulator-source.js'
import { sqliteStage } from './stages/sqlite-stage.js'
import { postgresStage } from './stages/postgres-stage.js'
import { replayStage } from './stages/replay-stage.js'
import { displayStage } from './stages/display-stage.js'
import { serialStage } from './stages/serial-stage.js'
import { mqttStage } from './stages/mqtt-stage.js'
import { metricsStage } from './stages/metrics-stage.js'
import { automationStage } from './stages/automation-stage.js'
import type { StageDefinition } from './stage-definition.js'

/**
 * Every built-in stage type, by its config `type`. The one composition root that knows stage
 * packages (house-style §2.7): stage packages export plain factories and know nothing of DI or
 * configuration; each entry adapts one with its options schema. A type whose package is not in
 * the workspace yet is simply absent.
 *
 * Types that are not built in are loaded from a module: see {@link isModuleType}.
 */
export const BUILTIN_STAGES = {
  'tic-decode': ticDecodeStage,
  log: logSink,
  serial: serialStage,
  simulator: simulatorSource,
  replay: replayStage,
  sqlite: sqliteStage,
  postgres: postgresStage,
  display: displayStage,
  mqtt: mqttStage,
  metrics: metricsStage,
  automation: automationStage,
} satisfies Record<string, StageDefinition>

/** A built-in stage type name. */
export type BuiltinStageType = keyof typeof BUILTIN_STAGES

/** A lookup of stage types (the built-ins by default; tests may add their own). */
export type StageRegistry = Readonly<Record<string, StageDefinition>>

/**
 * True when a `type` names a module rather than a built-in: a path (`./csv-sink.mjs`,
 * `../x.js`, `/opt/x.js`, resolved against the config file's directory) or `module:<specifier>`
 * (an npm package or a path).
 */
export function isModuleType(type: string): boolean {
  return (
    type.startsWith('./') ||
    type.startsWith('../') ||
    type.startsWith('/') ||
    type.startsWith('module:')
  )
}
