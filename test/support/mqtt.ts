import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'mqtt'
import type { MqttClient } from 'mqtt'
import { tcpReachable } from './services.js'

/** One message seen by a {@link MqttRecorder}. */
export interface SeenMessage {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
}

/**
 * A test client that records every message on the topics it watches, keeps the last one per
 * topic, and can wait for a condition. `clearRetained()` deletes the retained messages it saw,
 * so a test leaves the shared broker as it found it.
 */
export class MqttRecorder {
  readonly messages: SeenMessage[] = []
  readonly last = new Map<string, SeenMessage>()
  private waiters: (() => void)[] = []

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const m = { topic, payload: payload.toString(), retain: packet.retain }
      this.messages.push(m)
      if (m.payload === '') this.last.delete(topic)
      else this.last.set(topic, m)
      for (const w of this.waiters) w()
    })
  }

  /** Connects to `url` and subscribes to `topics` (wildcards allowed). */
  static async open(url: string, topics: readonly string[]): Promise<MqttRecorder> {
    const client = await connectClient(url)
    const rec = new MqttRecorder(client)
    await client.subscribeAsync([...topics], { qos: 1 })
    return rec
  }

  /** The last payload on `topic` parsed as JSON, or undefined. */
  json(topic: string): Record<string, unknown> | undefined {
    const m = this.last.get(topic)
    return m === undefined ? undefined : (JSON.parse(m.payload) as Record<string, unknown>)
  }

  /** Resolves once `check()` is true (checked after every message); rejects after `timeoutMs`. */
  async until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (check()) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new Error(`timed out waiting for ${what}`))
      }, timeoutMs)
      const waiter = (): void => {
        if (!check()) return
        clearTimeout(timer)
        this.waiters = this.waiters.filter((w) => w !== waiter)
        resolve()
      }
      this.waiters.push(waiter)
    })
  }

  /** Deletes every retained message this recorder saw (empty retained payloads). */
  async clearRetained(): Promise<void> {
    const topics = new Set(
      this.messages
        .filter((m) => m.retain || this.last.get(m.topic)?.retain === true)
        .map((m) => m.topic),
    )
    for (const t of this.last.keys()) topics.add(t)
    await Promise.all(
      [...topics].map((t) => this.client.publishAsync(t, '', { qos: 1, retain: true })),
    )
  }

  async close(): Promise<void> {
    await this.client.endAsync()
  }
}

/** A connected mqtt.js client (rejects when the broker does not answer). */
export async function connectClient(url: string): Promise<MqttClient> {
  const client = connect(url, {
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    clientId: `linkyrpi-test-${randomBytes(4).toString('hex')}`,
  })
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve())
    client.once('error', reject)
  })
  return client
}

/** A unique topic prefix for one test (no retained message of another test under it). */
export function testPrefix(name: string): string {
  return `linkyrpi-test-${name}-${randomBytes(3).toString('hex')}`
}

/** A mosquitto the test started itself (to stop and restart it). */
export interface OwnBroker {
  readonly url: string
  readonly port: number
  /** Stops the broker (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>
  /** Starts it again on the same port (no persistence: retained messages are gone). */
  start(): Promise<void>
  /** Stops it and removes its files. */
  dispose(): Promise<void>
}

/**
 * Starts `mosquitto` on 127.0.0.1:`port` with no persistence; anonymous access unless
 * `anonymous` is false (then every client is refused: no password file).
 */
export async function startOwnBroker(port: number, anonymous = true): Promise<OwnBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'linky-mosquitto-'))
  const conf = join(dir, 'mosquitto.conf')
  await writeFile(
    conf,
    `listener ${String(port)} 127.0.0.1\nallow_anonymous ${String(anonymous)}\npersistence false\n`,
  )
  let proc: ChildProcess | null = null
  const start = async (): Promise<void> => {
    const p = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' })
    proc = p
    const deadline = Date.now() + 5_000
    while (!(await tcpReachable('127.0.0.1', port, 200))) {
      if (p.exitCode !== null || Date.now() > deadline)
        throw new Error(`mosquitto did not start on port ${String(port)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const stop = async (): Promise<void> => {
    const p = proc
    proc = null
    if (p === null || p.exitCode !== null) return
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve())
      p.kill('SIGTERM')
    })
  }
  await start()
  return {
    url: `mqtt://127.0.0.1:${String(port)}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
