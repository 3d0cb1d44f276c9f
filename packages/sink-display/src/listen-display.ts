import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DisplayServerError } from './errors.js'
import type { DisplayListening } from './options.js'

/**
 * Makes `server` listen on `host`:`port` (0 picks a free port); resolves with its address and
 * URL. Rejects with {@link DisplayServerError} when the port cannot be bound.
 */
export async function listenDisplay(
  server: Server,
  host: string,
  port: number,
): Promise<DisplayListening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new DisplayServerError(`cannot listen on ${host}:${String(port)}`, { cause: error })),
    )
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${shown}:${String(address.port)}/`,
    host: address.address,
    port: address.port,
  }
}
