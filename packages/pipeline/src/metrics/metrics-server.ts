import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.js'

/** A running `/metrics` server. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  readonly url: string
  close(): Promise<void>
}

/**
 * Serves `render()` at `path` (GET/HEAD) in the Prometheus text format, 404 elsewhere, 405 for
 * other methods. Resolves once listening; rejects when the port cannot be bound.
 */
export async function startMetricsServer(
  host: string,
  port: number,
  path: string,
  render: () => string,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metrics.invalid')
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('read-only\n')
      return
    }
    const body = render()
    res.writeHead(200, {
      'content-type': PROMETHEUS_CONTENT_TYPE,
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closed: Promise<void> | undefined
  return {
    url: `http://${shown}:${String(address.port)}${path}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })),
  }
}
