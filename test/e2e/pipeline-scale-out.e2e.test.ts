import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { PG_URL, describeWithService, tcpReachable } from '../support/services.js'
import { freePort } from '../support/ports.js'

// Scale-out, as separate OS processes: three `linkyrpi run --node pi` (one meter each) publish ten
// simulated days (batched, 16 frames per NATS message, compact wire form) on a stream partitioned
// by meter (3 partitions; the three meters hash to partitions 0, 2 and 1), and 2 or 3
// `linkyrpi run --node server` processes share the partitions by leases: each partition (so each
// meter) is read by one process at a time. One server is SIGKILLed midway: its leases expire and
// the others take its partitions; its unacknowledged messages are delivered again after ackWaitMs.
// Every frame must be stored exactly once, the survivors did work, and each meter's energy is
// counted once (meter affinity).

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

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)))

interface NodeProcess {
  readonly node: string
  readonly child: ChildProcess
  out(): string
}

describeWithService(
  'PostgreSQL and nats-server',
  available,
  'e2e: several server nodes share one durable JetStream consumer',
  () => {
    const children: ChildProcess[] = []
    const schemas: string[] = []
    let dir = ''
    let natsPort = 0
    const db = new pg.Client({ connectionString: PG_URL })
    const processes: NodeProcess[] = []
    /** Schema of each run, by number of server processes. */
    const stored = new Map<number, string>()
    const explain = (): string =>
      processes
        .map(
          ({ node, child, out }) =>
            `--- ${node} (pid ${String(child.pid)}, exit ${String(child.exitCode)}, signal ${String(child.signalCode)}):\n${out().split('\n').slice(-10).join('\n')}`,
        )
        .join('\n')

    async function waitFor(
      what: string,
      check: () => Promise<boolean> | boolean,
      timeoutMs = 90_000,
    ): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${explain()}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    const startNode = (config: string, node: string): NodeProcess => {
      const child = spawn(
        process.execPath,
        [APP, 'run', '--config', config, '--node', node, '--log-format', 'json'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LINKY_E2E_PG: PG_URL },
        },
      )
      let out = ''
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
      children.push(child)
      const p = { node, child, out: () => out }
      processes.push(p)
      return p
    }
    /** Frames the store of a server process acknowledged, from its `node stopped` log record. */
    const ackedBy = (p: NodeProcess): number => {
      const line = p
        .out()
        .split('\n')
        .find((l) => l.includes('"node stopped"'))
      if (line === undefined) return -1
      const record = JSON.parse(line) as { sinks?: { id: string; acked: number }[] }
      return record.sinks?.find((s) => s.id === 'store')?.acked ?? -1
    }

    beforeAll(async () => {
      if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
      dir = await mkdtemp(join(tmpdir(), 'linky-e2e-scale-'))
      natsPort = await freePort()
      children.push(
        spawn(
          'nats-server',
          ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', join(dir, 'jetstream')],
          { stdio: 'ignore' },
        ),
      )
      await waitFor('nats-server', () => tcpReachable('127.0.0.1', natsPort, 200), 15_000)
      await db.connect()
    })
    afterAll(async () => {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      for (const schema of schemas)
        await db.query(`drop schema if exists ${schema} cascade`).catch(() => undefined)
      await db.end()
      await rm(dir, { recursive: true, force: true })
    })

    it.each([2, 3])(
      '%i server processes, one SIGKILLed midway: every frame stored exactly once, the work split',
      async (servers) => {
        const schema = `t_scale_${randomBytes(4).toString('hex')}`
        schemas.push(schema)
        const site = `scale${randomBytes(4).toString('hex')}`
        const DAYS = 10
        const INTERVAL_MS = 15 * 60_000
        const SEEDS = [7, 8, 10]
        const perMeter = (DAYS * 24 * 3_600_000) / INTERVAL_MS // 960 frames
        const expected = perMeter * SEEDS.length
        const speed = (DAYS * 24 * 3_600_000) / 10_000 // about 10 s of wall time
        // One file per Pi (its meter); the servers read the first (the same nats and store sections).
        const configs = SEEDS.map((seed, i) => join(dir, `${site}-${i}.yaml`))
        for (const [i, seed] of SEEDS.entries())
          await writeFile(
            configs[i] as string,
            `site: ${site}
nats:
  servers: ["nats://127.0.0.1:${natsPort}"]
  stream: { partitions: 3 }
  consumer: { ackWaitMs: 2000, maxAckPending: 200, batch: 16, leaseMs: 3000 }
  publish: { batchFrames: 16, batchMs: 20, wire: compact }
diagnostics: { logIntervalMs: 0 }
shutdown: { timeoutMs: 30000 }
stages:
  meter:  { type: simulator, node: pi, mode: historique, option: hc, seed: ${seed}, start: "2026-04-01T00:00:0${i}Z", intervalMs: ${INTERVAL_MS}, durationMs: ${DAYS * 24 * 3_600_000}, speed: ${speed} }
  frames: { type: tic-decode, node: pi, from: meter }
  store:  { type: postgres, node: server, from: frames, url: "\${LINKY_E2E_PG}", schema: ${schema}, flushMs: 100, batchSize: 100, retentionDays: 0, spool: { dir: "${join(dir, site, 'spool')}" } }
`,
          )
        const config = configs[0] as string
        const count = async (): Promise<number> => {
          const result = await db
            .query(`select count(*)::int as n from ${schema}.samples`)
            .catch(() => ({ rows: [{ n: 0 }] }))
          return (result.rows[0] as { n: number }).n
        }
        /** Partition leases held, by member. */
        const owners = async (): Promise<Map<string, number>> => {
          const nc = await connect({ servers: `nats://127.0.0.1:${natsPort}` })
          try {
            const jsm = await jetstreamManager(nc)
            const stream = `LINKY_${site.toUpperCase()}_LEASES`
            const info = await jsm.streams
              .info(stream, { subjects_filter: 'linky-lease.>' })
              .catch(() => undefined)
            const out = new Map<string, number>()
            for (const subject of Object.keys(info?.state.subjects ?? {})) {
              if (!subject.includes('.p.')) continue
              const msg = await jsm.streams.getMessage(stream, { last_by_subj: subject })
              const member = msg === null ? '' : msg.string()
              out.set(member, (out.get(member) ?? 0) + 1)
            }
            return out
          } finally {
            await nc.close()
          }
        }
        const nodes = Array.from({ length: servers }, () => startNode(config, 'server'))
        await waitFor('the servers to start', () =>
          nodes.every((p) => p.out().includes('node started')),
        )
        // Every server holds a partition before the meters publish (they share the 3 partitions).
        await waitFor('the partitions to be shared', async () => {
          const held = await owners()
          return held.size === servers && [...held.values()].reduce((a, b) => a + b, 0) === 3
        })
        const pis = configs.map((file) => startNode(file, 'pi'))

        await waitFor('the first stored frames', async () => (await count()) >= expected / 5)
        const victim = nodes[0] as NodeProcess
        victim.child.kill('SIGKILL')
        await exited(victim.child)
        const atKill = await count()
        expect(atKill).toBeLessThan(expected)

        for (const pi of pis) expect(await exited(pi.child)).toBe(0)
        await waitFor('every frame stored', async () => (await count()) >= expected)
        const survivors = nodes.slice(1)
        for (const p of survivors) p.child.kill('SIGTERM')
        for (const p of survivors) expect(await exited(p.child)).toBe(0)

        const { rows } = await db.query(
          `select count(*)::int as n, count(distinct (meter, t))::int as distinct_t, count(distinct meter)::int as meters from ${schema}.samples`,
        )
        expect(rows[0]).toEqual({ n: expected, distinct_t: expected, meters: SEEDS.length })
        // The work was split: every survivor stored frames, and the killed one had stored some.
        for (const p of survivors) expect(ackedBy(p)).toBeGreaterThan(0)
        expect(atKill).toBeGreaterThan(0)

        const nc = await connect({ servers: `nats://127.0.0.1:${natsPort}` })
        try {
          for (const p of [0, 1, 2]) {
            const consumer = await (
              await jetstreamManager(nc)
            ).consumers.info(`LINKY_${site.toUpperCase()}`, `server-store-p${p}`)
            expect(consumer.num_pending).toBe(0)
            expect(consumer.num_ack_pending).toBe(0)
          }
        } finally {
          await nc.close()
        }

        stored.set(servers, schema)
      },
      240_000,
    )

    // The store counts energy from its in-memory state of each meter (the previous index it
    // wrote). Without meter affinity, consecutive frames of one meter went to different processes,
    // each counting the increment since the last frame *it* saw (2.2× the index movement with 3
    // processes, recorded as a failing test before partitions). With partitions, one process reads
    // a meter at a time: the energy counted equals the index movement.
    it('energy rollups are not double-counted under scale-out (meter affinity by partitions)', async () => {
      const schema = stored.get(3) ?? stored.get(2)
      expect(schema).toBeDefined()
      const energy = await db.query(
        `select meter, res, register, sum(energy_wh)::bigint as counted, (max(max_wh) - min(min_wh))::bigint as moved from ${String(schema)}.energy_rollups group by meter, res, register`,
      )
      expect(energy.rows.length).toBeGreaterThan(0)
      // Per meter, register and resolution, the energy counted is what the index moved.
      const rows = energy.rows as {
        meter: string
        res: string
        register: string
        counted: string
        moved: string
      }[]
      expect(new Set(rows.map((r) => r.meter)).size).toBe(3)
      expect(rows.filter((r) => Number(r.counted) !== Number(r.moved))).toEqual([])
    })
  },
)
