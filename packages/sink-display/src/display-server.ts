import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { toWire } from '@linkyrpi/tic-core'
import type { PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { EnergyTracker } from './energy-tracker.js'
import { listenDisplay } from './listen-display.js'
import { sendJson } from './http-replies.js'
import { historyEnergy } from './history-energy.js'
import { routeDisplayRequest } from './display-routes.js'
import type { DisplayRouteState } from './display-routes.js'
import { LiveStats } from './live-stats.js'
import { resolveDisplayOptions } from './options.js'
import type { DisplayListening, DisplaySinkOptions, ResolvedDisplayOptions } from './options.js'
import type {
  DashboardConfig,
  EnergyStats,
  HelloEvent,
  StatsSnapshot,
  TariffSnapshot,
} from './protocol.js'
import { SseHub } from './sse-hub.js'
import { tariffKey, tariffOf } from './tariff-snapshot.js'
import { StaticFiles, defaultClientDir } from './static-files.js'

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
 * `DisplayServerError` (see listen-display.ts) when the port cannot be bound; throws `TypeError` on bad options.
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

  async function computeStats(): Promise<StatsSnapshot> {
    const now = ctx.now()
    let e: EnergyStats | null = energy.stats()
    const meter = last?.reading.meter.id ?? null
    if (o.history !== undefined && meter !== null) {
      try {
        e = await historyEnergy(o.history, o.timeZone, meter, now, last?.reading ?? null)
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

  const routes: DisplayRouteState = {
    options: o,
    config,
    files,
    hub,
    latestJson: () => lastJson,
    stats: () => stats,
    hello,
  }

  const server: Server = createServer((req, res) => {
    routeDisplayRequest(req, res, routes).catch((error: unknown) => {
      ctx.logger.warn('request failed', { url: req.url, error })
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5_000

  const listening = await listenDisplay(server, o.host, o.port)
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
