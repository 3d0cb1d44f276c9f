// Benchmark: frames/s through decode → NATS JetStream → PostgreSQL, with N simulated meters.
//   paced: N meters (default 100 and 1000) each sending 1 frame/s for BENCH_SECONDS (default 20)
//   max:   BENCH_MAX_FRAMES frames (default 50 000) from 100 meters, published as fast as JetStream takes them
// The publisher decodes each meter's bytes (tic-core, as a Pi does) and publishes with the
// pipeline's natsSink; the server is a real pipeline node (JetStream durable consumer → postgres
// stage). Lag = PostgreSQL commit (the sink's ack) − decode time. Loss = frames published − rows
// stored, counted after the server node stopped (its store flushed, any spool written back). Runs against the built dist (pnpm build). Services: LINKY_NATS_URL, LINKY_PG_URL.
import 'reflect-metadata'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Subject, lastValueFrom, tap, toArray } from 'rxjs'
import pg from 'pg'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { createTicDecoder } from '@linkyrpi/tic-core'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { BUILTIN_STAGES, parseConfig, startNode } from '@linkyrpi/pipeline'
import { natsSink, defaultStreamName } from '@linkyrpi/pipeline/nats'

const NATS_URL = process.env.LINKY_NATS_URL ?? 'nats://127.0.0.1:4222'
const PG_URL = process.env.LINKY_PG_URL ?? 'postgres://root@127.0.0.1:5432/test'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
const METERS = (process.env.BENCH_METERS ?? '100,1000').split(',').map(Number)
const MAX_FRAMES = Number(process.env.BENCH_MAX_FRAMES ?? 50_000)

