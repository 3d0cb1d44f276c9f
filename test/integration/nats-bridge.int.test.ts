import { randomBytes } from 'node:crypto'
import { Subject, firstValueFrom, from, lastValueFrom, map, take, tap, toArray } from 'rxjs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { BUILTIN_STAGES, NATS_CONNECTION, parseConfig, startNode } from '@linkyrpi/pipeline'
import type { SinkDefinition } from '@linkyrpi/pipeline'
import {
  natsSink,
  natsSource,
  ensureStream,
  ensureConsumer,
  allFramesSubject,
  defaultStreamName,
  MAX_BATCH_FRAMES,
} from '@linkyrpi/pipeline/nats'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { NATS_URL, describeWithService, tcpReachable } from '../support/services.js'
import { contractContext } from '../contracts/sink-contract.js'
import { contractFrames } from '../contracts/contract-frames.js'

const url = new URL(NATS_URL.replace(/^nats:/, 'http:'))
const available = await tcpReachable(url.hostname, Number(url.port || 4222))
/** A sink that records frames by receive time (a durable identity across redeliveries). */
function collectingSink(
  stored: Map<number, PipelineFrame>,
  key: (f: PipelineFrame) => number = (f) => f.meta.receivedAt,
): SinkDefinition<object> {
  return {
    role: 'sink',
    summary: 'collects frames by receivedAt',
    options: { safeParse: (input: unknown) => ({ success: true as const, data: input as object }) },
    create: (_options, ctx) => (input) =>
      input.pipe(
        tap((f) => stored.set(key(f), f)),
        map((f) => ({ seq: f.meta.seq, sink: ctx.stage })),
      ),
  }
}

const streamConfig = {
  maxAgeMs: 3_600_000,
  maxBytes: 64 * 1024 * 1024,
  maxMsgs: -1,
  storage: 'file' as const,
  replicas: 1,
  duplicateWindowMs: 120_000,
}

