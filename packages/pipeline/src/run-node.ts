import { Subject } from 'rxjs'
import type { Observable } from 'rxjs'
import type { DependencyContainer } from 'tsyringe'
import type { DiagnosticsSnapshot, PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import type { PipelineConfig } from './config/pipeline-config.js'
import { createNodeContainer } from './container.js'
import type { NodePlatform } from './container.js'
import { chooseNode, planNode } from './plan-node.js'
import { connectNodeNats } from './runtime/connect-node-nats.js'
import { runNodeLifecycle } from './runtime/node-lifecycle.js'
import type { Disposer, NodeScope } from './runtime/node-scope.js'
import { wireDecoders } from './runtime/wire-decoders.js'
import { wirePublish, wireSinks } from './runtime/wire-sinks.js'
import { wireRemoteBytes, wireSources } from './runtime/wire-sources.js'
import { CLOCK, DIAGNOSTICS, LOGGER } from './tokens.js'

/** Options of {@link startNode}. */
export interface StartNodeOptions {
  /** The node to run (default: `main`, or the only node of the file; see {@link chooseNode}). */
  readonly node?: string
  readonly platform?: NodePlatform
}

/** A running node. */
export interface RunningNode {
  readonly node: string
  readonly container: DependencyContainer
  /**
   * Resolves when every chain has completed and every stage is disposed (after a finite source
   * ended, or after {@link RunningNode.stop}); rejects when a stage failed for good.
   */
  readonly done: Promise<void>
  /**
   * Graceful shutdown: completes every source (and NATS input) so that completion flows down,
   * sinks flush and acknowledge; after `shutdown.timeoutMs` whatever is left is cut.
   */
  stop(): void
  /** The node's diagnostics now. */
  snapshot(): DiagnosticsSnapshot
}

/**
 * Composes and starts the stages of one node from a validated configuration, following its plan
 * ({@link planNode}): sources (retried with backoff on transient errors, completed by `stop()`),
 * decoders (shared, connected once every consumer is subscribed), and sinks, each behind its own
 * isolation buffer. Edges that cross nodes become NATS bridges: a decoder with a remote consumer
 * gets a `natsSink` (JetStream when a remote consumer is durable), a sink with a remote upstream
 * reads a `natsSource` (a durable consumer `<node>-<sink>`, acknowledged when the sink
 * acknowledges), and a source read by a remote decoder publishes its bytes on `.raw` (core NATS).
 */
export async function startNode(
  config: PipelineConfig,
  options: StartNodeOptions = {},
): Promise<RunningNode> {
  const plan = planNode(config, chooseNode(config, options.node))
  const di = createNodeContainer(config, plan.node, options.platform)
  const logger = di.resolve(LOGGER)
  const now = di.resolve(CLOCK)
  const diagnostics = di.resolve(DIAGNOSTICS)
  const stop$ = new Subject<void>()
  const disposers: Disposer[] = []
  let fatal: unknown
  const nats = await connectNodeNats(config, plan, di, logger, diagnostics, now)
  const scope: NodeScope = {
    config,
    plan,
    di,
    logger,
    diagnostics,
    now,
    stop$,
    disposers,
    nats,
    ctxOf: (id: string): StageContext => ({
      stage: id,
      logger: logger.child(id),
      diagnostics,
      now,
    }),
    fatal: (error) => {
      fatal ??= error
    },
  }
  try {
    const bytes = await wireSources(scope)
    const remoteBytes = wireRemoteBytes(scope)
    const frames = await wireDecoders(
      scope,
      new Map<string, Observable<Uint8Array>>([...remoteBytes, ...bytes]),
    )
    const outputs = [
      ...(await wireSinks(scope, frames)),
      ...wirePublish(scope, frames as ReadonlyMap<string, Observable<PipelineFrame>>, bytes),
    ]
    const lifecycle = runNodeLifecycle(
      scope,
      outputs,
      () => {
        stop$.next()
        stop$.complete()
      },
      () => fatal,
    )
    // Consumers are subscribed: connect decoders, then sources (a synchronous source loses nothing).
    for (const f of frames.values()) f.connect()
    for (const b of bytes.values()) b.connect()
    logger.info('node started', {
      node: plan.node,
      stages: plan.stages.map((s) => `${s.id}:${s.type}`),
      // Each sink's bounded buffer and what happens when it is full.
      buffers: Object.fromEntries(plan.sinks.map((s) => [s.id, s.buffer])),
    })
    return {
      node: plan.node,
      container: di,
      done: lifecycle.done,
      stop: () => lifecycle.stop(),
      snapshot: () => diagnostics.snapshot(),
    }
  } catch (error) {
    for (const d of disposers.reverse()) await d.dispose().catch(() => undefined)
    if (nats !== undefined) await nats.nc.close()
    throw error
  }
}
