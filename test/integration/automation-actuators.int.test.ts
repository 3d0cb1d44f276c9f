import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  gpioActuator,
  httpActuator,
  mqttActuator,
  natsActuator,
  shellActuator,
} from '@linkyrpi/automation'
import { connect as natsConnect } from '@nats-io/transport-node'
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MQTT_URL, NATS_URL, describeWithService, tcpReachable } from '../support/services.js'

const ctx = { output: 'charger', reason: 'période HC', t: 1_768_258_800_000 }

/** A loopback HTTP server recording every request; answers `statuses` in turn, then 200. */
async function recordingServer(statuses: number[] = []): Promise<{
  server: Server
  url: string
  calls: { method: string; url: string; body: string }[]
}> {
  const calls: { method: string; url: string; body: string }[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => (body += d))
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', body })
      res.statusCode = statuses.shift() ?? 200
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    calls,
  }
}

describe('http actuator against a loopback server', () => {
  it('sends the per-state URL (Shelly style) and a JSON body template', async () => {
    const { server, url, calls } = await recordingServer()
    try {
      const shelly = httpActuator({
        on: { url: `${url}/relay/0?turn=on` },
        off: { url: `${url}/relay/0?turn=off` },
        timeoutMs: 2000,
        retries: 0,
      })
      await shelly.set('on', ctx)
      await shelly.set('off', ctx)
      const json = httpActuator({
        url: `${url}/api/{{output}}`,
        method: 'PUT',
        body: { state: '{{state}}', why: '{{reason}}', n: 1 },
        timeoutMs: 2000,
        retries: 0,
      })
      await json.set('on', ctx)
      expect(calls).toEqual([
        { method: 'GET', url: '/relay/0?turn=on', body: '' },
        { method: 'GET', url: '/relay/0?turn=off', body: '' },
        {
          method: 'PUT',
          url: '/api/charger',
          body: JSON.stringify({ state: 'on', why: 'période HC', n: 1 }),
        },
      ])
    } finally {
      server.close()
    }
  })

  it('retries a failing device, then rejects with the status when it keeps failing', async () => {
    const { server, url, calls } = await recordingServer([503, 500, 502, 500])
    try {
      const a = httpActuator({
        url: `${url}/cm?cmnd=Power%20{{state}}`,
        timeoutMs: 2000,
        retries: 1,
      })
      await expect(a.set('on', ctx)).rejects.toThrow(/HTTP 500/)
      expect(calls).toHaveLength(2)
      await a.set('on', { ...ctx, reason: 'x' }).catch(() => undefined)
      await a.set('off', ctx)
      expect(calls.map((c) => c.url)).toEqual([
        '/cm?cmnd=Power%20on',
        '/cm?cmnd=Power%20on',
        '/cm?cmnd=Power%20on',
        '/cm?cmnd=Power%20on',
        '/cm?cmnd=Power%20off',
      ])
    } finally {
      server.close()
    }
  })
})

const mqttUrl = new URL(MQTT_URL)
const mqttUp = await tcpReachable(mqttUrl.hostname, Number(mqttUrl.port || 1883))
describeWithService('Mosquitto', mqttUp, 'mqtt actuator against the local Mosquitto', () => {
  it('publishes the retained payload of each state', async () => {
    const topic = `linkyrpi-test/${String(process.pid)}-${String(Date.now())}/ballon/set`
    const a = mqttActuator({ url: MQTT_URL, topic, on: 'ON', off: 'OFF', qos: 1, retain: true })
    try {
      await a.set('on', ctx)
      await a.set('off', ctx)
      // A device subscribing afterwards gets the last state (retained).
      const device = await connectAsync(MQTT_URL)
      const got = new Promise<string>((resolve) =>
        device.on('message', (_t, payload) => resolve(payload.toString())),
      )
      await device.subscribeAsync(topic, { qos: 1 })
      expect(await got).toBe('OFF')
      await device.publishAsync(topic, '', { retain: true })
      await device.endAsync()
    } finally {
      await a.close()
    }
  })

  it('rejects when the broker cannot be reached, instead of queueing an old state', async () => {
    const a = mqttActuator({
      url: 'mqtt://127.0.0.1:1',
      topic: 'x',
      on: 'ON',
      off: 'OFF',
      qos: 1,
      retain: true,
      timeoutMs: 500,
    })
    await expect(a.set('on', ctx)).rejects.toThrow(/no answer within 500 ms/)
    await a.close()
  })

  it('adds no listener per switch (a service switches for months), connected or not', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error): void => {
      if (w.name === 'MaxListenersExceededWarning') warnings.push(w.message)
    }
    process.on('warning', onWarning)
    const topic = `linkyrpi-test/${String(process.pid)}-${String(Date.now())}/listeners/set`
    const up = mqttActuator({ url: MQTT_URL, topic, on: 'ON', off: 'OFF', qos: 0, retain: false })
    const down = mqttActuator({
      url: 'mqtt://127.0.0.1:1',
      topic: 'x',
      on: 'ON',
      off: 'OFF',
      qos: 0,
      retain: false,
      timeoutMs: 20,
    })
    try {
      // EventEmitter warns past 10 listeners of one event: 15 switches each way would pass it.
      for (let i = 0; i < 15; i++) await up.set(i % 2 === 0 ? 'on' : 'off', ctx)
      for (let i = 0; i < 15; i++) await expect(down.set('on', ctx)).rejects.toThrow(/no answer/)
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).toEqual([])
    } finally {
      process.off('warning', onWarning)
      await up.close()
      await down.close()
    }
  })
})