describeWithService('NATS', available, 'NATS bridge (JetStream and core NATS)', () => {
  let nc: NatsConnection
  const sites: string[] = []
  const newSite = (): string => {
    const site = `t${randomBytes(5).toString('hex')}`
    sites.push(site)
    return site
  }
  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL })
  })
  afterAll(async () => {
    const jsm = await jetstreamManager(nc)
    for (const site of sites) await jsm.streams.delete(defaultStreamName(site)).catch(() => false)
    await nc.close()
  })

  it('durable edge: frames round-trip in wire form; a republish is deduplicated; acks wait for the sink', async () => {
    const site = newSite()
    const stream = defaultStreamName(site)
    await ensureStream(nc, site, stream, streamConfig)
    await ensureConsumer(nc, stream, 'server-store', allFramesSubject(site), {
      ackWaitMs: 1000,
      maxAckPending: 100,
    })
    const frames = contractFrames(10, { source: 'meter' })
    const ctx = contractContext('nats:frames')
    const acks = await lastValueFrom(
      natsSink(
        { connection: nc, site, fromStage: 'frames', durable: true },
        ctx,
      )(from([...frames, ...frames.slice(0, 3)])).pipe(toArray()),
    )
    expect(acks.map((a) => a.seq)).toEqual(
      [...frames, ...frames.slice(0, 3)].map((f) => f.meta.seq),
    )
    const jsm = await jetstreamManager(nc)
    expect((await jsm.streams.info(stream)).state.messages).toBe(10) // the 3 republished were duplicates

    // Read 6, acknowledge 4: after the consumer stops, the 2 unacknowledged come back first.
    const first = natsSource(
      { connection: nc, site, fromStage: 'frames', durable: { stream, consumer: 'server-store' } },
      contractContext('store'),
    )
    const got = await lastValueFrom(first.frames.pipe(take(6), toArray()))
    expect(got.map((f) => f.reading.energy.importWh)).toEqual(
      frames.slice(0, 6).map((f) => f.reading.energy.importWh),
    )
    expect(got[0]).toMatchObject({
      mode: frames[0]?.mode,
      groups: frames[0]?.groups,
      meta: { source: 'meter', receivedAt: frames[0]?.meta.receivedAt },
    })
    for (const f of got.slice(0, 4)) first.ack(f.meta.seq)
    await nc.flush()
    const second = natsSource(
      { connection: nc, site, fromStage: 'frames', durable: { stream, consumer: 'server-store' } },
      contractContext('store'),
    )
    const rest = await lastValueFrom(second.frames.pipe(take(6), toArray()))
    expect(rest.map((f) => f.meta.seq).sort((a, b) => a - b)).toEqual(
      [5, 6, 7, 8, 9, 10].map((n) => n * MAX_BATCH_FRAMES),
    )
    for (const f of rest) second.ack(f.meta.seq)
    await nc.flush()
    const info = await jsm.consumers.info(stream, 'server-store')
    expect(info.num_ack_pending).toBe(0)
    expect(info.num_pending).toBe(0)
  })

  it('batched durable edge: several frames per message; a message is acked once all its frames are', async () => {
    const site = newSite()
    const stream = defaultStreamName(site)
    await ensureStream(nc, site, stream, streamConfig)
    await ensureConsumer(nc, stream, 'server-store', allFramesSubject(site), {
      ackWaitMs: 1000,
      maxAckPending: 100,
    })
    const frames = contractFrames(10, { source: 'meter' })
    const sink = natsSink(
      { connection: nc, site, fromStage: 'frames', durable: true, batchFrames: 4, batchMs: 5 },
      contractContext('nats:frames'),
    )
    const acks = await lastValueFrom(sink(from(frames)).pipe(toArray()))
    expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
    const jsm = await jetstreamManager(nc)
    expect((await jsm.streams.info(stream)).state.messages).toBe(3) // 4 + 4 + 2

    // Acknowledge 5 frames: the first message (4 frames) is acked, the second (frames 5–8) is not.
    const first = natsSource(
      {
        connection: nc,
        site,
        fromStage: 'frames',
        durable: { stream, consumer: 'server-store', batch: 16 },
      },
      contractContext('store'),
    )
    const got = await lastValueFrom(first.frames.pipe(take(10), toArray()))
    expect(got.map((f) => f.meta.receivedAt)).toEqual(frames.map((f) => f.meta.receivedAt))
    expect(got[9]).toMatchObject({ mode: frames[9]?.mode, groups: frames[9]?.groups })
    for (const f of got.slice(0, 5)) first.ack(f.meta.seq)
    await nc.flush()
    // Redelivered: the whole second message and the third, never the acked first one.
    const second = natsSource(
      {
        connection: nc,
        site,
        fromStage: 'frames',
        durable: { stream, consumer: 'server-store', batch: 16 },
      },
      contractContext('store'),
    )
    const rest = await lastValueFrom(second.frames.pipe(take(6), toArray()))
    expect(rest.map((f) => f.meta.receivedAt).sort((a, b) => a - b)).toEqual(
      frames.slice(4).map((f) => f.meta.receivedAt),
    )
    for (const f of rest) second.ack(f.meta.seq)
    await nc.flush()
    const info = await jsm.consumers.info(stream, 'server-store')
    expect(info.num_ack_pending).toBe(0)
    expect(info.num_pending).toBe(0)
  })

  it('compact durable edge: groups and meta on the wire, readings rebuilt equal, a tenth of the bytes', async () => {
    const site = newSite()
    const stream = defaultStreamName(site)
    await ensureStream(nc, site, stream, streamConfig)
    await ensureConsumer(nc, stream, 'server-store', allFramesSubject(site), {
      ackWaitMs: 1000,
      maxAckPending: 100,
    })
    const frames = contractFrames(12, { source: 'meter' })
    const publish = async (wire: 'json' | 'compact'): Promise<number> => {
      const before = (await (await jetstreamManager(nc)).streams.info(stream)).state.bytes
      const sink = natsSink(
        {
          connection: nc,
          site,
          fromStage: 'frames',
          durable: true,
          batchFrames: 4,
          batchMs: 5,
          wire,
        },
        contractContext('nats:frames'),
      )
      const acks = await lastValueFrom(
        sink(from(frames.map((f) => ({ ...f, meta: { ...f.meta, source: wire } })))).pipe(
          toArray(),
        ),
      )
      expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
      return (await (await jetstreamManager(nc)).streams.info(stream)).state.bytes - before
    }
    const compactBytes = await publish('compact')
    const jsonBytes = await publish('json')
    expect(compactBytes * 4).toBeLessThan(jsonBytes)
    const first = await (await jetstreamManager(nc)).streams.getMessage(stream, { seq: 1 })
    if (!first) throw new Error('message 1 missing from the stream')
    expect(first.header.get('Linky-Wire')).toBe('2')
    expect(first.header.get('Linky-Batch')).toBe('4')

    const source = natsSource(
      {
        connection: nc,
        site,
        fromStage: 'frames',
        durable: { stream, consumer: 'server-store', batch: 16 },
      },
      contractContext('store'),
    )
    const got = await lastValueFrom(source.frames.pipe(take(24), toArray()))
    for (const f of got) source.ack(f.meta.seq)
    const plain = (list: readonly PipelineFrame[]): unknown =>
      JSON.parse(
        JSON.stringify(
          list.map(({ groups, rejected, reading, mode, short, meta }) => ({
            groups,
            rejected,
            reading,
            mode,
            short,
            receivedAt: meta.receivedAt,
          })),
        ),
      )
    const compact = got.filter((f) => f.meta.source === 'compact')
    const json = got.filter((f) => f.meta.source === 'json')
    expect(plain(compact)).toEqual(plain(frames))
    expect(plain(json)).toEqual(plain(frames))
    await nc.flush()
    const info = await (await jetstreamManager(nc)).consumers.info(stream, 'server-store')
    expect(info.num_ack_pending).toBe(0)
    expect(info.num_pending).toBe(0)
  })

  it('live edge: core NATS, frames of other stages are ignored', async () => {
    const site = newSite()
    const live = natsSource(
      { connection: nc, site, fromStage: 'frames' },
      contractContext('dashboard'),
    )
    const received = firstValueFrom(live.frames.pipe(take(3), toArray()))
    await nc.flush()
    const input = new Subject<PipelineFrame>()
    const other = new Subject<PipelineFrame>()
    const acks = lastValueFrom(
      natsSink(
        { connection: nc, site, fromStage: 'frames', durable: false },
        contractContext('nats:frames'),
      )(input).pipe(toArray()),
    )
    const otherAcks = lastValueFrom(
      natsSink(
        { connection: nc, site, fromStage: 'other', durable: false },
        contractContext('nats:other'),
      )(other).pipe(toArray()),
    )
    const frames = contractFrames(3)
    for (const f of frames) {
      other.next(f)
      input.next(f)
    }
    input.complete()
    other.complete()
    expect((await acks).length).toBe(3)
    expect((await otherAcks).length).toBe(3)
    expect((await received).map((f) => f.meta.seq)).toEqual([1, 2, 3])
  })

  it('two nodes from one config: pi (simulator → decoder) and server (JetStream → sink), every frame once', async () => {
    const site = newSite()
    const stored = new Map<number, PipelineFrame>()
    const registry = { ...BUILTIN_STAGES, collect: collectingSink(stored) }
    const text = `
site: ${site}
nats: { servers: ["${NATS_URL}"], consumer: { ackWaitMs: 2000 } }
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, node: pi, speed: 0, frames: 300, intervalMs: 60000, start: "2026-01-01T00:00:00Z" }
  frames: { type: tic-decode, node: pi, from: meter }
  store: { type: collect, node: server, from: frames }
`
    const config = await parseConfig(text, { registry })
    const events: unknown[] = []
    const eventsSub = nc.subscribe(`linky.${site}.*.events`, {
      callback: (_e, msg) => void events.push(msg.json()),
    })
    await nc.flush()
    const server = await startNode(config, { node: 'server' })
    const pi = await startNode(config, { node: 'pi' })
    await pi.done
    expect(pi.snapshot().sinks).toEqual([
      expect.objectContaining({ id: 'nats:frames', acked: 300, lag: 0 }),
    ])
    while (stored.size < 300) await new Promise((resolve) => setTimeout(resolve, 20))
    server.stop()
    await server.done
    expect(stored.size).toBe(300)
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'state', stage: 'meter', state: 'simulating', node: 'pi' }),
    )
    eventsSub.unsubscribe()
    expect(server.snapshot().sinks).toEqual([
      expect.objectContaining({ id: 'store', acked: 300, lag: 0 }),
    ])
    expect(server.snapshot().source).toMatchObject({
      id: 'nats:frames',
      state: 'consuming',
      frames: 300,
    })
    const jsm = await jetstreamManager(nc)
    const info = await jsm.consumers.info(defaultStreamName(site), 'server-store')
    expect(info.num_ack_pending).toBe(0)
    expect(info.num_pending).toBe(0)
  })

  it('raw edge: the pi publishes bytes, the server decodes them (core NATS)', async () => {
    const site = newSite()
    const stored = new Map<number, PipelineFrame>()
    const config = await parseConfig(
      `
site: ${site}
nats: { servers: ["${NATS_URL}"] }
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, node: pi, speed: 0, frames: 40, intervalMs: 60000, start: "2026-02-01T00:00:00Z" }
  frames: { type: tic-decode, node: server, from: meter }
  store: { type: collect, node: server, from: frames }
`,
      // Bytes cross without their receive stamps: frames are told apart by the server's seq.
      { registry: { ...BUILTIN_STAGES, collect: collectingSink(stored, (f) => f.meta.seq) } },
    )
    const server = await startNode(config, { node: 'server' })
    await (server.container.resolve(NATS_CONNECTION) as NatsConnection).flush()
    const pi = await startNode(config, { node: 'pi' })
    await pi.done
    while (stored.size < 40) await new Promise((resolve) => setTimeout(resolve, 20))
    server.stop()
    await server.done
    expect(stored.size).toBe(40)
    expect([...stored.values()].map((f) => f.meta.source)).toEqual(Array(40).fill('meter'))
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
  })
})
