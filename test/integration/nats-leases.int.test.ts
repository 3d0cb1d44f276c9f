import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { leasePartitions, leaseStreamName } from '@linkyrpi/pipeline/nats'
import type { PartitionLeases } from '@linkyrpi/pipeline/nats'
import { NATS_URL, describeWithService, tcpReachable } from '../support/services.js'
import { memoryLogger } from '@linkyrpi/pipeline'

const url = new URL(NATS_URL.replace(/^nats:/, 'http:'))
const available = await tcpReachable(url.hostname, Number(url.port || 4222))

describeWithService('NATS', available, 'partition leases (meter affinity)', () => {
  let nc: NatsConnection
  const sites: string[] = []
  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL })
  })
  afterAll(async () => {
    const jsm = await jetstreamManager(nc)
    for (const site of sites) await jsm.streams.delete(leaseStreamName(site)).catch(() => false)
    await nc.close()
  })

  const until = async (what: string, check: () => boolean, ms = 20_000): Promise<void> => {
    const deadline = Date.now() + ms
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  it('members share the partitions, a newcomer gets its share handed over, and a member that leaves hands all its partitions on', async () => {
    const site = `l${randomBytes(5).toString('hex')}`
    sites.push(site)
    const acquired: number[][] = [[], [], []]
    const released: number[][] = [[], [], []]
    const lost: number[] = []
    const member = (i: number): Promise<PartitionLeases> =>
      leasePartitions(
        {
          connection: nc,
          site,
          group: 'server-store',
          partitions: 4,
          leaseMs: 600,
          onAcquire: (p) => acquired[i]?.push(p),
          onLost: (p) => lost.push(p),
          onRelease: (p) => {
            released[i]?.push(p)
            return Promise.resolve()
          },
        },
        { logger: memoryLogger() },
      )
    const a = await member(0)
    const b = await member(1)
    await until(
      'two members with two partitions each',
      () => a.owned().length === 2 && b.owned().length === 2,
    )
    expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3])

    // A third member: the others hand over until it has its share (4 over 3: none above 2).
    const c = await member(2)
    const held = (): number[] => [a, b, c].map((m) => m.owned().length)
    await until(
      'the shares to settle',
      () => c.owned().length >= 1 && held().reduce((x, y) => x + y, 0) === 4,
    )
    expect(Math.max(...held())).toBeLessThanOrEqual(2)
    expect(released[0]!.length + released[1]!.length).toBeGreaterThanOrEqual(1)
    expect(new Set([...a.owned(), ...b.owned(), ...c.owned()]).size).toBe(4)

    // A member that leaves (graceful): the others take its partitions, no lease is lost.
    await c.release(() => true, 1000)
    await until(
      'every partition held by the two left',
      () => a.owned().length + b.owned().length === 4,
    )
    expect(lost).toEqual([])
    await a.release(() => true, 1000)
    await b.release(() => true, 1000)
  }, 60_000)
})
