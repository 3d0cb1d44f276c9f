import type { InjectionToken } from 'tsyringe'
import type { NatsConnection } from '@nats-io/transport-node'
import type { AnalyticsSettings } from '@linkyrpi/analytics'
import type { AutomationController, EventJournal } from '@linkyrpi/automation'
import type { DiagnosticsSnapshot, HistoryStore, Logger } from '@linkyrpi/tic-core/stage'
import type { PipelineConfig } from './config/pipeline-config.js'
import type { DiagnosticsCollector } from './runtime/diagnostics-collector.js'

/** The node's root logger (stages get `logger.child(<stage id>)` in their context). */
export const LOGGER: InjectionToken<Logger> = Symbol.for('linkyrpi.Logger')
/** Clock, epoch ms (`Date.now` in production, a fake in tests). */
export const CLOCK: InjectionToken<() => number> = Symbol.for('linkyrpi.Clock')
/** The validated configuration. */
export const CONFIG: InjectionToken<PipelineConfig> = Symbol.for('linkyrpi.Config')
/**
 * The configuration's `analytics` section, read by `@linkyrpi/analytics` (the shipped regulated
 * prices when the file has none): the prices, schedules and factors of the dashboard's costs and
 * the MQTT price entities. Always registered by {@link createNodeContainer}.
 */
export const ANALYTICS_SETTINGS: InjectionToken<AnalyticsSettings> = Symbol.for(
  'linkyrpi.AnalyticsSettings',
)
/** Name of the node this container runs. */
export const NODE_NAME: InjectionToken<string> = Symbol.for('linkyrpi.NodeName')
/** The node's diagnostics counters. */
export const DIAGNOSTICS: InjectionToken<DiagnosticsCollector> = Symbol.for('linkyrpi.Diagnostics')
/** A function returning a fresh {@link DiagnosticsSnapshot} (what the dashboard polls). */
export const DIAGNOSTICS_SNAPSHOT: InjectionToken<() => DiagnosticsSnapshot> = Symbol.for(
  'linkyrpi.DiagnosticsSnapshot',
)
/**
 * The history of the node's store sink, when it has one (registered once that sink is created;
 * stores are created before the other sinks).
 */
export const HISTORY_STORE: InjectionToken<HistoryStore> = Symbol.for('linkyrpi.HistoryStore')
/** The node's NATS connection (registered only when the node has cross-node edges). */
export const NATS_CONNECTION: InjectionToken<NatsConnection> = Symbol.for('linkyrpi.NatsConnection')
/**
 * The serial port binding (`@serialport/bindings-interface` BindingInterface): the app registers
 * the OS binding from `@serialport/bindings-cpp`, tests register MockBinding. Typed loosely here
 * so that the pipeline never loads native code.
 */
export const SERIAL_BINDING: InjectionToken<unknown> = Symbol.for('linkyrpi.SerialBinding')
/** Directory for embedded data (absolute), from `dataDir`. */
export const DATA_DIR: InjectionToken<string> = Symbol.for('linkyrpi.DataDir')
/** Optional: called with the dashboard's URL once it listens (the app prints it). */
export const DASHBOARD_LISTENING: InjectionToken<(url: string) => void> = Symbol.for(
  'linkyrpi.DashboardListening',
)
/** The node's Prometheus exposition (text format 0.0.4), computed at each call. */
export const METRICS: InjectionToken<() => string> = Symbol.for('linkyrpi.Metrics')
/** Where events are journaled (registered by the node's store stage: SQLite or PostgreSQL). */
export const EVENT_JOURNAL: InjectionToken<EventJournal> = Symbol.for('linkyrpi.EventJournal')
/** The running automation stage's controller (status, overrides), for the dashboard. */
export const AUTOMATION_CONTROLLER: InjectionToken<AutomationController> = Symbol.for(
  'linkyrpi.AutomationController',
)