const natsUrl = new URL(NATS_URL.replace(/^nats:/, 'http:'))
const natsUp = await tcpReachable(natsUrl.hostname, Number(natsUrl.port || 4222))
describeWithService('NATS', natsUp, 'nats actuator against the local server', () => {
  it('publishes a JSON state by default, or the configured payloads', async () => {
    const subject = `linkyrpi.test.${String(process.pid)}.${String(Date.now())}.charger`
    const nc = await natsConnect({ servers: NATS_URL })
    const sub = nc.subscribe(subject, { max: 2 })
    await nc.flush()
    const json = natsActuator({ servers: [NATS_URL], subject })
    const plain = natsActuator({ servers: [NATS_URL], subject, on: '1', off: '0' })
    try {
      await json.set('on', ctx)
      await plain.set('off', ctx)
      const got: string[] = []
      for await (const m of sub) got.push(m.string())
      expect(got).toEqual([
        JSON.stringify({ output: 'charger', state: 'on', reason: 'période HC', t: ctx.t }),
        '0',
      ])
    } finally {
      await json.close()
      await plain.close()
      await nc.drain()
    }
  })
})

describe('shell actuator', () => {
  it('runs the command with the state in its environment; a non-zero exit is an error with stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-shell-'))
    try {
      const out = join(dir, 'out.txt')
      const a = shellActuator({
        command: `echo "$LINKY_OUTPUT $LINKY_STATE $LINKY_REASON" >> '${out}'`,
        timeoutMs: 5000,
      })
      await a.set('on', ctx)
      await a.set('off', { ...ctx, reason: 'période HP' })
      expect(await readFile(out, 'utf8')).toBe('charger on période HC\ncharger off période HP\n')
      await expect(
        shellActuator({ command: 'echo relay jammed >&2; exit 3', timeoutMs: 5000 }).set('on', ctx),
      ).rejects.toThrow('exited with 3: relay jammed')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('gpio actuator against a fake gpioset', () => {
  let dir: string
  let log: string
  /** A fake `gpioset`: prints its version, logs "start ARGS" and "stop ARGS", holds until SIGTERM. */
  async function fakeGpioset(version: string, busyLine?: number): Promise<string> {
    const path = join(dir, `gpioset-${version}`)
    await writeFile(
      path,
      `#!/bin/sh
if [ "$1" = "--version" ]; then echo "gpioset (libgpiod) v${version}"; exit 0; fi
case "$*" in *" ${String(busyLine ?? -1)}="*) echo "gpioset: error setting the GPIO line values: Device or resource busy" >&2; exit 1;; esac
echo "start $*" >> '${log}'
trap 'echo "stop $*" >> "${log}"; exit 0' TERM
while :; do sleep 0.05; done
`,
    )
    await chmod(path, 0o755)
    return path
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linky-gpio-'))
    log = join(dir, 'gpio.log')
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('holds the line with one long-lived gpioset (libgpiod 2), replaced at each switch, ended on close', async () => {
    const a = gpioActuator({
      chip: 'gpiochip0',
      line: 17,
      activeLow: true,
      gpioset: await fakeGpioset('2.1.3'),
      settleMs: 200,
    })
    await a.set('on', ctx)
    await a.set('off', ctx)
    await a.close()
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      'start --active-low --chip gpiochip0 17=1',
      'stop --active-low --chip gpiochip0 17=1',
      'start --active-low --chip gpiochip0 17=0',
      'stop --active-low --chip gpiochip0 17=0',
    ])
  })

  it('uses --mode=signal with libgpiod 1.6 and reports a busy line', async () => {
    await writeFile(log, '')
    const a = gpioActuator({
      chip: 'gpiochip0',
      line: 4,
      activeLow: false,
      gpioset: await fakeGpioset('1.6.3'),
      settleMs: 200,
    })
    await a.set('on', ctx)
    await a.close()
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      'start --mode=signal gpiochip0 4=1',
      'stop --mode=signal gpiochip0 4=1',
    ])
    const busy = gpioActuator({
      chip: 'gpiochip0',
      line: 5,
      activeLow: false,
      gpioset: await fakeGpioset('2.1.3', 5),
      settleMs: 200,
    })
    await expect(busy.set('on', ctx)).rejects.toThrow(
      'exited with 1: gpioset: error setting the GPIO line values: Device or resource busy',
    )
  })
})
