import type { Observable } from 'rxjs'
import type { DependencyContainer } from 'tsyringe'
import type { Logger, StageContext } from '@linkyrpi/tic-core/stage'
import type { NatsConnection } from '@nats-io/transport-node'
import type * as NatsBridgeModule from '../bridge/nats/index.js'
import type { PipelineConfig } from '../config/pipeline-config.js'
import type { NodePlan } from '../plan-node.js'
import type { DiagnosticsCollector } from './diagnostics-collector.js'

/** The lazily imported NATS bridge module. */
export type NatsBridge = typeof NatsBridgeModule

/** A node's NATS connection, when one of its edges crosses NATS. */
export interface NodeNats {
  readonly nc: NatsConnection
  readonly bridge: NatsBridge
  /** The JetStream stream of the site. */
  readonly streamName: string
}

/** A stage's dispose hook, run in reverse creation order when the node stops. */
export interface Disposer {
  readonly id: string
  readonly dispose: () => Promise<void>
}

/** What the wiring steps of a node share. */
export interface NodeScope {
  readonly config: PipelineConfig
  readonly plan: NodePlan
  readonly di: DependencyContainer
  readonly logger: Logger
  readonly diagnostics: DiagnosticsCollector
  /** The node's clock (epoch ms). */
  readonly now: () => number
  /** Emits once when the node is asked to stop: sources and NATS inputs complete. */
  readonly stop$: Observable<void>
  /** Filled as stages are created. */
  readonly disposers: Disposer[]
  readonly nats: NodeNats | undefined
  /** The context handed to stage `id`. */
  ctxOf(id: string): StageContext
  /** Records a source that failed for good: the node completes, then `done` rejects with it. */
  fatal(error: unknown): void
}
