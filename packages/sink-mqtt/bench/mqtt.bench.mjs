// Benchmark: frames/s through the MQTT sink (Home Assistant discovery on, QoS 1, retained state,
// every frame released: measurementIntervalMs 0, the worst case; and the default 5 s throttle)
// for 1, 2 and 4 meters, against the baseline of the same number of raw mqtt.js publishAsync
// calls (QoS 1, retained, the sink's state payload) on one connection in the same run, both timed
// once connected (the sink's first frame per meter is sent before the clock starts); plus the
// sink's CPU cost per frame without the network (MeterState.fold + the state JSON).
// Needs the built dist (pnpm build) and a broker: LINKY_MQTT_URL (default mqtt://127.0.0.1:1883).
// Settings: BENCH_MQTT_FRAMES per meter (default 3000). Prints JSON lines.
// Run: pnpm bench mqtt
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Subject } from 'rxjs'
import { connect } from 'mqtt'
import { createTicDecoder } from '@linkyrpi/tic-core'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { MeterState, deviceOf, mqttSink } from '@linkyrpi/sink-mqtt'

const URL = process.env.LINKY_MQTT_URL ?? 'mqtt://127.0.0.1:1883'
const FRAMES = Number(process.env.BENCH_MQTT_FRAMES ?? 3000)
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent }
const ctx = { stage: 'bench', logger: silent, diagnostics: { report() {} }, now: () => Date.now() }

/** `FRAMES` frames of each of `meters` simulated standard Tempo meters (one per second), interleaved. */
function frames(meters) {
  const per = []
  for (let m = 0; m < meters; m++) {
    const sim = createMeterSimulator({
      mode: 'standard',
      option: 'tempo',
      seed: 100 + m,
      intervalMs: 1000,
    })
    const dec = createTicDecoder({ reading: true })
    const out = []
    while (out.length < FRAMES) {
      const s = sim.next()
      for (const e of dec.push(s.bytes))
        if (e.kind === 'frame' && e.frame.reading)
          out.push({
            ...e.frame,
            reading: e.frame.reading,
            meta: { seq: 0, receivedAt: s.at, source: 'bench' },
          })
    }
    per.push(out)
  }
  const all = []
  for (let i = 0; i < FRAMES; i++)
    for (const p of per) all.push({ ...p[i], meta: { ...p[i].meta, seq: all.length + 1 } })
  return all
}

async function clear(prefix, topics) {
  const c = connect(URL, { reconnectPeriod: 0 })
  await new Promise((r, j) => (c.once('connect', r), c.once('error', j)))
  await Promise.all([...topics].map((t) => c.publishAsync(t, '', { qos: 1, retain: true })))
  // Discovery configs: subscribe to collect the retained ones under the test prefix, then delete them.
  const seen = new Set()
  c.on('message', (t, p) => p.length > 0 && seen.add(t))
  await c.subscribeAsync([`${prefix}/#`, `${prefix}-ha/#`])
  await new Promise((r) => setTimeout(r, 300))
  await Promise.all([...seen].map((t) => c.publishAsync(t, '', { qos: 1, retain: true })))
  await c.endAsync()
}

/** Runs the sink: one frame per meter first, then (once every meter is online) the timed rest. */
async function sinkRun(input, measurementIntervalMs) {
  const prefix = `linkyrpi-bench-${randomBytes(3).toString('hex')}`
  const meters = [...new Set(input.map((f) => f.reading.meter.id))]
  const watcher = connect(URL, { reconnectPeriod: 0 })
  await new Promise((r, j) => (watcher.once('connect', r), watcher.once('error', j)))
  const online = new Set()
  watcher.on('message', (t, p) => p.toString() === 'online' && online.add(t))
  await watcher.subscribeAsync(`${prefix}/+/availability`)
  const subject = new Subject()
  let acks = 0
  let t0 = 0
  const done = new Promise((resolve, reject) =>
    mqttSink(
      { url: URL, prefix, discoveryPrefix: `${prefix}-ha`, measurementIntervalMs },
      ctx,
    )(subject).subscribe({ next: () => acks++, error: reject, complete: resolve }),
  )
  const warm = meters.length
  for (const f of input.slice(0, warm)) subject.next(f)
  while (online.size < meters.length || acks < warm) await new Promise((r) => setTimeout(r, 5))
  t0 = performance.now()
  for (const f of input.slice(warm)) subject.next(f)
  subject.complete()
  await done
  const s = (performance.now() - t0) / 1000
  await watcher.endAsync()
  await clear(
    prefix,
    meters.flatMap((m) => [`${prefix}/${m}/state`, `${prefix}/${m}/availability`]),
  )
  return { acks: acks - warm, s }
}

async function rawRun(input) {
  const prefix = `linkyrpi-bench-raw-${randomBytes(3).toString('hex')}`
  const state = new MeterState({ measurementIntervalMs: 0, energyIntervalMs: 0 }, (r) =>
    deviceOf('x', r),
  )
  state.fold(input[0].reading, input[0].meta.receivedAt)
  const payload = state.stateJson()
  const c = connect(URL, { reconnectPeriod: 0 })
  await new Promise((r, j) => (c.once('connect', r), c.once('error', j)))
  const t0 = performance.now()
  await Promise.all(
    input.map((f) =>
      c.publishAsync(`${prefix}/${f.reading.meter.id}/state`, payload, { qos: 1, retain: true }),
    ),
  )
  const s = (performance.now() - t0) / 1000
  await c.endAsync()
  await clear(prefix, new Set(input.map((f) => `${prefix}/${f.reading.meter.id}/state`)))
  return { s, payloadBytes: payload.length }
}

function cpuPerFrame(input) {
  const states = new Map()
  let bytes = 0
  let released = 0
  const t0 = performance.now()
  for (const f of input) {
    let s = states.get(f.reading.meter.id)
    if (s === undefined)
      states.set(
        f.reading.meter.id,
        (s = new MeterState({ measurementIntervalMs: 0, energyIntervalMs: 0 }, (r) =>
          deviceOf(f.reading.meter.id, r),
        )),
      )
    if (s.fold(f.reading, f.meta.receivedAt).stateChanged) {
      bytes += s.stateJson().length
      released++
    }
  }
  return {
    usPerFrame: ((performance.now() - t0) * 1000) / input.length,
    released,
    meanStateBytes: Math.round(bytes / Math.max(1, released)),
  }
}

for (const meters of [1, 2, 4]) {
  const input = frames(meters)
  cpuPerFrame(input) // warm-up (JIT)
  const cpu = cpuPerFrame(input)
  const raw = await rawRun(input)
  const every = await sinkRun(input, 0)
  const throttled = await sinkRun(input, 5000)
  console.log(
    JSON.stringify({
      bench: 'mqtt-sink',
      meters,
      frames: input.length,
      sinkEveryFrameFramesPerSec: Math.round(every.acks / every.s),
      sinkThrottled5sFramesPerSec: Math.round(throttled.acks / throttled.s),
      baselineRawPublishPerSec: Math.round(input.length / raw.s),
      statePayloadBytes: raw.payloadBytes,
      sinkCpuUsPerFrame: Number(cpu.usPerFrame.toFixed(2)),
      releasedFramesEveryFrame: cpu.released,
      url: URL,
    }),
  )
}
