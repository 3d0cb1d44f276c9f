import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { PG_URL, describeWithService, tcpReachable } from '../support/services.js'
import { freePort } from '../support/ports.js'

// End to end, as separate OS processes: `linkyrpi run --node pi` replays a simulated month
// (accelerated) into JetStream; `linkyrpi run --node server` stores it in PostgreSQL through the
// real postgres stage. The server is SIGKILLed midway and restarted, and nats-server (our own
// process, file storage) is restarted midway; every frame must be stored exactly once.

const APP = fileURLToPath(new URL('../../apps/linkyrpi/dist/main.js', import.meta.url))
const pgUrl = new URL(PG_URL)
const available =
  (await tcpReachable(pgUrl.hostname, Number(pgUrl.port || 5432))) && (await hasNatsServer())

async function hasNatsServer(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('nats-server', ['--version'])
    child.on('error', () => resolve(false))
    child.on('exit', (code) => resolve(code === 0))
  })
}

let stored: (() => Promise<number>) | undefined
/** What the node processes said, for a failure message that tells why (their exit state and last lines). */
let explain: () => string = () => ''

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what} (stored: ${String(await stored?.())})\n${explain()}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)))

describeWithService(
  'PostgreSQL and nats-server',
  available,
  'e2e: pi and server nodes over NATS JetStream into PostgreSQL',
  () => {
    const schema = `t_e2e_${randomBytes(4).toString('hex')}`
    const site = `e2e${randomBytes(4).toString('hex')}`
    const children: ChildProcess[] = []
    let dir = ''
    let natsPort = 0
    let nats: ChildProcess | undefined
    const db = new pg.Client({ connectionString: PG_URL })

    const startNats = async (): Promise<ChildProcess> => {
      const child = spawn(
        'nats-server',
        ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', join(dir, 'jetstream')],
        { stdio: 'ignore' },
      )
      children.push(child)
      await waitFor('nats-server', () => tcpReachable('127.0.0.1', natsPort, 200), 15_000)
      return child
    }
    const outputs: { node: string; child: ChildProcess; out: () => string }[] = []
    explain = () =>
      outputs
        .map(
          ({ node, child, out }) =>
            `--- ${node} (pid ${String(child.pid)}, exit ${String(child.exitCode)}, signal ${String(child.signalCode)}):\n${out().split('\n').slice(-15).join('\n')}`,
        )
        .join('\n')
    const startNode = (node: string): { child: ChildProcess; log: string } => {
      const log = join(dir, `${node}-${children.length}.log`)
      const child = spawn(
        process.execPath,
        [
          APP,
          'run',
          '--config',
          join(dir, 'linkyrpi.config.yaml'),
          '--node',
          node,
          '--log-format',
          'json',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LINKY_E2E_PG: PG_URL },
        },
      )
      let out = ''
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
      child.on('exit', () => void writeFile(log, out))
      children.push(child)
      outputs.push({ node, child, out: () => out })
      return { child, log }
    }
    const count = async (): Promise<number> => {
      const result = await db
        .query(`select count(*)::int as n from ${schema}.samples`)
        .catch(() => ({ rows: [{ n: 0 }] }))
      return (result.rows[0] as { n: number }).n
    }

    beforeAll(async () => {
      if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
      dir = await mkdtemp(join(tmpdir(), 'linky-e2e-'))
      natsPort = await freePort()
      nats = await startNats()
      await db.connect()
      stored = count
    })
    afterAll(async () => {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await db.query(`drop schema if exists ${schema} cascade`).catch(() => undefined)
      await db.end()
      if (process.env.LINKY_E2E_KEEP === undefined) await rm(dir, { recursive: true, force: true })
      else console.log(`kept ${dir}`)
    })

    it('stores every frame of the month exactly once across a server SIGKILL and a NATS restart', async () => {
      const DAYS = 30
      const INTERVAL_MS = 15 * 60_000
      const expected = (DAYS * 24 * 3_600_000) / INTERVAL_MS // 2880 frames
      // About 10 s of wall time for the month, so that the kills land midway.
      const speed = (DAYS * 24 * 3_600_000) / 10_000
      await writeFile(
        join(dir, 'linkyrpi.config.yaml'),
        `site: ${site}
nats:
  servers: ["nats://127.0.0.1:${natsPort}"]
  consumer: { ackWaitMs: 3000, maxAckPending: 1000 }
diagnostics: { logIntervalMs: 0 }
shutdown: { timeoutMs: 30000 }
stages:
  meter:  { type: simulator, node: pi, mode: historique, option: hc, seed: 42, start: "2026-03-01T00:00:00Z", intervalMs: ${INTERVAL_MS}, durationMs: ${DAYS * 24 * 3_600_000}, speed: ${speed} }
  frames: { type: tic-decode, node: pi, from: meter }
  store:  { type: postgres, node: server, from: frames, url: "\${LINKY_E2E_PG}", schema: ${schema}, flushMs: 200, batchSize: 200, retentionDays: 0, spool: { dir: "${join(dir, 'spool')}" } }
`,
      )
      let server = startNode('server')
      const pi = startNode('pi')

      // 1. The server is killed without warning while frames flow, then restarted.
      await waitFor('the first stored frames', async () => (await count()) >= 300)
      server.child.kill('SIGKILL')
      await exited(server.child)
      const atKill = await count()
      expect(atKill).toBeLessThan(expected)
      server = startNode('server')

      // 2. nats-server stops and comes back on the same port and storage.
      await waitFor('more stored frames', async () => (await count()) >= atKill + 300)
      nats?.kill('SIGTERM')
      await exited(nats as ChildProcess)
      const atNatsStop = await count()
      expect(atNatsStop).toBeLessThan(expected)
      await new Promise((resolve) => setTimeout(resolve, 500))
      nats = await startNats()

      // 3. The pi finishes once JetStream has acknowledged every frame; the server catches up.
      expect(await exited(pi.child)).toBe(0)
      await waitFor('every frame stored', async () => (await count()) >= expected, 90_000)
      server.child.kill('SIGTERM')
      expect(await exited(server.child)).toBe(0)

      const { rows } = await db.query(
        `select count(*)::int as n, count(distinct t)::int as distinct_t, count(distinct meter)::int as meters, min(t)::bigint as first, max(t)::bigint as last from ${schema}.samples`,
      )
      const row = rows[0] as {
        n: number
        distinct_t: number
        meters: number
        first: string
        last: string
      }
      expect(row).toMatchObject({ n: expected, distinct_t: expected, meters: 1 })
      expect(Number(row.last) - Number(row.first)).toBe((expected - 1) * INTERVAL_MS)

      // JetStream holds every frame (Nats-Msg-Id deduplicates republished frames; a frame whose
      // publish straddles the nats-server restart may be held twice, which the store's key absorbs:
      // the database check above is the exactly-once guarantee) and nothing is pending.
      const nc = await connect({ servers: `nats://127.0.0.1:${natsPort}` })
      try {
        const jsm = await jetstreamManager(nc)
        const stream = `LINKY_${site.toUpperCase()}`
        const messages = (await jsm.streams.info(stream)).state.messages
        expect(messages).toBeGreaterThanOrEqual(expected)
        expect(messages).toBeLessThanOrEqual(expected + 50)
        const consumer = await jsm.consumers.info(stream, 'server-store')
        expect(consumer.num_pending).toBe(0)
        expect(consumer.num_ack_pending).toBe(0)
      } finally {
        await nc.close()
      }
      void readFile
    }, 180_000)
  },
)
