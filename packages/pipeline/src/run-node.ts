import { Subject, connectable, merge, retry, takeUntil, tap, throwError, timer, catchError, EMPTY, ignoreElements } from 'rxjs'
import type { Connectable, Observable, Subscription } from 'rxjs'
import type { DependencyContainer } from 'tsyringe'
import type { Ack, Decoder, PipelineFrame, Sink, Source, StageContext } from '@linkyrpi/tic-core/stage'
import type { NatsConnection } from '@nats-io/transport-node'
import { backoff } from './backoff.js'
import type { PipelineConfig, ResolvedStage } from './config/pipeline-config.js'
import { nodesOf } from './config/pipeline-config.js'
import { bufferSchema } from './config/schema.js'
import { createNodeContainer } from './container.js'
import type { NodePlatform } from './container.js'
import { ConfigError, StageFailedError } from './errors.js'
import type { DecoderDefinition, SinkDefinition, SourceDefinition } from './stage-definition.js'
import { isolateSink } from './runtime/isolate-sink.js'
import { normalizeInstance } from './runtime/normalize-instance.js'
import { CLOCK, DIAGNOSTICS, HISTORY_STORE, LOGGER, NATS_CONNECTION } from './tokens.js'
import type { DiagnosticsSnapshot, HistoryStore } from '@linkyrpi/tic-core/stage'
import { deferredHistory } from './runtime/deferred-history.js'
import type * as NatsBridgeModule from './bridge/nats/index.js'

/** The lazily imported NATS bridge module. */
type NatsBridge = typeof NatsBridgeModule

/** Options of {@link startNode}. */
export interface StartNodeOptions {
  /** The node to run (default: `main`, or the only node of the file). */
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

const isTransient = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { transient?: unknown }).transient === true

/**
 * Composes and starts the stages of one node from a validated configuration:
 * sources (retried with backoff on transient errors, completed by `stop()`), decoders (shared,
 * connected once every consumer is subscribed), and sinks, each behind its own isolation
 * buffer. Edges that cross nodes become NATS bridges: a decoder with a remote consumer gets a
 * `natsSink` (JetStream when a remote consumer is durable), a sink with a remote upstream reads a
 * `natsSource` (a durable consumer `<node>-<sink>`, acknowledged when the sink acknowledges),
 * and a source read by a remote decoder publishes its bytes on `.raw` (core NATS).
 */
