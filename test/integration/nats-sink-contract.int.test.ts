import { randomBytes } from 'node:crypto'
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { natsSink, ensureStream, defaultStreamName } from '@linkyrpi/pipeline/nats'
import { NATS_URL, describeWithService, tcpReachable } from '../support/services.js'
import { describeSinkContract } from '../contracts/sink-contract.js'

// The NATS bridge sink passes the sink conformance suite, on JetStream and on core NATS.

const url = new URL(NATS_URL.replace(/^nats:/, 'http:'))
const available = await tcpReachable(url.hostname, Number(url.port || 4222))

describeWithService('NATS', available, 'natsSink conformance', () => {
  const open = async (durable: boolean) => {
    const nc: NatsConnection = await connect({ servers: NATS_URL })
    const site = `c${randomBytes(5).toString('hex')}`
    const stream = defaultStreamName(site)
    if (durable)
      await ensureStream(nc, site, stream, {
        maxAgeMs: 600_000,
        maxBytes: 16 * 1024 * 1024,
        maxMsgs: -1,
        storage: 'memory',
        replicas: 1,
        duplicateWindowMs: 60_000,
      })
    return {
      nc,
      cleanup: async () => {
        if (durable) await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false)
        await nc.close()
      },
      site,
    }
  }
  describeSinkContract('natsSink (JetStream, durable)', async (ctx) => {
    const { nc, cleanup, site } = await open(true)
    return {
      sink: natsSink({ connection: nc, site, fromStage: 'frames', durable: true }, ctx),
      cleanup,
    }
  })
  describeSinkContract('natsSink (core NATS, live)', async (ctx) => {
    const { nc, cleanup, site } = await open(false)
    return {
      sink: natsSink({ connection: nc, site, fromStage: 'frames', durable: false }, ctx),
      cleanup,
    }
  })
})
