import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toWire } from '@linkyrpi/tic-core'
import type { PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { EnergyTracker } from './energy-tracker.js'
import { DisplayServerError } from './errors.js'
import { acceptsGzip } from './compress.js'
import { sendJson, sendLargeJson, tokenMatches } from './http-replies.js'
import { historyApi } from './history-api.js'
import { costsApi } from './costs-api.js'
import { LiveStats } from './live-stats.js'
import { localStart } from './local-time.js'
import { resolveDisplayOptions } from './options.js'
import type { DisplayListening, DisplaySinkOptions, ResolvedDisplayOptions } from './options.js'
import type {
  DashboardConfig,
  EnergyStats,
  HelloEvent,
  StatsSnapshot,
  TariffSnapshot,
} from './protocol.js'
import { SECURITY_HEADERS } from './security-headers.js'
import { SseHub } from './sse-hub.js'
import { tariffKey, tariffOf } from './tariff-snapshot.js'
import { withUnstoredEnergy } from './unstored-energy.js'
import { StaticFiles, defaultClientDir } from './static-files.js'
import { automationOverride, automationStatus } from './automation-api.js'

/** A running dashboard server. */
export interface DisplayServer extends DisplayListening {
  /** Broadcasts one frame to every page (instantaneous values) and updates tariff/statistics. */
  publish(frame: PipelineFrame): void
  /** Connected pages. */
  readonly clients: number
  /** Ends every event stream and closes the server. Idempotent. */
  close(): Promise<void>
}

const HEARTBEAT_MS = 15_000

/**
 * Starts the dashboard's HTTP server: the built client (`/`, `/assets/…`), the event stream
 * (`/events`), and a read-only JSON API (`/api/config`, `/api/latest`, `/api/stats`,
 * `/api/diagnostics`, `/api/history/…`, `/api/costs`) and, when given, the Prometheus `/metrics`. Resolves once listening. Rejects with
 * {@link DisplayServerError} when the port cannot be bound; throws `TypeError` on bad options.
 */
export async function startDisplayServer(
  options: DisplaySinkOptions,
  ctx: StageContext,
): Promise<DisplayServer> {
  const o: ResolvedDisplayOptions = resolveDisplayOptions(options)
  const clientDir = o.clientDir ?? defaultClientDir()
  const files = clientDir === undefined ? undefined : new StaticFiles(clientDir)
  if (files === undefined)
    ctx.logger.warn('dashboard client not built: run the package build (vite build)', {})
  const hub = new SseHub(o.maxClientBacklogBytes)
  const live = new LiveStats(ctx.now())
  const energy = new EnergyTracker(o.timeZone)
  const config: DashboardConfig = {
    lang: o.lang,
    staleAfterMs: o.staleAfterMs,
    history: o.history !== undefined,
    diagnostics: o.diagnostics !== undefined,
    timeZone: o.timeZone,
    ...(o.waitingFor !== undefined ? { waitingFor: o.waitingFor } : {}),
  }
  let last: PipelineFrame | null = null
  let lastJson: string | null = null
  let lastAt: number | null = null
  let tariff: TariffSnapshot | null = null
  let tariffSentKey = ''
  let stats: StatsSnapshot = {
    at: ctx.now(),
    frames: 0,
    framesPerSecond: 0,
    rejectedByReason: {},
    rejectedPerMinute: [],
    clients: 0,
    energy: null,
    diagnostics: null,
  }

  async function historyEnergy(meter: string, now: number): Promise<EnergyStats | null> {
    if (o.history === undefined) return null
    const day = localStart(now, o.timeZone, 'day')
    const month = localStart(now, o.timeZone, 'month')
    const [days, stored] = await Promise.all([
      o.history.energy(meter, month, now + 1, 'day'),
      o.history.latest(meter),
    ])
    const today: Record<number, number> = {}
    const monthly: Record<number, number> = {}
    let todayExport = 0
    let monthExport = 0
    for (const b of days) {
      for (const [k, v] of Object.entries(b.byIndexWh)) {
        monthly[Number(k)] = (monthly[Number(k)] ?? 0) + v
        if (b.start === day) today[Number(k)] = (today[Number(k)] ?? 0) + v
      }
      monthExport += b.exportWh
      if (b.start === day) todayExport += b.exportWh
    }
    // The store commits every few minutes: add what the meter counted since its latest reading.
    const current = last?.reading.meter.id === meter ? last.reading : null
    const d = withUnstoredEnergy({ byIndexWh: today, exportWh: todayExport }, stored, current, day)
    const m = withUnstoredEnergy(
      { byIndexWh: monthly, exportWh: monthExport },
      stored,
      current,
      month,
    )
    const producer = last?.reading.meter.producer === true
    return {
      meter,
      source: 'history',
      sinceDay: day,
      sinceMonth: month,
      todayByIndexWh: d.byIndexWh,
      monthByIndexWh: m.byIndexWh,
      todayExportWh: producer ? d.exportWh : null,
      monthExportWh: producer ? m.exportWh : null,
    }
  }

  async function computeStats(): Promise<StatsSnapshot> {
    const now = ctx.now()
    let e: EnergyStats | null = energy.stats()
    const meter = last?.reading.meter.id ?? null
    if (o.history !== undefined && meter !== null) {
      try {
        e = (await historyEnergy(meter, now)) ?? e
      } catch (error) {
        ctx.logger.warn('history energy query failed, showing live counts', { error })
      }
    }
    let diagnostics = null
    if (o.diagnostics !== undefined) {
      try {
        diagnostics = o.diagnostics()
      } catch (error) {
        ctx.logger.warn('diagnostics snapshot failed', { error })
      }
    }
    return {
      at: now,
      frames: live.frames,
      framesPerSecond: live.takeRate(now),
      rejectedByReason: { ...live.rejectedByReason },
      rejectedPerMinute: live.perMinute(now),
      clients: hub.size,
      energy: e,
      diagnostics,
    }
  }

  function pushTariff(): void {
    if (tariff === null) return
    tariffSentKey = tariffKey(tariff)
    hub.broadcast(SseHub.message('tariff', JSON.stringify(tariff)))
  }

  let statsBusy = false
  function pushStats(): void {
    if (statsBusy) return
    statsBusy = true
    computeStats()
      .then((s) => {
        stats = s
        hub.broadcast(SseHub.message('stats', JSON.stringify(s)))
      })
      .catch((error: unknown) => ctx.logger.warn('statistics failed', { error }))
      .finally(() => {
        statsBusy = false
      })
  }

  function hello(): string {
    const h: HelloEvent = {
      config,
      frame: last === null ? null : toWire(last),
      lastFrameAgeMs: lastAt === null ? null : Math.max(0, ctx.now() - lastAt),
      tariff,
      // Live counts are always current; the store's figures come with the periodic push.
      stats: {
        ...stats,
        clients: hub.size + 1,
        energy: stats.energy?.source === 'history' ? stats.energy : energy.stats(),
      },
    }
    return SseHub.message('hello', JSON.stringify(h))
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid')
    const path = url.pathname
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Read-only unless a token is configured: writes (automation overrides) need the bearer token.
      if (o.token === undefined)
        return sendJson(res, 405, {
          error: 'read-only dashboard: write endpoints are disabled without a token',
        })
      if (!tokenMatches(req, o.token))
        return sendJson(res, 401, { error: 'bad or missing bearer token' })
      if (req.method === 'POST' && path === '/api/automation/override') {
        const a = await automationOverride(o.automation, req)
        return sendJson(res, a.status, a.body)
      }
      return sendJson(res, 404, { error: 'no such endpoint' })
    }
    if (path === '/events') {
      if (hub.size >= o.maxClients)
        return sendJson(res, 503, { error: 'too many dashboards connected' })
      return hub.add(res, hello())
    }
    if (path === '/metrics') {
      if (o.metrics === undefined) return sendJson(res, 404, { error: 'no metrics configured' })
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(req.method === 'HEAD' ? undefined : o.metrics())
      return
    }
    if (path === '/api/config') return sendJson(res, 200, config)
    if (path === '/api/latest')
      return sendJson(res, 200, last === null ? null : JSON.parse(lastJson ?? 'null'))
    if (path === '/api/stats') return sendJson(res, 200, stats)
    if (path === '/api/diagnostics') {
      if (o.diagnostics === undefined)
        return sendJson(res, 404, { error: 'no diagnostics configured' })
      return sendJson(res, 200, o.diagnostics())
    }
    if (path.startsWith('/api/history/')) {
      const a = await historyApi(o.history, path.slice('/api/history/'.length), url.searchParams)
      return sendLargeJson(req, res, a.status, a.body)
    }
    if (path === '/api/costs') {
      const a = await costsApi(o.history, url.searchParams, Date.now(), o.analytics)
      return sendLargeJson(req, res, a.status, a.body)
    }
    if (path === '/api/automation') {
      const a = automationStatus(o.automation)
      return sendJson(res, a.status, a.body)
    }
    if (path.startsWith('/api/')) return sendJson(res, 404, { error: 'no such endpoint' })
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

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      ctx.logger.warn('request failed', { url: req.url, error })
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new DisplayServerError(`cannot listen on ${o.host}:${String(o.port)}`, { cause: error }),
      ),
    )
    server.listen(o.port, o.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const listening: DisplayListening = {
    url: `http://${host}:${String(address.port)}/`,
    host: address.address,
    port: address.port,
  }
  ctx.logger.info('dashboard listening', { url: listening.url })

  const timers = [
    setInterval(pushTariff, o.tariffIntervalMs),
    setInterval(pushStats, o.statsIntervalMs),
    setInterval(() => hub.broadcast(': keep-alive\n\n'), HEARTBEAT_MS),
  ]
  for (const t of timers) t.unref()
  let closed: Promise<void> | null = null
  o.onListening?.(listening)

  return {
    ...listening,
    get clients() {
      return hub.size
    },
    publish(frame) {
      const now = ctx.now()
      last = frame
      lastAt = now
      lastJson = JSON.stringify(toWire(frame))
      live.observe(frame, now)
      energy.observe(frame.reading, now)
      // The first frame makes energy and statistics available: send them without waiting.
      if (live.frames === 1) pushStats()
      hub.broadcast(SseHub.message('frame', lastJson))
      const t = tariffOf(frame, now)
      tariff = t
      if (tariffKey(t) !== tariffSentKey) pushTariff()
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t)
        hub.closeAll()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
  }
}
