// tsyringe needs the Reflect metadata polyfill loaded before it (it throws otherwise).
import 'reflect-metadata'
import { resolve } from 'node:path'
import { container as rootContainer } from 'tsyringe'
import { parseAnalyticsConfig } from '@linkyrpi/analytics'
import type { DependencyContainer } from 'tsyringe'
import type { Logger } from '@linkyrpi/tic-core/stage'
import type { PipelineConfig } from './config/pipeline-config.js'
import { DiagnosticsCollector } from './runtime/diagnostics-collector.js'
import { silentLogger } from './runtime/silent-logger.js'
import { renderMetrics } from './metrics/render-metrics.js'
import {
  ANALYTICS_SETTINGS,
  CLOCK,
  CONFIG,
  DATA_DIR,
  DIAGNOSTICS,
  DIAGNOSTICS_SNAPSHOT,
  LOGGER,
  METRICS,
  NODE_NAME,
} from './tokens.js'

/** What the app (or a test) provides to a node besides the configuration. */
export interface NodePlatform {
  readonly logger?: Logger
  readonly now?: () => number
  /** Extra registrations (the serial binding, fakes), applied last. */
  readonly register?: (container: DependencyContainer) => void
}

/**
 * Builds the child container of one node, without decorators: every registration is a
 * `useValue` or `useFactory` under a symbol token (house-style §2.7), so resolution never depends
 * on emitted decorator metadata. Registers CONFIG, ANALYTICS_SETTINGS (from the validated
 * `analytics` section), NODE_NAME, LOGGER, CLOCK, DATA_DIR, DIAGNOSTICS and DIAGNOSTICS_SNAPSHOT,
 * then the platform's own registrations.
 */
export function createNodeContainer(
  config: PipelineConfig,
  node: string,
  platform: NodePlatform = {},
  parent: DependencyContainer = rootContainer,
): DependencyContainer {
  const c = parent.createChildContainer()
  const now = platform.now ?? Date.now
  const diagnostics = new DiagnosticsCollector(now)
  c.register(CONFIG, { useValue: config })
  c.register(ANALYTICS_SETTINGS, {
    useValue: parseAnalyticsConfig({ analytics: config.analytics }),
  })
  c.register(NODE_NAME, { useValue: node })
  c.register(LOGGER, { useValue: platform.logger ?? silentLogger })
  c.register(CLOCK, { useValue: now })
  c.register(DATA_DIR, { useValue: resolve(config.dataDir) })
  c.register(DIAGNOSTICS, { useValue: diagnostics })
  c.register(DIAGNOSTICS_SNAPSHOT, { useFactory: (d) => () => d.resolve(DIAGNOSTICS).snapshot() })
  c.register(METRICS, { useFactory: (d) => () => renderMetrics(d.resolve(DIAGNOSTICS)) })
  platform.register?.(c)
  return c
}
