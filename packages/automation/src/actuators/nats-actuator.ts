import type { NatsConnection } from '@nats-io/transport-node'
import type { Actuator } from './actuator.js'

/** Options of {@link natsActuator}. */
export interface NatsActuatorOptions {
  readonly servers: readonly string[]
  readonly subject: string
  /** Payloads; default a JSON object `{output, state, reason, t}`. */
  readonly on?: string | undefined
  readonly off?: string | undefined
  /** Longest wait for the server (connection, flush), ms (default 5000). */
  readonly timeoutMs?: number
}

/**
 * NATS actuator: publishes on `subject` and flushes, so `set` resolves once the server has the
 * message. Connects on the first switch; a lost connection is reopened on the next `set`.
 */
export function natsActuator(options: NatsActuatorOptions): Actuator {
  const timeoutMs = options.timeoutMs ?? 5000
  let connection: Promise<NatsConnection> | undefined
  return {
    async set(state, c) {
      // The NATS client loads on the first switch, not with every automation configuration.
      connection ??= import('@nats-io/transport-node').then(({ connect }) =>
        connect({ servers: [...options.servers], timeout: timeoutMs, maxReconnectAttempts: -1 }),
      )
      let nc: NatsConnection
      try {
        nc = await connection
      } catch (error) {
        connection = undefined
        throw error
      }
      const custom = state === 'on' ? options.on : options.off
      nc.publish(
        options.subject,
        custom ?? JSON.stringify({ output: c.output, state, reason: c.reason, t: c.t }),
      )
      await nc.flush()
    },
    async close() {
      const pending = connection
      connection = undefined
      if (pending !== undefined)
        await (await pending.catch(() => undefined))?.drain().catch(() => undefined)
    },
  }
}
