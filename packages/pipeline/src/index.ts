export { ConfigError } from './errors.js'

export { backoff } from './backoff.js'

export { decodeTic } from './operators/decode-tic.js'

export { simulatorSource } from './sources/simulator-source.js'
export type { SimulatorSourceOptions } from './sources/simulator-source.js'

export { loadConfig, parseConfig, validateConfig } from './config/load-config.js'

export type { PipelineConfig } from './config/pipeline-config.js'
export { nodesOf } from './config/pipeline-config.js'
export { DEFAULT_DATA_DIR, DEFAULT_HTTP_PORT, portSchema } from './config/schema.js'

export { BUILTIN_STAGES } from './registry.js'

export { defineStage } from './stage-definition.js'
export type { SinkDefinition } from './stage-definition.js'

export { startNode } from './run-node.js'
export { chooseNode, planNode } from './plan-node.js'

export type { RunningNode } from './run-node.js'
export { createNodeContainer } from './container.js'
export type { NodePlatform } from './container.js'
export {
  ANALYTICS_SETTINGS,
  LOGGER,
  CLOCK,
  CONFIG,
  NODE_NAME,
  DIAGNOSTICS,
  DIAGNOSTICS_SNAPSHOT,
  HISTORY_STORE,
  NATS_CONNECTION,
  SERIAL_BINDING,
  DATA_DIR,
  DASHBOARD_LISTENING,
  METRICS,
  AUTOMATION_CONTROLLER,
} from './tokens.js'
export { isolateSink } from './runtime/isolate-sink.js'

export { DiagnosticsCollector } from './runtime/diagnostics-collector.js'

export { silentLogger } from './runtime/silent-logger.js'
export { DEFAULT_CONFIG } from './default-config.js'
export { memoryLogger } from './runtime/memory-logger.js'
export type { LogRecord } from './runtime/memory-logger.js'
export { createStage } from './create-stage.js'
export { openStore, openEngine, parseStoreTarget } from './store-target.js'
export type { StoreTarget } from './store-target.js'
export { renderMetrics } from './metrics/render-metrics.js'
