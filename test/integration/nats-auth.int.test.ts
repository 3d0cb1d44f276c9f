import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { memoryLogger } from '@linkyrpi/pipeline'
import { connectNats } from '@linkyrpi/pipeline/nats'
import { describeWithService, tcpReachable } from '../support/services.js'
import { freePort } from '../support/ports.js'

// The node's NATS connection authenticates with what the config's `nats` section gives
// (here: user/password and token, against our own nats-server process).

const hasNatsServer = await new Promise<boolean>((resolve) => {
  const child = spawn('nats-server', ['--version'])
  child.on('error', () => resolve(false))
  child.on('exit', (code) => resolve(code === 0))
})

const defaults = { stream: { maxAgeMs: 0, maxBytes: -1, maxMsgs: -1, storage: 'memory' as const, replicas: 1, duplicateWindowMs: 1000 }, consumer: { ackWaitMs: 1000, maxAckPending: 10 } }

describeWithService('nats-server binary', hasNatsServer, 'NATS credentials', () => {
  const servers: ChildProcess[] = []
  const start = async (args: string[]): Promise<number> => {
    const port = await freePort()
    servers.push(spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...args], { stdio: 'ignore' }))
    const deadline = Date.now() + 10_000
    while (!(await tcpReachable('127.0.0.1', port, 200))) {
      if (Date.now() > deadline) throw new Error('nats-server did not start')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return port
  }
  let userPort = 0
  let tokenPort = 0
  beforeAll(async () => {
    userPort = await start(['--user', 'pi', '--pass', 's3cret'])
    tokenPort = await start(['--auth', 't0ken'])
  })
  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM')
  })

  it('connects with user and password, and with a token', async () => {
    const logger = memoryLogger()
    const a = await connectNats({ servers: [`nats://127.0.0.1:${userPort}`], user: 'pi', pass: 's3cret', ...defaults }, 'test-user', logger)
    const b = await connectNats({ servers: [`nats://127.0.0.1:${tokenPort}`], token: 't0ken', ...defaults }, 'test-token', logger)
    await a.flush()
    await b.flush()
    expect(a.info?.auth_required).toBe(true)
    expect(b.info?.auth_required).toBe(true)
    expect(logger.records.filter((r) => r.message === 'connected to NATS')).toHaveLength(2)
    await a.close()
    await b.close()
  })
})
