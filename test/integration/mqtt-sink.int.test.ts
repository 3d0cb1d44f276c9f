import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Subject, from, lastValueFrom, toArray } from 'rxjs'
import { afterAll, expect, it } from 'vitest'
import { TRV_CATALOGUE, pricesOn } from '@linkyrpi/analytics'
import { createStage } from '@linkyrpi/pipeline'
import { MqttAuthError, mqttSink } from '@linkyrpi/sink-mqtt'
import type { MqttSinkOptions } from '@linkyrpi/sink-mqtt'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'
import type { Ack, PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import { contractContext, describeSinkContract } from '../contracts/sink-contract.js'
import { contractFrames } from '../contracts/contract-frames.js'
import { MqttRecorder, startOwnBroker, testPrefix } from '../support/mqtt.js'
import { freePort } from '../support/ports.js'
import { MQTT_URL, describeWithService, tcpReachable } from '../support/services.js'
import { EXPECTED_ENTITIES } from './mqtt-expected.js'

const broker = new URL(MQTT_URL)
const up = await tcpReachable(broker.hostname, Number(broker.port || 1883))
const recorders: MqttRecorder[] = []

/** A recorder on the test's own prefixes; its retained messages are deleted after the file. */
async function record(
  prefix: string,
  discoveryPrefix: string,
  url = MQTT_URL,
): Promise<MqttRecorder> {
  const rec = await MqttRecorder.open(url, [`${prefix}/#`, `${discoveryPrefix}/#`])
  recorders.push(rec)
  return rec
}

function options(prefix: string, extra: Partial<MqttSinkOptions> = {}): MqttSinkOptions {
  return {
    url: MQTT_URL,
    prefix,
    discoveryPrefix: `${prefix}-ha`,
    measurementIntervalMs: 0,
    lang: 'en',
    reconnectMinMs: 100,
    reconnectMaxMs: 500,
    ...extra,
  }
}

/** The discovery configs recorded for `meter`, by entity key. */
function configsOf(
  rec: MqttRecorder,
  discoveryPrefix: string,
  meter: string,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>()
  for (const [topic, m] of rec.last) {
    const match = new RegExp(
      `^${discoveryPrefix}/(sensor|binary_sensor)/linkyrpi_${meter}/([a-z0-9_]+)/config$`,
    ).exec(topic)
    if (match !== null)
      out.set(match[2] as string, JSON.parse(m.payload) as Record<string, unknown>)
  }
  return out
}

const PROFILES: Readonly<Record<keyof typeof EXPECTED_ENTITIES, MeterSimulatorOptions>> = {
  'historique, single-phase, Base': { mode: 'historique', option: 'base' },
  'historique, three-phase, Tempo': { mode: 'historique', option: 'tempo', phases: 3 },
  'historique, EJP': { mode: 'historique', option: 'ejp' },
  'historique, CBEMM without PAPP, HC': { mode: 'historique', meter: 'cbemm', option: 'hc' },
  'standard, single-phase, HC': { mode: 'standard', option: 'hc' },
  'standard, single-phase, Tempo': { mode: 'standard', option: 'tempo' },
  'standard, three-phase, producer': {
    mode: 'standard',
    option: 'base',
    phases: 3,
    producer: true,
  },
}

describeWithService('mosquitto', up, 'MQTT sink against a real Mosquitto', () => {
  afterAll(async () => {
    for (const r of recorders) {
      await r.clearRetained()
      await r.close()
    }
  })

  describeSinkContract('mqtt (registry stage, real Mosquitto)', async (ctx) => {
    const prefix = testPrefix(ctx.stage)
    await record(prefix, `${prefix}-ha`)
    const made = await createStage<Sink<PipelineFrame>>(
      'mqtt',
      { url: MQTT_URL, prefix, discoveryPrefix: `${prefix}-ha`, measurementIntervalMs: 0 },
      ctx,
    )
    return { sink: made.stage }
  })

  for (const [profile, simulator] of Object.entries(PROFILES) as [
    keyof typeof EXPECTED_ENTITIES,
    MeterSimulatorOptions,
  ][]) {
    it(`announces exactly the documented entities from the first frame: ${profile}`, async () => {
      const prefix = testPrefix('profile')
      const rec = await record(prefix, `${prefix}-ha`)
      // One frame is enough: the contract's indexes (six for Tempo) are announced at once.
      const frames = contractFrames(1, { seed: 3, meter: simulator })
      const meter = frames[0]!.reading.meter.id as string
      await lastValueFrom(
        mqttSink(options(prefix), contractContext('profile'))(from(frames)).pipe(toArray()),
      )
      await rec.until(
        'availability offline',
        () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
      )
      const configs = configsOf(rec, `${prefix}-ha`, meter)
      expect([...configs.keys()].sort()).toEqual([...EXPECTED_ENTITIES[profile]].sort())
      for (const [key, c] of configs) {
        expect(c.unique_id).toBe(`linkyrpi_${meter}_${key}`)
        expect(c.default_entity_id).toBe(
          `${key === 'overpower' || /^(relay_|peak_|cover_|overvoltage|clock_|dry_|injecting)/.test(key) ? 'binary_sensor' : 'sensor'}.linky_${meter}_${key}`,
        )
        expect(c).not.toHaveProperty('object_id')
        expect(c.state_topic).toBe(`${prefix}/${meter}/state`)
        expect(c.availability_topic).toBe(`${prefix}/${meter}/availability`)
        expect(c.value_template).toBe(`{{ value_json.${key} }}`)
        expect((c.device as { identifiers: string[] }).identifiers).toEqual([`linkyrpi_${meter}`])
        expect((c.device as { serial_number: string }).serial_number).toBe(meter)
      }
      for (const [key, c] of configs) {
        if (/^index_\d+$/.test(key) || key === 'energy_import' || key === 'energy_export') {
          expect(c).toMatchObject({
            device_class: 'energy',
            state_class: 'total_increasing',
            unit_of_measurement: 'Wh',
          })
        } else if (/^(apparent_power|injected_power)/.test(key)) {
          expect(c).toMatchObject({
            device_class: 'apparent_power',
            state_class: 'measurement',
            unit_of_measurement: 'VA',
          })
        } else if (key.startsWith('current_')) {
          expect(c).toMatchObject({
            device_class: 'current',
            state_class: 'measurement',
            unit_of_measurement: 'A',
          })
        } else if (key.startsWith('voltage_')) {
          expect(c).toMatchObject({
            device_class: 'voltage',
            state_class: 'measurement',
            unit_of_measurement: 'V',
          })
        }
      }
      // The device: manufacturer and model from the ADS.
      const device = configs.get('overpower')!.device as Record<string, unknown>
      expect(device.manufacturer).toBe(frames[0]!.reading.meter.ads?.manufacturer)
      expect(device.model).toBe(frames[0]!.reading.meter.ads?.model)
      // Every topic is made of our own keys: no TIC label (with '+' or '-') reaches a topic.
      for (const m of rec.messages) expect(m.topic).toMatch(/^[A-Za-z0-9_/-]+$/)
      for (const m of rec.messages) expect(m.topic.replace(prefix, '')).not.toMatch(/[+#]|-1\b|\+1/)
    })
  }

  it('publishes the state on every release, retained, with the reading values; offline at clean shutdown', async () => {
    const prefix = testPrefix('state')
    const rec = await record(prefix, `${prefix}-ha`)
    const frames = contractFrames(6, { seed: 5, meter: { mode: 'standard', option: 'tempo' } })
    const meter = frames[0]!.reading.meter.id as string
    const input = new Subject<PipelineFrame>()
    const acks: Ack[] = []
    const done = lastValueFrom(
      mqttSink(options(prefix), contractContext('state'))(input).pipe(toArray()),
    ).then((a) => acks.push(...a))
    input.next(frames[0]!)
    await rec.until(
      'online',
      () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'online',
    )
    expect(rec.last.get(`${prefix}/${meter}/availability`)?.retain).toBe(false) // live delivery to a subscriber
    for (const f of frames.slice(1)) input.next(f)
    const lastReading = frames.at(-1)!.reading
    await rec.until(
      'last state',
      () =>
        rec.json(`${prefix}/${meter}/state`)?.apparent_power === lastReading.power.apparentVA &&
        rec.json(`${prefix}/${meter}/state`)?.index_1 === lastReading.energy.importByIndexWh[1],
    )
    const states = rec.messages.filter((m) => m.topic === `${prefix}/${meter}/state`)
    expect(states.length).toBeGreaterThanOrEqual(2)
    input.complete()
    await done
    expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
    await rec.until(
      'offline',
      () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
    )

    // A client that arrives later gets the retained state, discovery and availability.
    const late = await record(prefix, `${prefix}-ha`)
    await late.until(
      'retained state',
      () =>
        late.last.has(`${prefix}/${meter}/state`) &&
        late.last.has(`${prefix}/${meter}/availability`),
    )
    const state = late.last.get(`${prefix}/${meter}/state`)!
    expect(state.retain).toBe(true)
    const json = JSON.parse(state.payload) as Record<string, unknown>
    expect(json).toMatchObject({
      apparent_power: lastReading.power.apparentVA,
      voltage_l1: lastReading.voltage.rmsV?.[0],
      current_l1: lastReading.current.rmsA?.[0],
      energy_import: lastReading.energy.importWh,
      index_1: lastReading.energy.importByIndexWh[1],
      index_6: lastReading.energy.importByIndexWh[6],
      tempo_today: lastReading.period.tempoToday,
      period: lastReading.period.label,
      overpower: lastReading.alerts.includes('overpower') ? 'ON' : 'OFF',
      relay_1: lastReading.relays?.[0] === true ? 'ON' : 'OFF',
    })
    expect(late.last.get(`${prefix}/${meter}/availability`)).toMatchObject({
      payload: 'offline',
      retain: true,
    })
    await late.until(
      'retained discovery',
      () =>
        configsOf(late, `${prefix}-ha`, meter).size ===
        EXPECTED_ENTITIES['standard, single-phase, Tempo'].length,
    )
  })

  it('publishes no discovery with discovery: false, state and availability all the same', async () => {
    const prefix = testPrefix('nodisc')
    const rec = await record(prefix, `${prefix}-ha`)
    const frames = contractFrames(3, { seed: 14, meter: { mode: 'standard', option: 'hc' } })
    const meter = frames[0]!.reading.meter.id as string
    const acks = await lastValueFrom(
      mqttSink(
        options(prefix, { discovery: false }),
        contractContext('nodisc'),
      )(from(frames)).pipe(toArray()),
    )
    expect(acks).toHaveLength(3)
    await rec.until(
      'offline',
      () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
    )
    expect(rec.json(`${prefix}/${meter}/state`)?.apparent_power).toBe(
      frames[2]!.reading.power.apparentVA,
    )
    expect(rec.messages.filter((m) => m.topic.startsWith(`${prefix}-ha/`))).toEqual([])
  })

  it('publishes events (a period change) on the event topic, not retained', async () => {
    const prefix = testPrefix('event')
    const rec = await record(prefix, `${prefix}-ha`)
    // 05:50 in Paris on the default day: the off-peak period ends at 06:00 (simulator default).
    const start = Date.UTC(2026, 0, 12, 4, 50)
    const frames = contractFrames(20, {
      seed: 4,
      start,
      meter: { mode: 'historique', option: 'hc' },
    })
    const meter = frames[0]!.reading.meter.id as string
    const stage = await createStage<Sink<PipelineFrame>>(
      'mqtt',
      { url: MQTT_URL, prefix, discoveryPrefix: `${prefix}-ha`, measurementIntervalMs: 0 },
      contractContext('event'),
    )
    await lastValueFrom(stage.stage(from(frames)).pipe(toArray()))
    await rec.until('an event', () =>
      rec.messages.some((m) => m.topic === `${prefix}/${meter}/event`),
    )
    const events = rec.messages
      .filter((m) => m.topic === `${prefix}/${meter}/event`)
      .map((m) => JSON.parse(m.payload) as { kind: string; detail: Record<string, unknown> })
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'period-change',
        detail: expect.objectContaining({ from: 1, to: 2 }),
      }),
    )
    expect(
      rec.messages.filter((m) => m.topic === `${prefix}/${meter}/event`).every((m) => !m.retain),
    ).toBe(true)
  })

  it('the registry stage adds a monetary price (EUR/kWh) and a cost of the day (EUR) from the price catalogue', async () => {
    const prefix = testPrefix('cost')
    const rec = await record(prefix, `${prefix}-ha`)
    // HP/HC, 05:30 → 06:30 in Paris: off-peak then peak, one frame a minute.
    const frames = contractFrames(60, {
      seed: 12,
      start: Date.UTC(2026, 0, 12, 4, 30),
      meter: { mode: 'historique', option: 'hc' },
    })
    const meter = frames[0]!.reading.meter.id as string
    const stage = await createStage<Sink<PipelineFrame>>(
      'mqtt',
      { url: MQTT_URL, prefix, discoveryPrefix: `${prefix}-ha`, measurementIntervalMs: 0 },
      contractContext('cost'),
    )
    await lastValueFrom(stage.stage(from(frames)).pipe(toArray()))
    await rec.until(
      'offline',
      () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
    )
    const configs = configsOf(rec, `${prefix}-ha`, meter)
    expect(configs.get('price')).toMatchObject({
      device_class: 'monetary',
      unit_of_measurement: 'EUR/kWh',
      unique_id: `linkyrpi_${meter}_price`,
    })
    expect(configs.get('cost_today')).toMatchObject({
      device_class: 'monetary',
      unit_of_measurement: 'EUR',
      state_class: 'total_increasing',
    })
    const kva = Math.round(frames[0]!.reading.contract.subscribedVA! / 1000)
    const prices = pricesOn(TRV_CATALOGUE, '2026-01-12', 'hc', kva)!
    const first = frames[0]!.reading.energy.importByIndexWh
    const last = frames.at(-1)!.reading
    const expected =
      ((last.energy.importByIndexWh[1]! - first[1]!) / 1000) * prices.energy.hc! +
      ((last.energy.importByIndexWh[2]! - first[2]!) / 1000) * prices.energy.hp!
    expect(last.period.index).toBe(2)
    const state = rec.json(`${prefix}/${meter}/state`)!
    expect(state.price).toBe(prices.energy.hp)
    expect(state.cost_today).toBeCloseTo(expected, 3)
    expect(state.cost_today as number).toBeGreaterThan(0)
  })

  it('two meters on one broker share no unique_id and no topic', async () => {
    const prefix = testPrefix('two')
    const rec = await record(prefix, `${prefix}-ha`)
    const a = contractFrames(3, { seed: 21, meter: { mode: 'standard', option: 'hc' } })
    const b = contractFrames(3, { seed: 22, meter: { mode: 'standard', option: 'hc', phases: 3 } })
    const ma = a[0]!.reading.meter.id as string
    const mb = b[0]!.reading.meter.id as string
    expect(ma).not.toBe(mb)
    const frames = [a[0], b[0], a[1], b[1], a[2], b[2]].map((f, i) => ({
      ...f!,
      meta: { ...f!.meta, seq: i + 1 },
    }))
    const acks = await lastValueFrom(
      mqttSink(options(prefix), contractContext('two'))(from(frames)).pipe(toArray()),
    )
    expect(acks.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6])
    await rec.until(
      'both offline',
      () =>
        rec.last.get(`${prefix}/${ma}/availability`)?.payload === 'offline' &&
        rec.last.get(`${prefix}/${mb}/availability`)?.payload === 'offline',
    )
    const ida = [...configsOf(rec, `${prefix}-ha`, ma).values()].map((c) => c.unique_id as string)
    const idb = [...configsOf(rec, `${prefix}-ha`, mb).values()].map((c) => c.unique_id as string)
    expect(ida.length).toBeGreaterThan(10)
    expect(idb.length).toBeGreaterThan(ida.length) // three phases: more entities
    expect(ida.filter((id) => idb.includes(id))).toEqual([])
    expect(new Set([...ida, ...idb]).size).toBe(ida.length + idb.length)
  })

  it('publishes discovery again when Home Assistant says online', async () => {
    const prefix = testPrefix('hastatus')
    const rec = await record(prefix, `${prefix}-ha`)
    const frames = contractFrames(2, { seed: 6, meter: { mode: 'historique', option: 'hc' } })
    const meter = frames[0]!.reading.meter.id as string
    const input = new Subject<PipelineFrame>()
    const done = lastValueFrom(
      mqttSink(options(prefix), contractContext('hastatus'))(input).pipe(toArray()),
    )
    input.next(frames[0]!)
    const configTopic = `${prefix}-ha/sensor/linkyrpi_${meter}/index_2/config`
    await rec.until('discovery', () => rec.last.has(configTopic))
    const before = rec.messages.filter((m) => m.topic === configTopic).length
    await rec.client.publishAsync(`${prefix}-ha/status`, 'online', { qos: 1 })
    await rec.until(
      'discovery again',
      () => rec.messages.filter((m) => m.topic === configTopic).length > before,
    )
    input.next(frames[1]!)
    input.complete()
    await done
  })

  it('reconnects after the broker restarts and publishes availability, discovery and the latest state again', async () => {
    const own = await startOwnBroker(await freePort())
    try {
      const prefix = testPrefix('restart')
      const frames = contractFrames(8, { seed: 7, meter: { mode: 'standard', option: 'hc' } })
      const meter = frames[0]!.reading.meter.id as string
      const rec1 = await MqttRecorder.open(own.url, [`${prefix}/#`])
      const input = new Subject<PipelineFrame>()
      const acks: number[] = []
      const events: string[] = []
      const ctx = contractContext('restart')
      const sink = mqttSink(
        { ...options(prefix, { url: own.url }) },
        { ...ctx, diagnostics: { report: (e) => e.kind === 'state' && events.push(e.state) } },
      )
      const done = new Promise<void>((resolve, reject) =>
        sink(input).subscribe({ next: (a) => acks.push(a.seq), error: reject, complete: resolve }),
      )
      for (const f of frames.slice(0, 3)) input.next(f)
      await rec1.until(
        'first state',
        () =>
          rec1.json(`${prefix}/${meter}/state`)?.apparent_power ===
          frames[2]!.reading.power.apparentVA,
      )
      await rec1.client.endAsync(true)

      await own.stop()
      // Frames during the outage: folded into the latest state, not acknowledged yet.
      for (const f of frames.slice(3)) input.next(f)
      await new Promise((r) => setTimeout(r, 300))
      expect(acks.length).toBeLessThanOrEqual(3)
      await own.start()

      // The restarted broker has no persistence: whatever it holds was published again.
      const rec2 = await MqttRecorder.open(own.url, [`${prefix}/#`, `${prefix}-ha/#`])
      const last = frames.at(-1)!.reading
      await rec2.until(
        'state and discovery after the restart',
        () =>
          rec2.json(`${prefix}/${meter}/state`)?.apparent_power === last.power.apparentVA &&
          rec2.json(`${prefix}/${meter}/state`)?.index_2 === last.energy.importByIndexWh[2] &&
          rec2.last.get(`${prefix}/${meter}/availability`)?.payload === 'online' &&
          configsOf(rec2, `${prefix}-ha`, meter).size ===
            EXPECTED_ENTITIES['standard, single-phase, HC'].length,
        15_000,
      )
      await new Promise<void>((resolve) => {
        const check = (): void =>
          acks.length === frames.length ? resolve() : void setTimeout(check, 20)
        check()
      })
      expect(acks).toEqual(frames.map((f) => f.meta.seq))
      expect(events).toContain('reconnecting')
      expect(events.filter((e) => e === 'connected').length).toBeGreaterThanOrEqual(2)
      input.complete()
      await done
      await rec2.until(
        'offline',
        () => rec2.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
      )
      await rec2.close()
    } finally {
      await own.dispose()
    }
  }, 40_000)

  it('stops with MqttAuthError when the broker refuses the credentials (no endless retry)', async () => {
    const own = await startOwnBroker(await freePort(), false)
    try {
      const frames = contractFrames(2, { seed: 10 })
      const sink = mqttSink(
        options(testPrefix('auth'), { url: own.url, username: 'nobody', password: 'wrong' }),
        contractContext('auth'),
      )
      const error = await lastValueFrom(sink(from(frames)).pipe(toArray())).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(MqttAuthError)
      expect((error as MqttAuthError).transient).toBe(false)
    } finally {
      await own.dispose()
    }
  })

  it('the broker publishes the last will (offline, retained) when the process is SIGKILLed', async () => {
    const prefix = testPrefix('kill')
    const rec = await record(prefix, `${prefix}-ha`)
    const root = fileURLToPath(new URL('../../', import.meta.url))
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        CHILD,
        pathToFileURL(join(root, 'packages/sink-mqtt/dist/index.js')).href,
        MQTT_URL,
        prefix,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const frames = contractFrames(2, { seed: 8, meter: { mode: 'historique', option: 'base' } })
    const meter = frames[0]!.reading.meter.id as string
    child.stdin.write(`${JSON.stringify(frames)}\n`)
    await rec
      .until(
        'online from the child',
        () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'online',
        15_000,
      )
      .catch((e: unknown) => {
        throw new Error(`${String(e)}; child stderr: ${stderr}`)
      })
    await rec.until('state from the child', () => rec.last.has(`${prefix}/${meter}/state`))
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    await rec.until(
      'offline by the last will',
      () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
    )
    const late = await record(prefix, `${prefix}-ha`)
    await late.until(
      'retained offline',
      () => late.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
    )
    expect(late.last.get(`${prefix}/${meter}/availability`)?.retain).toBe(true)
  })
})

// The child: the built sink over frames read from stdin as JSON, an input that never completes.
const CHILD = `
const [dist, url, prefix] = process.argv.slice(1)
const { mqttSink } = await import(dist)
const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent } }
const ctx = { stage: 'kill', logger: silent, diagnostics: { report() {} }, now: () => Date.now() }
let text = ''
process.stdin.on('data', (d) => {
  text += d
  if (!text.endsWith('\\n')) return
  const frames = JSON.parse(text)
  const input = { subscribe(o) { for (const f of frames) o.next(f); return { unsubscribe() {} } } }
  mqttSink({ url, prefix, discoveryPrefix: prefix + '-ha', measurementIntervalMs: 0 }, ctx)(input).subscribe({ error: (e) => { process.stderr.write(String(e)); process.exit(1) } })
})
`
