import { describe } from 'vitest'

/** True when running in CI, where a missing service must fail the tests instead of skipping them. */
export const IN_CI = process.env.CI === 'true'

/** PostgreSQL URL for integration tests (the machine's loopback server by default). */
export const PG_URL = process.env.LINKY_PG_URL ?? 'postgres://root@127.0.0.1:5432/test'
/** NATS server for integration tests. */
export const NATS_URL = process.env.LINKY_NATS_URL ?? 'nats://127.0.0.1:4222'
/** MQTT broker for integration tests. */
export const MQTT_URL = process.env.LINKY_MQTT_URL ?? 'mqtt://127.0.0.1:1883'

/** True when a TCP connection to host:port opens within `timeoutMs`. */
export async function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  const net = await import('node:net')
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * `describe` for tests that need a service: runs when `available`; otherwise skipped with the
 * reason locally, but under CI=true the suite runs anyway so that its tests fail loudly.
 */
export function describeWithService(
  service: string,
  available: boolean,
  name: string,
  fn: () => void,
): void {
  if (available || IN_CI) {
    describe(name, fn)
  } else {
    // Skipped only outside CI, when the service is not running on this machine.
    describe.skip(`${name} (skipped: ${service} not reachable)`, fn)
  }
}
