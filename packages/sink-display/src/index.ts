/**
 * `@linkyrpi/sink-display`: the touch dashboard. A pipeline sink that serves the built client,
 * pushes every frame to the pages over Server-Sent Events and answers a read-only JSON API
 * (history from a `HistoryStore`, diagnostics). See docs/dashboard.md.
 */
export { displaySink } from './display-sink.js'
export { startDisplayServer } from './display-server.js'
export type { DisplayServer } from './display-server.js'

export type { DisplaySinkOptions } from './options.js'
export { DisplayServerError } from './errors.js'

export { costsApi } from './costs-api.js'
export type { CostsLive, CostsPeriod, CostsSummary } from './costs-api.js'
export { localStart } from './local-time.js'
export { CONTENT_SECURITY_POLICY } from './security-headers.js'
export type {
  WaitingFor,
  HelloEvent,
  TariffSnapshot,
  EnergyStats,
  StatsSnapshot,
} from './protocol.js'
