// Benchmark: meters → NATS JetStream → PostgreSQL (the server node: natsSource → postgres stage).
// Prints one JSON line per scenario, each with the machine's load average and the ceilings of the
// same run beside it:
//   generator   the load generator alone (pre-encoded frames, no NATS): it must not be the bottleneck
//   hop         the JetStream hop alone: publish → stream → shared durable consumer → ack, no database
//   max         the full path as fast as possible
//   paced       BENCH_METERS meters at 1 frame/s each for BENCH_SECONDS: sustained frames/s, lag p50/p99
//   scale       the full path as fast as possible with 1 then 2 server processes (BENCH_SCALE=1,2)
//   max-private-pg  max into a private PostgreSQL cluster (its CPU per frame counted alone; not in the default list)
//   paced-private-pg  paced into a private PostgreSQL cluster (the same; not in the default list)
//   nats-restart, pg-restart (BENCH_FAULTS=nats,pg): paced, the server restarted midway; 0 lost, catch-up rate
// Publishers: `fleet` (default; one message per frame, each meter as its own Pi would publish, with
// its Nats-Msg-Id and PubAck, pre-encoded) or `gateway` (simulated meters decoded and published
// through the pipeline's natsSink, BENCH_BATCH frames per message). The nats-server is this
// benchmark's own (a free port, its own storage, so that it can be restarted and its CPU counted);
// BENCH_FAULTS=pg uses a private PostgreSQL cluster (initdb as user postgres) for the same reason.
// CPU µs/frame: process CPU time (user+system) of each stage's process over the run ÷ frames.
// Lag = PostgreSQL commit acknowledged by the store − the frame's receive stamp at the publisher.
// Lost = frames acknowledged by JetStream to the publisher − rows stored; duplicated = rows − distinct (meter, t).
// Settings: BENCH_SCENARIOS (generator,hop,max,paced,scale), BENCH_METERS (10000), BENCH_SECONDS (20),
// BENCH_MAX_FRAMES (100000), BENCH_PUBLISHER (fleet|gateway), BENCH_BATCH (64), BENCH_SERVERS (1),
// BENCH_WIRE (compact|json: the payload form, default compact), BENCH_PARTITIONS (1: meter partitions, leased by the server processes), BENCH_FAULTS (none), BENCH_FAULT_METERS (the largest of BENCH_METERS), BENCH_MAX_ACK_PENDING (5000: the fleet server's consumer maxAckPending), LINKY_PG_URL. Runs against the built dist (pnpm build).
// Each line also gives lagByWindow: [second, lag p50, lag p99] of the acks of each 5 s of the run
// (the start-up against the steady state).
import 'reflect-metadata'
import { execFileSync, fork, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs'
import { connect as tcpConnect, createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { Subject, lastValueFrom, map, tap, toArray } from 'rxjs'
import { connect, headers } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { createTicDecoder, encodeCompactFrames, toWire } from '@linkyrpi/tic-core'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { BUILTIN_STAGES, parseConfig, startNode } from '@linkyrpi/pipeline'
import { natsSink, defaultStreamName, partitionOf } from '@linkyrpi/pipeline/nats'

const env = process.env
const SELF = fileURLToPath(import.meta.url)
const SECONDS = Number(env.BENCH_SECONDS ?? 20)
const METERS = (env.BENCH_METERS ?? '10000').split(',').map(Number)
const MAX_FRAMES = Number(env.BENCH_MAX_FRAMES ?? 100_000)
const PUBLISHER = env.BENCH_PUBLISHER ?? 'fleet'
const BATCH = Number(env.BENCH_BATCH ?? 64)
const SERVERS = Number(env.BENCH_SERVERS ?? 1)
const WIRE = env.BENCH_WIRE ?? 'compact'
const PARTITIONS = Number(env.BENCH_PARTITIONS ?? 1)
const SCENARIOS = (env.BENCH_SCENARIOS ?? 'generator,hop,max,paced,scale')
  .split(',')
  .filter(Boolean)
const FAULTS = (env.BENCH_FAULTS ?? '').split(',').filter(Boolean)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const load = () => loadavg().map((x) => Number(x.toFixed(2)))
const percentile = (sorted, p) =>
  sorted.length === 0
    ? null
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
/** CPU time of another process (user+system), ms, from /proc. */
function procCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return 0
  }
}
const stderrLogger = (ns = 'bench') => ({
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) =>
    process.stderr.write(`warn ${ns} ${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) =>
    process.stderr.write(
      `error ${ns} ${message} ${JSON.stringify(fields ?? {}, (k, v) => (v instanceof Error ? String(v) : v))}\n`,
    ),
  child: (name) => stderrLogger(`${ns}:${name}`),
})
const ctx = (stage) => ({
  stage,
  logger: stderrLogger(stage),
  diagnostics: { report: () => undefined },
  now: Date.now,
})

/** N simulated meters with distinct ids, each with one decoded frame (the template of its messages). */
function meters(n, { frames = false } = {}) {
  const out = []
  const ids = new Set()
  for (let seed = 1; out.length < n; seed += 1) {
    const sim = createMeterSimulator({
      seed,
      mode: 'historique',
      option: 'hc',
      intervalMs: 1000,
      start: Date.now() - 86_400_000,
    })
    const first = sim.next()
    const id = first.expected.meter.id
    if (ids.has(id)) continue
    ids.add(id)
    const decoder = createTicDecoder({ reading: true })
    const frame = decoder.push(first.bytes).find((e) => e.kind === 'frame')?.frame
    const stamped = { ...frame, meta: { seq: 0, receivedAt: 0, source: id } }
    const wire = JSON.stringify(toWire(stamped))
    const prefix = wire.slice(0, wire.lastIndexOf('"meta":') + 7)
    // Compact form: `<flags>␟<seq>␟<receivedAt>␟<source>␟<meter>␟<groups>␟<rejected>\n<groups…>`.
    const compact = encodeCompactFrames([stamped])
    const head = compact.slice(0, compact.indexOf('\n')).split('\x1f')
    const compactTail = `\x1f${id}\x1f${head.slice(4).join('\x1f')}${compact.slice(compact.indexOf('\n'))}`
    out.push({
      id,
      prefix,
      compactHead: `${head[0]}\x1f`,
      compactTail,
      subject: '',
      seq: 0,
      lastAt: 0,
      ...(frames ? { frame } : {}),
    })
  }
  return out
}

/** The next pre-encoded message of a meter: its frame restamped (receive time unique per meter). */
function nextMessage(m, encoder) {
  m.seq += 1
  const at = Math.max(Date.now(), m.lastAt + 1)
  m.lastAt = at
  return {
    id: `${m.id}:${at}:${m.seq}`,
    payload: encoder.encode(
      WIRE === 'compact'
        ? `${m.compactHead}${m.seq}\x1f${at}${m.compactTail}`
        : `${m.prefix}{"seq":${m.seq},"receivedAt":${at},"source":"${m.id}"}}`,
    ),
  }
}

// ---------------------------------------------------------------- publisher process
/**
 * A fleet of meters publishing as separate Pis would: one JetStream message per frame with its
 * Nats-Msg-Id, the PubAck awaited (one reply subscription for all, a sweep timer republishes
 * what timed out with the same id).
 */
async function fleetPublisher({ natsUrl, site, n, rate, total }) {
  const nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250 })
  const encoder = new TextEncoder()
  const list = meters(n)
  for (const m of list)
    m.subject =
      PARTITIONS > 1
        ? `linky.${site}.${m.id}.frames.${partitionOf(m.id, PARTITIONS)}`
        : `linky.${site}.${m.id}.frames`
  const inbox = `_INBOX.${randomBytes(6).toString('hex')}`
  const outstanding = new Map()
  let next = 0
  let acked = 0
  let retried = 0
  nc.subscribe(`${inbox}.*`, {
    callback: (_e, msg) => {
      const key = msg.subject.slice(inbox.length + 1)
      const o = outstanding.get(key)
      if (o === undefined) return
      if (
        msg.headers?.status === '503' ||
        msg.data.length === 0 ||
        msg.string().includes('"error"')
      ) {
        o.sentAt = 0 // retried by the sweep
        return
      }
      outstanding.delete(key)
      acked += 1
    },
  })
  const send = (o) => {
    o.sentAt = Date.now()
    if (!nc.isClosed())
      nc.publish(o.subject, o.payload, { reply: `${inbox}.${o.key}`, headers: o.h })
  }
  const sweep = setInterval(() => {
    const now = Date.now()
    for (const o of outstanding.values())
      if (now - o.sentAt > (o.sentAt === 0 ? 0 : 5000)) {
        retried += 1
        send(o)
      }
  }, 250)
  const publishOne = (m) => {
    const { id, payload } = nextMessage(m, encoder)
    const h = headers()
    h.set('Nats-Msg-Id', id)
    h.set('Linky-Stage', 'frames')
    if (WIRE === 'compact') h.set('Linky-Wire', '2')
    const o = { key: String(next++), subject: m.subject, payload, h, sentAt: 0 }
    outstanding.set(o.key, o)
    send(o)
    return 1
  }
  const cpu0 = cpuMs()
  const published =
    rate === 'max'
      ? await driveMax(list, publishOne, total, () => outstanding.size)
      : await drivePaced(list, publishOne)
  while (outstanding.size > 0) await sleep(20)
  clearInterval(sweep)
  const cpu = cpuMs() - cpu0
  await nc.drain()
  return { published, acked, retried, cpuMs: cpu }
}

/**
 * A gateway: one process reading many meters, publishing through the pipeline's natsSink,
 * BENCH_BATCH frames per message. Each meter's frame is decoded once and restamped (pre-decoded
 * frames: the generator stays cheap); natsSink encodes every frame.
 */
async function gatewayPublisher({ natsUrl, site, n, rate, total, batch }) {
  const nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250 })
  const list = meters(n, { frames: true })
  const input = new Subject()
  let acked = 0
  const acks = lastValueFrom(
    natsSink(
      {
        connection: nc,
        site,
        fromStage: 'frames',
        durable: true,
        batchFrames: batch,
        batchMs: 20,
        wire: WIRE,
        partitions: PARTITIONS,
      },
      ctx('nats:frames'),
    )(input).pipe(
      tap(() => (acked += 1)),
      toArray(),
    ),
  )
  let seq = 0
  const publishOne = (m) => {
    seq += 1
    const at = Math.max(Date.now(), m.lastAt + 1)
    m.lastAt = at
    input.next({ ...m.frame, meta: { seq, receivedAt: at, source: m.id } })
    return 1
  }
  const cpu0 = cpuMs()
  const published =
    rate === 'max'
      ? await driveMax(list, publishOne, total, () => seq - acked)
      : await drivePaced(list, publishOne)
  input.complete()
  await acks
  const cpu = cpuMs() - cpu0
  await nc.drain()
  return { published, acked, retried: 0, cpuMs: cpu }
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
    if (wait > 0) await sleep(wait)
    else await new Promise((r) => setImmediate(r))
  }
  return published
}

/** As fast as possible, at most 20 000 frames waiting for their PubAck. */
async function driveMax(list, publishOne, total, waiting) {
  let published = 0
  let i = 0
  while (published < total) {
    while (waiting() > 20_000) await new Promise((r) => setTimeout(r, 1))
    for (let k = 0; k < 500 && published < total; k += 1)
      published += publishOne(list[i++ % list.length])
    await new Promise((r) => setImmediate(r))
  }
  return published
}

// ---------------------------------------------------------------- server process
/** A real pipeline node (durable consumer → postgres stage, or a sink that acks at once), reporting acks and lags. */
async function serverProcess({ natsUrl, pgUrl, site, schema, sink, spool, maxAckPending }) {
  let acked = 0
  let lags = []
  const timed = (inner) => ({
    ...inner,
    create: (options, c, di) => {
      const created = inner.create(options, c, di)
      const stage = created.stage ?? created
      return {
        ...(created.dispose !== undefined ? { dispose: created.dispose } : {}),
        stage: (input) => {
          const sent = new Map()
          return stage(input.pipe(tap((f) => sent.set(f.meta.seq, f.meta.receivedAt)))).pipe(
            tap((ack) => {
              const at = sent.get(ack.seq)
              sent.delete(ack.seq)
              if (at !== undefined) lags.push(Date.now() - at)
              acked += 1
            }),
          )
        },
      }
    },
  })
  const nullSink = {
    role: 'sink',
    summary: 'acks at once',
    options: { safeParse: (d) => ({ success: true, data: d }) },
    create: (_o, c) => (input) => input.pipe(map((f) => ({ seq: f.meta.seq, sink: c.stage }))),
  }
  const registry = {
    ...BUILTIN_STAGES,
    'timed-postgres': timed(BUILTIN_STAGES.postgres),
    'timed-null': timed(nullSink),
  }
  const store =
    sink === 'null'
      ? '{ type: timed-null, node: server, from: frames, buffer: { size: 200000, inFlight: 20000 } }'
      : `{ type: timed-postgres, node: server, from: frames, url: "${pgUrl}", schema: ${schema}, retentionDays: 0, batchSize: 5000, flushMs: 100, spool: { dir: "${spool}" }, buffer: { size: 200000, inFlight: 20000 } }`
  const config = await parseConfig(
    `site: ${site}
nats: { servers: ["${natsUrl}"], stream: { storage: file, maxAgeMs: 3600000, maxBytes: -1, partitions: ${PARTITIONS} }, consumer: { maxAckPending: ${maxAckPending}, ackWaitMs: 60000, batch: 256, leaseMs: 3000 } }
diagnostics: { logIntervalMs: 0 }
shutdown: { timeoutMs: 60000 }
stages:
  meter: { type: simulator, node: pi }
  frames: { type: tic-decode, node: pi, from: meter }
  store: ${store}
`,
    { registry },
  )
  const node = await startNode(config, { node: 'server', platform: { logger: stderrLogger() } })
  const cpu0 = cpuMs()
  const report = setInterval(() => {
    process.send({ acked, lags, cpuMs: cpuMs() - cpu0 })
    lags = []
  }, 250)
  // Partitioned: the processes share the partitions after a lease (leaseMs 3 s) of announcing.
  if (PARTITIONS > 1) await sleep(4500)
  process.send({ ready: true })
  await new Promise((resolve) => process.on('message', (m) => m === 'stop' && resolve()))
  node.stop()
  await node.done
  clearInterval(report)
  process.send({ acked, lags, cpuMs: cpuMs() - cpu0, stopped: true })
}

// ---------------------------------------------------------------- orchestration
async function freePort() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port
      s.close(() => resolve(port))
    })
  })
}
async function waitPort(port, ms = 20_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const c = tcpConnect(port, '127.0.0.1')
      c.on('connect', () => {
        c.destroy()
        resolve(true)
      })
      c.on('error', () => resolve(false))
    })
    if (ok) return
    await sleep(50)
  }
  throw new Error(`port ${port} not listening`)
}

/** Our own nats-server (restartable, CPU countable). */
async function startNats(dir, port) {
  const child = spawn(
    'nats-server',
    ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dir, 'js')],
    { stdio: 'ignore' },
  )
  await waitPort(port)
  return child
}

/** A private PostgreSQL cluster (restartable without disturbing anyone), or null when it cannot be made. */
function privatePostgres(dir, port) {
  const bin = existsSync('/usr/lib/postgresql')
    ? join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().pop(), 'bin')
    : ''
  const data = join(dir, 'pg')
  const asPg = (cmd) =>
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { stdio: 'ignore' })
  execFileSync('chmod', ['777', dir])
  asPg(`${bin}/initdb -D ${data} -A trust -U root >/dev/null`)
  const ctl = (action) =>
    asPg(
      `${bin}/pg_ctl -D ${data} -w -m fast -l ${data}.log -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" ${action}`,
    )
  ctl('start')
  return {
    url: `postgres://root@127.0.0.1:${port}/postgres`,
    restart: () => ctl('restart'),
    stop: () => ctl('stop'),
    pids: () => clusterPids(data),
  }
}
/** The postmaster of a cluster and its children (backends, writers). */
function clusterPids(data) {
  try {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
    const children = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return (
            Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]) ===
            postmaster
          )
        } catch {
          return false
        }
      })
    return [postmaster, ...children.map(Number)]
  } catch {
    return []
  }
}
function pgPids(data) {
  const out = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue
      if (
        data === undefined ||
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(data) ||
        readFileSync(`/proc/${pid}/environ`, 'utf8').includes(data)
      )
        out.push(Number(pid))
    } catch {}
  }
  return out
}
const sumCpu = (pids) => pids.reduce((s, p) => s + procCpuMs(p), 0)

