import type { DependencyContainer } from 'tsyringe'
import type { Logger } from '@linkyrpi/tic-core/stage'
import type { PipelineConfig } from '../config/pipeline-config.js'
import type { NodePlan } from '../plan-node.js'
import { NATS_CONNECTION } from '../tokens.js'
import type { DiagnosticsCollector } from './diagnostics-collector.js'
import type { NodeNats } from './node-scope.js'

/**
 * Connects a node to NATS when its plan crosses NATS and `nats` is configured: loads the bridge
 * lazily (only such nodes import it, house-style §2.7), registers the connection in the container,
 * publishes every stage state event on `linky.<site>.<stage>.events`, and makes sure the JetStream
 * stream exists when an edge is durable. Undefined otherwise.
 */
export async function connectNodeNats(
  config: PipelineConfig,
  plan: NodePlan,
  di: DependencyContainer,
  logger: Logger,
  diagnostics: DiagnosticsCollector,
  now: () => number,
): Promise<NodeNats | undefined> {
  if (!plan.crossesNats || config.nats === undefined) return undefined
  const bridge = await import('../bridge/nats/index.js')
  const nc = await bridge.connectNats(
    config.nats,
    `linkyrpi-${config.site}-${plan.node}`,
    logger.child('nats'),
  )
  di.register(NATS_CONNECTION, { useValue: nc })
  const streamName = config.nats.stream.name ?? bridge.defaultStreamName(config.site)
  const encoder = new TextEncoder()
  const { site } = config
  const { node } = plan
  diagnostics.onState((event) => {
    if (!nc.isClosed())
      nc.publish(
        bridge.eventsSubject(site, event.stage),
        encoder.encode(JSON.stringify({ ...event, node, at: now() })),
      )
  })
  if (plan.needsStream) await bridge.ensureStream(nc, config.site, streamName, config.nats.stream)
  return { nc, bridge, streamName }
}