export async function startNode(config: PipelineConfig, options: StartNodeOptions = {}): Promise<RunningNode> {
  const nodes = nodesOf(config)
  const node = options.node ?? (nodes.length === 1 ? (nodes[0] as string) : 'main')
  const stages = Object.values(config.stages)
  const local = stages.filter((s) => s.node === node)
  if (local.length === 0) throw new ConfigError([{ path: '(node)', message: `node '${node}' has no stages (nodes in this file: ${nodes.join(', ')})` }])
  const di = createNodeContainer(config, node, options.platform)
  const logger = di.resolve(LOGGER)
  const now = di.resolve(CLOCK)
  const diagnostics = di.resolve(DIAGNOSTICS)
  const ctxOf = (id: string): StageContext => ({ stage: id, logger: logger.child(id), diagnostics, now })
  const byId = (id: string | undefined): ResolvedStage | undefined => (id === undefined ? undefined : config.stages[id])
  const downstreamOf = (id: string): ResolvedStage[] => stages.filter((s) => s.from === id)
  const disposers: { id: string; dispose: () => Promise<void> }[] = []
  const stop$ = new Subject<void>()
  let fatal: unknown

  // NATS, loaded lazily: only nodes with cross-node edges import the bridge (house-style §2.7).
  const remoteIn = local.filter((s) => (byId(s.from)?.node ?? node) !== node)
  const remoteOut = local.filter((s) => downstreamOf(s.id).some((d) => d.node !== node))
  let nc: NatsConnection | undefined
  let bridge: NatsBridge | undefined
  let streamName = ''
  if ((remoteIn.length > 0 || remoteOut.length > 0) && config.nats !== undefined) {
    bridge = await import('./bridge/nats/index.js')
    nc = await bridge.connectNats(config.nats, `linkyrpi-${config.site}-${node}`, logger.child('nats'))
    di.register(NATS_CONNECTION, { useValue: nc })
    streamName = config.nats.stream.name ?? bridge.defaultStreamName(config.site)
    const events = nc
    const encoder = new TextEncoder()
    const site = config.site
    const eventsSubject = bridge.eventsSubject
    diagnostics.onState((event) => {
      if (!events.isClosed()) events.publish(eventsSubject(site, event.stage), encoder.encode(JSON.stringify({ ...event, node, at: now() })))
    })
    const durableEdge = stages.some((s) => s.role === 'sink' && s.durable && byId(s.from) !== undefined && byId(s.from)?.node !== s.node)
    if (durableEdge) await bridge.ensureStream(nc, config.site, streamName, config.nats.stream)
  }

  try {
    // Sources: shared, so that a local and a remote decoder never open the device twice.
    const bytes = new Map<string, Connectable<Uint8Array>>()
    for (const s of local.filter((x) => x.role === 'source')) {
      const definition = s.definition as SourceDefinition
      const ctx = ctxOf(s.id)
      diagnostics.source(s.id)
      const instance = normalizeInstance<Source>(await definition.create(s.options, ctx, di))
      if (instance.dispose !== undefined) disposers.push({ id: s.id, dispose: instance.dispose })
      const source$ = instance.stage.pipe(
        tap((chunk) => diagnostics.addBytes(s.id, chunk.length)),
        retry({
          resetOnSuccess: true,
          delay: (error: unknown, count) => {
            if (!isTransient(error)) return throwError(() => error)
            const delay = backoff(count)
            ctx.logger.warn('source failed, retrying', { attempt: count, delayMs: delay, error })
            diagnostics.report({ kind: 'state', stage: s.id, state: 'retrying', detail: { attempt: count } })
            return timer(delay)
          },
        }),
        takeUntil(stop$),
        catchError((error: unknown) => {
          ctx.logger.error('source failed', { error })
          fatal ??= new StageFailedError(s.id, 'source failed', { cause: error })
          return EMPTY
        }),
      )
      bytes.set(s.id, connectable(source$, { connector: () => new Subject<Uint8Array>(), resetOnDisconnect: false }))
    }
    // Raw bytes from a remote source (core NATS, live).
    const remoteBytes = new Map<string, Observable<Uint8Array>>()
    for (const d of remoteIn.filter((x) => x.role === 'decoder')) {
      if (nc === undefined || bridge === undefined) throw new StageFailedError(d.id, 'NATS is not configured')
      remoteBytes.set(d.from as string, bridge.rawNatsSource(nc, config.site, d.from as string).pipe(takeUntil(stop$)))
    }

    // Decoders: shared frames.
    const frames = new Map<string, Connectable<PipelineFrame>>()
    for (const d of local.filter((x) => x.role === 'decoder')) {
      const definition = d.definition as DecoderDefinition
      const input = bytes.get(d.from as string) ?? remoteBytes.get(d.from as string)
      if (input === undefined) throw new StageFailedError(d.id, `no input '${String(d.from)}'`)
      const instance = normalizeInstance<Decoder>(await definition.create(d.options, ctxOf(d.id), di, { source: d.from as string }))
      if (instance.dispose !== undefined) disposers.push({ id: d.id, dispose: instance.dispose })
      const source = d.from as string
      frames.set(
        d.id,
        connectable(
          input.pipe(
            instance.stage,
            tap((frame) => {
              diagnostics.addFrame(source, now())
              diagnostics.observeReading(frame, frame.meta.receivedAt)
            }),
          ),
          {
            connector: () => new Subject<PipelineFrame>(),
            resetOnDisconnect: false,
          },
        ),
      )
    }

    // Sinks, in config order. A store may offer the history the dashboard queries: the container
    // holds a forwarder to it from the start, so the order in which they are created does not matter.
    const outputs: Observable<unknown>[] = []
    const sinks = local.filter((x) => x.role === 'sink')
    let offeredHistory: HistoryStore | undefined
    if (sinks.some((x) => (x.definition as SinkDefinition).providesHistory === true) && !di.isRegistered(HISTORY_STORE)) {
      di.register(HISTORY_STORE, { useValue: deferredHistory(() => offeredHistory) })
    }
    for (const s of sinks) {
      const definition = s.definition as SinkDefinition
      const ctx = ctxOf(s.id)
      const instance = normalizeInstance<Sink>(await definition.create(s.options, ctx, di))
      if (instance.dispose !== undefined) disposers.push({ id: s.id, dispose: instance.dispose })
      if (instance.history !== undefined) offeredHistory ??= instance.history
      let input: Observable<PipelineFrame>
      let onAck: (ack: Ack) => void = () => undefined
      const upstream = byId(s.from) as ResolvedStage
      if (upstream.node === node) {
        input = frames.get(upstream.id) as Observable<PipelineFrame>
      } else {
        if (nc === undefined || bridge === undefined) throw new StageFailedError(s.id, 'NATS is not configured')
        let durable: { stream: string; consumer: string; batch: number } | undefined
        if (s.durable) {
          durable = { stream: streamName, consumer: `${node}-${s.id}`, batch: (config.nats as NonNullable<PipelineConfig['nats']>).consumer.batch }
          await bridge.ensureConsumer(nc, streamName, durable.consumer, bridge.allFramesSubject(config.site), (config.nats as NonNullable<PipelineConfig['nats']>).consumer)
        }
        const remote = bridge.natsSource({ connection: nc, site: config.site, fromStage: upstream.id, ...(durable !== undefined ? { durable } : {}) }, ctx)
        const sourceId = `nats:${upstream.id}`
        diagnostics.source(sourceId)
        diagnostics.report({ kind: 'state', stage: sourceId, state: durable !== undefined ? 'consuming' : 'subscribed', detail: { consumer: durable?.consumer } })
        input = remote.frames.pipe(
          tap((frame) => {
            diagnostics.addFrame(sourceId, now())
            diagnostics.observeReading(frame, frame.meta.receivedAt)
          }),
          takeUntil(stop$),
        )
        onAck = (ack) => remote.ack(ack.seq)
      }
      const counters = diagnostics.sink(s.id)
      outputs.push(input.pipe(isolateSink(instance.stage, { id: s.id, buffer: s.buffer, logger: ctx.logger, counters }), tap(onAck)))
    }

    // Outbound edges: frames of a local decoder to remote sinks, bytes of a local source to remote decoders.
    for (const s of remoteOut) {
      if (nc === undefined || bridge === undefined) throw new StageFailedError(s.id, 'NATS is not configured')
      if (s.role === 'decoder') {
        const id = `nats:${s.id}`
        const durable = downstreamOf(s.id).some((d) => d.node !== node && d.role === 'sink' && d.durable)
        const { batchFrames, batchMs, timeoutMs } = (config.nats as NonNullable<PipelineConfig['nats']>).publish
        const sink = bridge.natsSink({ connection: nc, site: config.site, fromStage: s.id, durable, batchFrames, batchMs, timeoutMs }, ctxOf(id))
        const counters = diagnostics.sink(id)
        outputs.push((frames.get(s.id) as Observable<PipelineFrame>).pipe(isolateSink(sink, { id, buffer: bufferSchema.parse({}), logger: logger.child(id), counters })))
      } else if (s.role === 'source') {
        const connection = nc
        const subject = bridge.rawSubject(config.site, s.id)
        outputs.push((bytes.get(s.id) as Observable<Uint8Array>).pipe(tap((chunk) => connection.publish(subject, chunk)), ignoreElements()))
      }
    }
    if (outputs.length === 0) throw new ConfigError([{ path: '(node)', message: `node '${node}' has no sink: nothing would consume its frames` }])

    let subscription: Subscription | undefined
    let cutTimer: ReturnType<typeof setTimeout> | undefined
    const interval = config.diagnostics.logIntervalMs > 0 ? setInterval(() => logger.info('diagnostics', summary()), config.diagnostics.logIntervalMs) : undefined
    interval?.unref()
    const summary = (): Record<string, unknown> => ({ ...diagnostics.snapshot(), droppedBySink: diagnostics.dropped() })
    const finish = async (): Promise<void> => {
      if (interval !== undefined) clearInterval(interval)
      if (cutTimer !== undefined) clearTimeout(cutTimer)
      for (const d of disposers.reverse()) {
        try {
          await d.dispose()
        } catch (error) {
          logger.error('dispose failed', { stage: d.id, error })
        }
      }
      if (nc !== undefined) await nc.drain().catch((error: unknown) => logger.warn('NATS drain failed', { error }))
      logger.info('node stopped', summary())
    }
    let cut: () => void = () => undefined
    const done = new Promise<void>((resolve, reject) => {
      cut = () => {
        subscription?.unsubscribe()
        logger.warn('shutdown timeout: stages cut before they finished', summary())
        finish().then(resolve, reject)
      }
      subscription = merge(...outputs).subscribe({
        error: (error: unknown) => {
          logger.error('node failed', { error })
          finish().then(() => reject(error instanceof Error ? error : new Error(String(error))), reject)
        },
        complete: () => {
          finish().then(() => (fatal === undefined ? resolve() : reject(fatal instanceof Error ? fatal : new Error(String(fatal)))), reject)
        },
      })
    })
    // Consumers are subscribed: connect decoders, then sources (a synchronous source loses nothing).
    for (const f of frames.values()) f.connect()
    for (const b of bytes.values()) b.connect()
    logger.info('node started', {
      node,
      stages: local.map((s) => `${s.id}:${s.type}`),
      // Each sink's bounded buffer and what happens when it is full.
      buffers: Object.fromEntries(local.filter((s) => s.role === 'sink').map((s) => [s.id, s.buffer])),
    })
    let stopping = false
    return {
      node,
      container: di,
      done,
      stop() {
        if (stopping) return
        stopping = true
        logger.info('stopping: completing sources, flushing sinks', { timeoutMs: config.shutdown.timeoutMs })
        stop$.next()
        stop$.complete()
        cutTimer = setTimeout(cut, config.shutdown.timeoutMs)
        cutTimer.unref()
      },
      snapshot: () => diagnostics.snapshot(),
    }
  } catch (error) {
    for (const d of disposers.reverse()) await d.dispose().catch(() => undefined)
    if (nc !== undefined) await nc.close()
    throw error
  }
}
