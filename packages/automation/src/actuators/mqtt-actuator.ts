import type { MqttClient } from 'mqtt'
import type { Actuator } from './actuator.js'

/** Options of {@link mqttActuator}. */
export interface MqttActuatorOptions {
  /** Broker URL (`mqtt://host:1883`). */
  readonly url: string
  readonly topic: string
  /** Payloads of the two states. */
  readonly on: string
  readonly off: string
  readonly qos: 0 | 1 | 2
  readonly retain: boolean
  readonly username?: string | undefined
  readonly password?: string | undefined
  /** Longest wait for the broker (connection, PUBACK), ms (default 5000). */
  readonly timeoutMs?: number
}

/** Thrown when the broker cannot be reached or does not acknowledge in time. */
export class MqttActuatorError extends Error {
  override readonly name = 'MqttActuatorError'
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MqttActuatorError(`${what}: no answer within ${String(ms)} ms`)),
      ms,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * MQTT actuator (mqtt.js 5): publishes the state's payload on `topic` (retained by default, so a
 * device that reconnects gets its state). The client connects on the first switch and reconnects
 * by itself; while the broker is unreachable `set` rejects (nothing is queued, so an old state is
 * never delivered after a newer one), and the caller retries.
 */
export function mqttActuator(options: MqttActuatorOptions): Actuator {
  const timeoutMs = options.timeoutMs ?? 5000
  let client: MqttClient | undefined
  async function open(): Promise<MqttClient> {
    // mqtt.js loads on the first switch, not with every configuration that has an automation stage.
    const { connect } = await import('mqtt')
    if (client === undefined) {
      client = connect(options.url, {
        username: options.username,
        password: options.password,
        clientId: `linkyrpi-automation-${Math.random().toString(16).slice(2, 10)}`,
        reconnectPeriod: 2000,
        connectTimeout: timeoutMs,
        queueQoSZero: false,
      })
      // Errors are reported through the rejected `set`; without a listener they would crash.
      // Added once per client, not once per switch.
      client.on('error', () => undefined)
    }
    return client
  }
  async function ready(c: MqttClient): Promise<void> {
    if (c.connected) return
    let onConnect: (() => void) | undefined
    try {
      await within(
        new Promise<void>((resolve) => {
          onConnect = resolve
          c.once('connect', onConnect)
        }),
        timeoutMs,
        `MQTT broker ${options.url}`,
      )
    } finally {
      // A switch that timed out leaves no listener behind.
      if (onConnect !== undefined) c.off('connect', onConnect)
    }
  }
  return {
    async set(state) {
      const c = await open()
      await ready(c)
      await within(
        c.publishAsync(options.topic, state === 'on' ? options.on : options.off, {
          qos: options.qos,
          retain: options.retain,
        }),
        timeoutMs,
        `MQTT publish on ${options.topic}`,
      )
    },
    async close() {
      const c = client
      client = undefined
      if (c !== undefined) await c.endAsync(false).catch(() => undefined)
    },
  }
}