/** Warnings and errors go to stderr (stdout carries only the JSON results). */
const stderrLogger = (ns = 'bench') => ({
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => process.stderr.write(`warn ${ns} ${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) => process.stderr.write(`error ${ns} ${message} ${JSON.stringify(fields ?? {}, (k, v) => (v instanceof Error ? String(v) : v))}\n`),
  child: (name) => stderrLogger(`${ns}:${name}`),
})
const ctx = (stage) => ({ stage, logger: stderrLogger(stage), diagnostics: { report: () => undefined }, now: Date.now })
const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))])

/** N simulated meters with distinct ids (the simulator derives the id from the seed). */
function meters(n) {
  const out = []
  const ids = new Set()
  for (let seed = 1; out.length < n; seed += 1) {
    const sim = createMeterSimulator({ seed, mode: 'historique', option: 'hc', intervalMs: 1000, start: Date.now() - 86_400_000 })
    const id = sim.next().expected.meter.id
    if (ids.has(id)) continue
    ids.add(id)
    out.push({ sim, decoder: createTicDecoder({ reading: true }), seq: 0, input: new Subject(), id })
  }
  return out
}

async function scenario(name, n) {
  const site = `bench${randomBytes(4).toString('hex')}`
  const schema = `bench_${randomBytes(4).toString('hex')}`
  const spool = await mkdtemp(join(tmpdir(), 'linky-bench-spool-'))
  const lags = []
  const sent = new Map()
  let acked = 0
  let firstAt = 0
  let lastAt = 0
  // The server node: a real pipeline node from a config, its postgres sink wrapped to time acks.
  const registry = {
    ...BUILTIN_STAGES,
    'timed-postgres': {
      ...BUILTIN_STAGES.postgres,
      create: (options, c, di) => {
        const created = BUILTIN_STAGES.postgres.create(options, c, di)
        const sink = created.stage ?? created
        return { dispose: created.dispose, stage: (input) =>
          sink(input.pipe(tap((f) => { firstAt ||= Date.now(); sent.set(f.meta.seq, f.meta.receivedAt) }))).pipe(
            tap((ack) => {
              const at = sent.get(ack.seq)
              sent.delete(ack.seq)
              if (at !== undefined) lags.push(Date.now() - at)
              acked += 1
              lastAt = Date.now()
            }),
          ) }
      },
    },
  }
  const config = await parseConfig(
    `site: ${site}
nats: { servers: ["${NATS_URL}"], stream: { storage: file, maxAgeMs: 3600000 }, consumer: { maxAckPending: 20000, ackWaitMs: 120000 } }
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, node: pi }
  frames: { type: tic-decode, node: pi, from: meter }
  store: { type: timed-postgres, node: server, from: frames, url: "${PG_URL}", schema: ${schema}, retentionDays: 0, batchSize: 2000, flushMs: 100, spool: { dir: "${spool}" }, buffer: { size: 200000, inFlight: 20000 } }
`,
    { registry },
  )
  const server = await startNode(config, { node: 'server', platform: { logger: stderrLogger() } })
  // The meters publish from another process, as Pis would from other machines.
  const started = Date.now()
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_PUBLISHER: JSON.stringify({ site, n, mode: name }) } })
  const published = await new Promise((resolve, reject) => {
    child.on('message', (m) => resolve(m.published))
    child.on('exit', (code) => code !== 0 && reject(new Error(`publisher exited ${code}`)))
  })
  while (acked < published) await new Promise((r) => setTimeout(r, 20))
  const elapsed = (Date.now() - started) / 1000
  server.stop()
  await server.done
  const db = new pg.Client({ connectionString: PG_URL })
  await db.connect()
  const rows = (await db.query(`select count(*)::int as n from ${schema}.samples`)).rows[0].n
  await db.query(`drop schema ${schema} cascade`)
  await db.end()
  await rm(spool, { recursive: true, force: true })
  const nc = await connect({ servers: NATS_URL })
  await (await jetstreamManager(nc)).streams.delete(defaultStreamName(site)).catch(() => false)
  await nc.close()
  lags.sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      bench: 'pipeline.decode-jetstream-postgres',
      scenario: name,
      meters: n,
      frames: published,
      seconds: Number(elapsed.toFixed(2)),
      // Sustained rate: from the first frame the server received to the last PostgreSQL commit.
      framesPerSec: Math.round(published / ((lastAt - firstAt) / 1000)),
      lagP50Ms: percentile(lags, 50),
      lagP99Ms: percentile(lags, 99),
      loss: published - rows,
    }),
  )
}

/** Publisher process: N meters decode their bytes and publish through natsSink until done. */
async function publisher({ site, n, mode }) {
  const nc = await connect({ servers: NATS_URL })
  const list = meters(n)
  const acks = list.map((m) => lastValueFrom(natsSink({ connection: nc, site, fromStage: 'frames', durable: true }, ctx(`nats:${m.id}`))(m.input).pipe(toArray())))
  const publishOne = (m) => {
    const frame = m.sim.next()
    for (const event of m.decoder.push(frame.bytes)) {
      if (event.kind !== 'frame') continue
      m.seq += 1
      m.input.next({ ...event.frame, meta: { seq: m.seq, receivedAt: Date.now(), source: m.id } })
      return 1
    }
    return 0
  }
  const published = mode === 'max' ? await driveMax(list, publishOne) : await drivePaced(list, publishOne)
  for (const m of list) m.input.complete()
  await Promise.all(acks)
  await nc.close()
  process.send({ published })
}

/** Each meter sends one frame a second; meters are spread evenly over the second. */
async function drivePaced(list, publishOne) {
  let published = 0
  const tickMs = 10
  const perTick = list.length / (1000 / tickMs)
  const begin = Date.now()
  const end = begin + SECONDS * 1000
  let cursor = 0
  let tick = 0
  while (Date.now() < end) {
    tick += 1
    const target = Math.floor(tick * perTick)
    while (cursor < target) published += publishOne(list[cursor++ % list.length])
    const wait = tick * tickMs - (Date.now() - begin)
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
  return published
}

/** As fast as possible: rounds over the meters, yielding so that acks come back. */
async function driveMax(list, publishOne) {
  let published = 0
  while (published < MAX_FRAMES) {
    for (const m of list) published += publishOne(m)
    if (published % 2000 < list.length) await new Promise((r) => setImmediate(r))
  }
  return published
}

if (process.env.BENCH_PUBLISHER !== undefined) {
  await publisher(JSON.parse(process.env.BENCH_PUBLISHER))
  process.exit(0)
}
for (const n of METERS) await scenario('paced-1fps-per-meter', n)
await scenario('max', 100)
process.exit(0)
