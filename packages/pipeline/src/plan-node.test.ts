import { describe, expect, it } from 'vitest'
import { parseConfig } from './config/load-config.js'
import { ConfigError } from './errors.js'
import { chooseNode, planNode } from './plan-node.js'

const split = `
site: home
diagnostics: { logIntervalMs: 0 }
nats: { servers: ["nats://127.0.0.1:4222"] }
stages:
  meter: { type: simulator, node: pi, speed: 0, frames: 3 }
  frames: { type: tic-decode, node: pi, from: meter }
  local-db: { type: sqlite, node: pi, from: frames, path: x.db }
  db: { type: sqlite, node: server, from: frames, path: y.db }
  dashboard: { type: display, node: server, from: frames, port: 0 }
  frames2: { type: tic-decode, node: server, from: meter }
  dash2: { type: display, node: server, from: frames2, port: 0 }
`
const ids = (stages: readonly { id: string }[]): string[] => stages.map((s) => s.id)

describe('planNode', () => {
  it('runs one node without NATS when nothing crosses nodes', async () => {
    const config = await parseConfig(
      'stages:\n  m: { type: simulator, frames: 1 }\n  f: { type: tic-decode, from: m }\n  db: { type: sqlite, from: f, path: z.db }\n  dash: { type: display, from: f, port: 0 }\n',
    )
    const plan = planNode(config, 'main')
    expect([ids(plan.sources), ids(plan.decoders), ids(plan.sinks), ids(plan.stages)]).toEqual([
      ['m'],
      ['f'],
      ['db', 'dash'],
      ['m', 'f', 'db', 'dash'],
    ])
    expect([
      plan.consume,
      plan.publish,
      plan.crossesNats,
      plan.needsStream,
      plan.offersHistory,
    ]).toEqual([[], [], false, false, true])
  })

  it('publishes the frames of a decoder read on another node (JetStream when a remote sink is durable) and the bytes of a source', async () => {
    const plan = planNode(await parseConfig(split), 'pi')
    expect(ids(plan.stages)).toEqual(['meter', 'frames', 'local-db'])
    expect(plan.consume).toEqual([])
    expect(plan.publish).toEqual([
      { kind: 'raw', from: 'meter', subject: 'linky.home.meter.raw' },
      {
        kind: 'frames',
        from: 'frames',
        stage: 'nats:frames',
        subject: 'linky.home.*.frames',
        durable: true,
        publish: { batchFrames: 1, batchMs: 20, timeoutMs: 5000, wire: 'json' },
      },
    ])
    expect([plan.crossesNats, plan.needsStream]).toEqual([true, true])
  })

  it('consumes frames (a durable consumer <node>-<sink> for a store, core NATS for a dashboard) and raw bytes', async () => {
    const plan = planNode(await parseConfig(split), 'server')
    expect(ids(plan.sinks)).toEqual(['db', 'dashboard', 'dash2'])
    expect(plan.consume).toEqual([
      {
        kind: 'frames',
        stage: 'db',
        from: 'frames',
        subject: 'linky.home.*.frames',
        durable: { consumer: 'server-db', batch: 256 },
      },
      {
        kind: 'frames',
        stage: 'dashboard',
        from: 'frames',
        subject: 'linky.home.*.frames',
        durable: undefined,
      },
      { kind: 'raw', stage: 'frames2', from: 'meter', subject: 'linky.home.meter.raw' },
    ])
    expect(plan.publish).toEqual([])
    expect([plan.crossesNats, plan.needsStream, plan.offersHistory]).toEqual([true, true, true])
  })

  it('refuses a node without stages, or one whose frames nothing consumes', async () => {
    const config = await parseConfig(split)
    expect(() => planNode(config, 'main')).toThrow(ConfigError)
    expect(() => planNode(config, 'main')).toThrow(
      "node 'main' has no stages (nodes in this file: pi, server)",
    )
    const noSink = await parseConfig(
      'stages:\n  m: { type: simulator, frames: 1 }\n  f: { type: tic-decode, from: m }\n',
    )
    expect(() => planNode(noSink, 'main')).toThrow(
      "node 'main' has no sink: nothing would consume its frames",
    )
  })
})

describe('chooseNode', () => {
  it("runs the node asked for, else the file's only node, else main", async () => {
    const config = await parseConfig(split)
    expect(chooseNode(config, 'pi')).toBe('pi')
    expect(chooseNode(config)).toBe('main')
    expect(
      chooseNode(
        await parseConfig(
          'stages:\n  m: { type: simulator, node: pi, frames: 1 }\n  f: { type: tic-decode, node: pi, from: m }\n  d: { type: display, node: pi, from: f, port: 0 }\n',
        ),
      ),
    ).toBe('pi')
  })
})
