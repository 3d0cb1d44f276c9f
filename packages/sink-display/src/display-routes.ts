import type { IncomingMessage, ServerResponse } from 'node:http'
import { acceptsGzip } from './compress.js'
import { sendJson, sendLargeJson, tokenMatches } from './http-replies.js'
import { historyApi } from './history-api.js'
import { costsApi } from './costs-api.js'
import type { CostsLive } from './costs-api.js'
import type { ResolvedDisplayOptions } from './options.js'
import type { DashboardConfig, LiveSamplesAnswer, StatsSnapshot } from './protocol.js'
import { SECURITY_HEADERS } from './security-headers.js'
import type { SseHub } from './sse-hub.js'
import type { StaticFiles } from './static-files.js'
import { automationOverride, automationStatus } from './automation-api.js'

/** What the dashboard's routes read: options, the event hub and the server's current state. */
export interface DisplayRouteState {
  readonly options: ResolvedDisplayOptions
  readonly config: DashboardConfig
  /** The built client, `undefined` when not built. */
  readonly files: StaticFiles | undefined
  readonly hub: SseHub
  /** The latest frame as wire JSON, `null` before the first frame. */
  latestJson(): string | null
  /** The latest statistics snapshot. */
  stats(): StatsSnapshot
  /** The powers of the frames of the last 10 minutes (`/api/live/samples`). */
  liveSamples(): LiveSamplesAnswer
  /** The `hello` event sent to a page that connects to `/events`. */
  hello(): string
  /** The latest reading and the dashboard's own energy count (what `/api/costs` adds to the store's). */
  costsLive(): CostsLive
}

type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  s: DisplayRouteState,
) => void | Promise<void>

/** Read routes (GET and HEAD) by exact path. */
const READ_ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  [
    '/events',
    (_req, res, _url, s) => {
      if (s.hub.size >= s.options.maxClients)
        return sendJson(res, 503, { error: 'too many dashboards connected' })
      return s.hub.add(res, s.hello())
    },
  ],
  [
    '/metrics',
    (req, res, _url, s) => {
      const o = s.options
      if (o.metrics === undefined) return sendJson(res, 404, { error: 'no metrics configured' })
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(req.method === 'HEAD' ? undefined : o.metrics())
    },
  ],
  ['/api/config', (_req, res, _url, s) => sendJson(res, 200, s.config)],
  ['/api/latest', (_req, res, _url, s) => sendJson(res, 200, JSON.parse(s.latestJson() ?? 'null'))],
  ['/api/stats', (_req, res, _url, s) => sendJson(res, 200, s.stats())],
  ['/api/live/samples', (req, res, _url, s) => sendLargeJson(req, res, 200, s.liveSamples())],
  [
    '/api/diagnostics',
    (_req, res, _url, s) => {
      const o = s.options
      if (o.diagnostics === undefined)
        return sendJson(res, 404, { error: 'no diagnostics configured' })
      return sendJson(res, 200, o.diagnostics())
    },
  ],
  [
    '/api/costs',
    async (req, res, url, s) => {
      const a = await costsApi(
        s.options.history,
        url.searchParams,
        Date.now(),
        s.options.analytics,
        s.costsLive(),
      )
      return sendLargeJson(req, res, a.status, a.body)
    },
  ],
  [
    '/api/automation',
    (_req, res, _url, s) => {
      const a = automationStatus(s.options.automation)
      return sendJson(res, a.status, a.body)
    },
  ],
])

const HISTORY_PREFIX = '/api/history/'

/** Write routes (any other method), by `METHOD path`; they need the bearer token. */
const WRITE_ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  [
    'POST /api/automation/override',
    async (req, res, _url, s) => {
      const a = await automationOverride(s.options.automation, req)
      return sendJson(res, a.status, a.body)
    },
  ],
])

/**
 * Answers one dashboard request: security headers, then the write endpoints (bearer token
 * required), the event stream, `/metrics`, the JSON API and the built client's files.
 */
export async function routeDisplayRequest(
  req: IncomingMessage,
  res: ServerResponse,
  s: DisplayRouteState,
): Promise<void> {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid')
  const path = url.pathname
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // Read-only unless a token is configured: writes (automation overrides) need the bearer token.
    if (s.options.token === undefined)
      return sendJson(res, 405, {
        error: 'read-only dashboard: write endpoints are disabled without a token',
      })
    if (!tokenMatches(req, s.options.token))
      return sendJson(res, 401, { error: 'bad or missing bearer token' })
    const write = WRITE_ROUTES.get(`${req.method ?? ''} ${path}`)
    if (write !== undefined) return write(req, res, url, s)
    return sendJson(res, 404, { error: 'no such endpoint' })
  }
  const read = READ_ROUTES.get(path)
  if (read !== undefined) return read(req, res, url, s)
  if (path.startsWith(HISTORY_PREFIX)) {
    const a = await historyApi(
      s.options.history,
      path.slice(HISTORY_PREFIX.length),
      url.searchParams,
    )
    return sendLargeJson(req, res, a.status, a.body)
  }
  if (path.startsWith('/api/')) return sendJson(res, 404, { error: 'no such endpoint' })
  return sendStaticFile(req, res, path, s.files)
}

/** Answers a file of the built client (gzipped when accepted), or a plain-text 404. */
async function sendStaticFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  files: StaticFiles | undefined,
): Promise<void> {
  const file = files === undefined ? null : await files.get(path)
  if (file === null) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(files === undefined ? 'dashboard client not built' : 'not found')
    return
  }
  const body = file.gzipped !== null && acceptsGzip(req) ? file.gzipped : file.body
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': body.length,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(body === file.gzipped ? { 'content-encoding': 'gzip' } : {}),
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}