async function runScenario(
  name,
  {
    nats,
    pg: pgInfo,
    n,
    rate,
    total,
    servers = SERVERS,
    sink = 'postgres',
    publisher = PUBLISHER,
    fault,
  },
) {
  const site = `bench${randomBytes(4).toString('hex')}`
  const schema = `bench_${randomBytes(4).toString('hex')}`
  const spool = mkdtempSync(join(tmpdir(), 'linky-bench-spool-'))
  const procs = []
  const state = []
  const windows = []
  let started = Date.now()
  for (let i = 0; i < servers; i += 1) {
    const child = fork(SELF, [], {
      execArgv: env.BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_PROF_DIR}`] : [],
      env: {
        ...env,
        BENCH_ROLE: 'server',
        BENCH_ARGS: JSON.stringify({
          natsUrl: nats.url,
          pgUrl: pgInfo.url,
          site,
          schema,
          sink,
          spool: `${spool}/${i}`,
          maxAckPending:
            publisher === 'gateway'
              ? Math.ceil(5000 / BATCH)
              : Number(env.BENCH_MAX_ACK_PENDING ?? 5000),
        }),
      },
    })
    const s = { acked: 0, lags: [], cpuMs: 0, ready: false, stopped: false }
    child.on('message', (m) => {
      if (m.ready) s.ready = true
      if (m.acked !== undefined) {
        s.acked = m.acked
        s.cpuMs = m.cpuMs
        for (const l of m.lags) s.lags.push(l)
        // Lags by 5 s window of the run (when the acks came): the start-up transient vs steady state.
        const w = Math.floor((Date.now() - started) / 5000)
        for (const l of m.lags) (windows[w] ??= []).push(l)
        if (m.stopped) s.stopped = true
      }
    })
    procs.push(child)
    state.push(s)
  }
  while (!state.every((s) => s.ready)) await sleep(20)
  const natsCpu0 = procCpuMs(nats.child.pid)
  const pgPidList = pgInfo.pids()
  const pgCpu0 = sumCpu(pgPidList)
  started = Date.now()
  windows.length = 0
  const totalAcked = () => state.reduce((a, s) => a + s.acked, 0)
  // Acks per 250 ms (catch-up rate after a fault).
  const timeline = []
  const sampler = setInterval(() => timeline.push([Date.now() - started, totalAcked()]), 250)
  const pub = fork(SELF, [], {
    env: {
      ...env,
      BENCH_ROLE: 'publisher',
      BENCH_ARGS: JSON.stringify({
        natsUrl: nats.url,
        site,
        n,
        rate,
        total,
        batch: BATCH,
        publisher,
      }),
    },
  })
  const result = new Promise((resolve, reject) => {
    pub.on('message', resolve)
    pub.on('exit', (code) => code !== 0 && reject(new Error(`publisher exited ${code}`)))
  })
  let faultAt
  let faultSeconds
  if (fault !== undefined) {
    await sleep((SECONDS * 1000) / 2)
    faultAt = Date.now() - started
    const t0 = Date.now()
    await fault()
    faultSeconds = (Date.now() - t0) / 1000
  }
  const published = await result
  while (totalAcked() < published.acked) await sleep(20)
  const elapsed = (Date.now() - started) / 1000
  clearInterval(sampler)
  const natsCpu = fault === undefined ? procCpuMs(nats.child.pid) - natsCpu0 : null
  const pgCpu = sumCpu(pgInfo.pids()) - pgCpu0
  for (const p of procs) p.send('stop')
  while (!state.every((s) => s.stopped)) await sleep(20)
  let rows = null
  let distinct = null
  if (sink === 'postgres') {
    const db = new pg.Client({ connectionString: pgInfo.url })
    await db.connect()
    const r = (
      await db.query(
        `select count(*)::int as n, count(distinct (meter, t))::int as d from ${schema}.samples`,
      )
    ).rows[0]
    rows = r.n
    distinct = r.d
    await db.query(`drop schema ${schema} cascade`)
    await db.end()
  }
  rmSync(spool, { recursive: true, force: true })
  const nc = await connect({ servers: nats.url })
  await (await jetstreamManager(nc)).streams.delete(defaultStreamName(site)).catch(() => false)
  await nc.close()
  const lags = state.flatMap((s) => s.lags).sort((a, b) => a - b)
  const frames = published.acked
  const serverCpu = state.reduce((a, s) => a + s.cpuMs, 0)
  // Sustained: frames over the time from the first to the last ack; catch-up: best 1 s of acks after the fault.
  const firstAck = timeline.find(([, a]) => a > 0)?.[0] ?? 0
  const lastAck = timeline.find(([, a]) => a >= frames)?.[0] ?? elapsed * 1000
  let catchUp = null
  if (faultAt !== undefined) {
    let best = 0
    for (let i = 0; i + 4 < timeline.length; i += 1)
      if (timeline[i][0] >= faultAt) best = Math.max(best, timeline[i + 4][1] - timeline[i][1])
    catchUp = best
  }
  const line = {
    bench: 'pipeline.nats-postgres',
    scenario: name,
    publisher,
    wire: WIRE,
    partitions: PARTITIONS,
    ...(publisher === 'gateway' ? { batchFrames: BATCH } : {}),
    sink,
    servers,
    meters: n,
    frames,
    seconds: Number(elapsed.toFixed(2)),
    framesPerSec: Math.round(frames / Math.max(0.001, (lastAck - firstAck) / 1000)),
    ...(rate === 'paced' ? { offeredPerSec: n } : {}),
    lagP50Ms: percentile(lags, 50),
    lagP99Ms: percentile(lags, 99),
    lagMaxMs: lags.at(-1) ?? null,
    // [window start (s), lag p50, lag p99 (ms)] of the acks in each 5 s window of the run.
    lagByWindow: windows.map((w, i) => {
      const sorted = (w ?? []).sort((a, b) => a - b)
      return [i * 5, percentile(sorted, 50), percentile(sorted, 99)]
    }),
    ...(sink === 'postgres' ? { lost: frames - distinct, duplicatedRows: rows - distinct } : {}),
    redelivered: Math.max(0, totalAcked() - frames),
    publishRetries: published.retried,
    cpuUsPerFrame: {
      publisher: Math.round((published.cpuMs * 1000) / frames),
      // Not counted across a restart (the process changes); PostgreSQL's only for a private cluster without a restart.
      natsServer: natsCpu === null ? null : Math.round((natsCpu * 1000) / frames),
      server: Math.round((serverCpu * 1000) / frames),
      ...(sink === 'postgres'
        ? {
            postgres: fault === undefined ? Math.round((pgCpu * 1000) / frames) : null,
            postgresShared: pgInfo.shared,
          }
        : {}),
    },
    ...(faultAt !== undefined
      ? { faultAtS: faultAt / 1000, faultDownS: faultSeconds, catchUpFramesPerSec: catchUp }
      : {}),
    loadavg: load(),
  }
  console.log(JSON.stringify(line))
  return line
}

/** The generator alone: pre-encoded messages per second (what the fleet publisher does per frame, minus NATS). */
function generatorAlone(n) {
  const list = meters(n)
  const encoder = new TextEncoder()
  const total = 200_000
  const t0 = performance.now()
  const c0 = cpuMs()
  let bytes = 0
  for (let i = 0; i < total; i += 1) {
    const { payload } = nextMessage(list[i % n], encoder)
    const h = headers()
    h.set('Nats-Msg-Id', 'x')
    bytes += payload.length
  }
  const s = (performance.now() - t0) / 1000
  console.log(
    JSON.stringify({
      bench: 'pipeline.nats-postgres',
      scenario: 'generator',
      wire: WIRE,
      meters: n,
      frames: total,
      framesPerSec: Math.round(total / s),
      cpuUsPerFrame: Number((((cpuMs() - c0) * 1000) / total).toFixed(2)),
      bytesPerFrame: Math.round(bytes / total),
      loadavg: load(),
    }),
  )
}

if (env.BENCH_ROLE === 'publisher') {
  const args = JSON.parse(env.BENCH_ARGS)
  process.send(
    args.publisher === 'gateway' ? await gatewayPublisher(args) : await fleetPublisher(args),
  )
  process.exit(0)
} else if (env.BENCH_ROLE === 'server') {
  await serverProcess(JSON.parse(env.BENCH_ARGS))
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'linky-bench-nats-'))
const natsPort = await freePort()
const nats = { url: `nats://127.0.0.1:${natsPort}`, child: await startNats(dir, natsPort) }
const sharedPg = {
  url: env.LINKY_PG_URL ?? 'postgres://root@127.0.0.1:5432/test',
  pids: () => pgPids(undefined),
  shared: true,
}
let privatePg
try {
  const n = Math.max(...METERS)
  if (SCENARIOS.includes('generator')) generatorAlone(n)
  if (SCENARIOS.includes('hop'))
    await runScenario('hop', {
      nats,
      pg: sharedPg,
      n: 1000,
      rate: 'max',
      total: MAX_FRAMES,
      sink: 'null',
    })
  if (SCENARIOS.includes('max'))
    await runScenario('max', { nats, pg: sharedPg, n: 1000, rate: 'max', total: MAX_FRAMES })
  if (SCENARIOS.includes('paced'))
    for (const m of METERS) await runScenario('paced', { nats, pg: sharedPg, n: m, rate: 'paced' })
  if (SCENARIOS.includes('scale'))
    for (const servers of (env.BENCH_SCALE ?? '1,2').split(',').map(Number))
      await runScenario('scale', {
        nats,
        pg: sharedPg,
        n: 1000,
        rate: 'max',
        total: MAX_FRAMES,
        servers,
      })
  const faultMeters = Number(env.BENCH_FAULT_METERS ?? n)
  if (FAULTS.includes('nats')) {
    await runScenario('nats-restart', {
      nats,
      pg: sharedPg,
      n: faultMeters,
      rate: 'paced',
      fault: async () => {
        nats.child.kill('SIGTERM')
        await new Promise((r) => nats.child.once('exit', r))
        await sleep(1000)
        nats.child = await startNats(dir, natsPort)
      },
    })
  }
  if (
    SCENARIOS.includes('max-private-pg') ||
    SCENARIOS.includes('paced-private-pg') ||
    FAULTS.includes('pg')
  )
    privatePg = privatePostgres(dir, await freePort())
  // The full path into a PostgreSQL cluster of our own: its CPU per frame is not mixed with other users'.
  if (SCENARIOS.includes('max-private-pg'))
    await runScenario('max-private-pg', {
      nats,
      pg: { ...privatePg, shared: false },
      n: 1000,
      rate: 'max',
      total: MAX_FRAMES,
    })
  // Paced into our own cluster: PostgreSQL's CPU per frame of the paced load, without other users'.
  if (SCENARIOS.includes('paced-private-pg'))
    for (const m of METERS)
      await runScenario('paced-private-pg', {
        nats,
        pg: { ...privatePg, shared: false },
        n: m,
        rate: 'paced',
      })
  if (FAULTS.includes('pg')) {
    await runScenario('pg-restart', {
      nats,
      pg: { ...privatePg, shared: false },
      n: faultMeters,
      rate: 'paced',
      fault: async () => privatePg.restart(),
    })
  }
} finally {
  privatePg?.stop()
  nats.child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
