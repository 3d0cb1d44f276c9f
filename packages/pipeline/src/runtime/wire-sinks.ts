import { ignoreElements, takeUntil, tap } from 'rxjs'
import type { Observable } from 'rxjs'
import type { Ack, HistoryStore, PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import { bufferSchema } from '../config/schema.js'
import type { PipelineConfig } from '../config/pipeline-config.js'
import { StageFailedError } from '../errors.js'
import type { NatsInbound } from '../plan-node.js'
import type { SinkDefinition } from '../stage-definition.js'
import { HISTORY_STORE } from '../tokens.js'
import { deferredHistory } from './deferred-history.js'
import { isolateSink } from './isolate-sink.js'
import { normalizeInstance } from './normalize-instance.js'
import type { NodeScope } from './node-scope.js'

/** The frames a local sink reads from a remote decoder, and how it acknowledges them (a JetStream ack when durable). */
async function remoteFrames(
  scope: NodeScope,
  edge: Extract<NatsInbound, { kind: 'frames' }>,
): Promise<{ input: Observable<PipelineFrame>; onAck: (ack: Ack) => void }> {
  const { nats, diagnostics, now, config } = scope
  if (nats === undefined) throw new StageFailedError(edge.stage, 'NATS is not configured')
  const natsConfig = config.nats as NonNullable<PipelineConfig['nats']>
  const partitions = natsConfig.stream.partitions
  let durable:
    | {
        stream: string
        consumer: string
        batch: number
        partitions?: { count: number; leaseMs: number; releaseWaitMs: number }
      }
    | undefined
  if (edge.durable !== undefined) {
    durable = {
      stream: nats.streamName,
      consumer: edge.durable.consumer,
      batch: edge.durable.batch,
    }
    if (partitions > 1) {
      // One consumer per partition, each read by the process that leases it (meter affinity).
      durable.partitions = {
        count: partitions,
        leaseMs: natsConfig.consumer.leaseMs,
        releaseWaitMs: natsConfig.consumer.ackWaitMs,
      }
      for (let p = 0; p < partitions; p += 1)
        await nats.bridge.ensureConsumer(
          nats.nc,
          nats.streamName,
          nats.bridge.partitionConsumer(durable.consumer, p),
          nats.bridge.partitionFilter(config.site, p),
          natsConfig.consumer,
        )
    } else
      await nats.bridge.ensureConsumer(
        nats.nc,
        nats.streamName,
        durable.consumer,
        edge.subject,
        natsConfig.consumer,
      )
  }
  const remote = nats.bridge.natsSource(
    {
      connection: nats.nc,
      site: config.site,
      fromStage: edge.from,
      ...(durable !== undefined ? { durable } : {}),
    },
    scope.ctxOf(edge.stage),
  )
  const sourceId = `nats:${edge.from}`
  diagnostics.source(sourceId)
  diagnostics.report({
    kind: 'state',
    stage: sourceId,
    state: durable !== undefined ? 'consuming' : 'subscribed',
    detail: { consumer: durable?.consumer },
  })
  const input = remote.frames.pipe(
    tap((frame) => {
      diagnostics.addFrame(sourceId, now())
      diagnostics.observeReading(frame, frame.meta.receivedAt)
    }),
    takeUntil(scope.stop$),
  )
  return { input, onAck: (ack) => remote.ack(ack.seq) }
}

/**
 * Creates the node's sinks, in configuration order, each behind its own isolation buffer, over
 * local frames or frames from NATS; their outputs are the node's acknowledgements. A store may
 * offer the history the dashboard queries: the container holds a forwarder to it from the start,
 * so the order in which sinks are created does not matter.
 */
export async function wireSinks(
  scope: NodeScope,
  frames: ReadonlyMap<string, Observable<PipelineFrame>>,
): Promise<Observable<unknown>[]> {
  const { di, diagnostics, plan } = scope
  const outputs: Observable<unknown>[] = []
  let offeredHistory: HistoryStore | undefined
  if (plan.offersHistory && !di.isRegistered(HISTORY_STORE))
    di.register(HISTORY_STORE, { useValue: deferredHistory(() => offeredHistory) })
  for (const s of plan.sinks) {
    const ctx = scope.ctxOf(s.id)
    const instance = normalizeInstance<Sink>(
      await (s.definition as SinkDefinition).create(s.options, ctx, di),
    )
    if (instance.dispose !== undefined)
      scope.disposers.push({ id: s.id, dispose: instance.dispose })
    if (instance.history !== undefined) offeredHistory ??= instance.history
    const edge = plan.consume.find(
      (e): e is Extract<NatsInbound, { kind: 'frames' }> => e.kind === 'frames' && e.stage === s.id,
    )
    const { input, onAck } =
      edge === undefined
        ? {
            input: frames.get(s.from as string) as Observable<PipelineFrame>,
            onAck: () => undefined,
          }
        : await remoteFrames(scope, edge)
    const counters = diagnostics.sink(s.id)
    outputs.push(
      input.pipe(
        isolateSink(instance.stage, { id: s.id, buffer: s.buffer, logger: ctx.logger, counters }),
        tap(onAck),
      ),
    )
  }
  return outputs
}

/** The node's outbound edges: frames of a local decoder to remote sinks (a NATS sink), bytes of a local source to remote decoders. */
export function wirePublish(
  scope: NodeScope,
  frames: ReadonlyMap<string, Observable<PipelineFrame>>,
  bytes: ReadonlyMap<string, Observable<Uint8Array>>,
): Observable<unknown>[] {
  const { nats, config, diagnostics } = scope
  const outputs: Observable<unknown>[] = []
  for (const edge of scope.plan.publish) {
    if (nats === undefined) throw new StageFailedError(edge.from, 'NATS is not configured')
    if (edge.kind === 'frames') {
      const sink = nats.bridge.natsSink(
        {
          connection: nats.nc,
          site: config.site,
          fromStage: edge.from,
          durable: edge.durable,
          ...edge.publish,
          partitions: config.nats?.stream.partitions ?? 1,
        },
        scope.ctxOf(edge.stage),
      )
      const counters = diagnostics.sink(edge.stage)
      outputs.push(
        (frames.get(edge.from) as Observable<PipelineFrame>).pipe(
          isolateSink(sink, {
            id: edge.stage,
            buffer: bufferSchema.parse({}),
            logger: scope.logger.child(edge.stage),
            counters,
          }),
        ),
      )
    } else {
      const { nc } = nats
      outputs.push(
        (bytes.get(edge.from) as Observable<Uint8Array>).pipe(
          tap((chunk) => nc.publish(edge.subject, chunk)),
          ignoreElements(),
        ),
      )
    }
  }
  return outputs
}
