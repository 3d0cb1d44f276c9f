import type { IncomingMessage, ServerResponse } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import { acceptsGzip, COMPRESS_MIN_BYTES, gzipBody } from './compress.js'

/** Answers `body` as JSON with `status`, never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(text)
}

/** {@link sendJson} for answers that can be large (history): gzipped when the client accepts it. */
export async function sendLargeJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
): Promise<void> {
  const text = JSON.stringify(body)
  if (text.length < COMPRESS_MIN_BYTES || !acceptsGzip(req)) return sendJson(res, status, body)
  const gz = await gzipBody(text)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-encoding': 'gzip',
    'content-length': gz.length,
    vary: 'accept-encoding',
  })
  res.end(gz)
}

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = req.headers.authorization?.replace(/^Bearer /, '') ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}
