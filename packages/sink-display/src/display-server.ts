import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { listenDisplay } from './listen-display.js'
import { sendJson } from './http-replies.js'
import { historyEnergy } from './history-energy.js'
import { routeDisplayRequest } from './display-routes.js'
import type { DisplayRouteState } from './display-routes.js'
import { LiveState } from './live-state.js'
import { resolveDisplayOptions } from './options.js'
import type { DisplayListening, DisplaySinkOptions, ResolvedDisplayOptions } from './options.js'
import type { DashboardConfig, EnergyStats, StatsSnapshot } from './protocol.js'
import { SseHub } from './sse-hub.js'
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
 * `/api/live/samples`, `/api/diagnostics`, `/api/history/…`, `/api/costs`) and, when given, the
 * Prometheus `/metrics`. The live data it keeps is a {@link LiveState}; this function only wires
 * HTTP and the event stream. Resolves once listening. Rejects with `DisplayServerError` (see
 * listen-display.ts) when the port cannot be bound; throws `TypeError` on bad options.
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
  const state = new LiveState(o.timeZone, ctx.now())
  const config: DashboardConfig = {
    lang: o.lang,
    staleAfterMs: o.staleAfterMs,
    history: o.history !== undefined,
    diagnostics: o.diagnostics !== undefined,
    timeZone: o.timeZone,
    ...(o.waitingFor !== undefined ? { waitingFor: o.waitingFor } : {}),
  }

  async function computeStats(): Promise<StatsSnapshot> {
    const now = ctx.now()
    const live = state.liveEnergy()
    let e: EnergyStats | null = live
    const latest = state.reading
    const meter = latest?.meter.id ?? null
    if (o.history !== undefined && meter !== null) {
      try {
        e = await historyEnergy(o.history, o.timeZone, meter, now, latest, live)
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
    return state.statsAt(now, hub.size, e, diagnostics)
  }

  function pushTariff(): void {
    const json = state.takeTariff()
    if (json !== null) hub.broadcast(SseHub.message('tariff', json))
  }

  let statsBusy = false
  function pushStats(): void {
    if (statsBusy) return
    statsBusy = true
    computeStats()
      .then((s) => hub.broadcast(SseHub.message('stats', JSON.stringify(s))))
      .catch((error: unknown) => ctx.logger.warn('statistics failed', { error }))
      .finally(() => {
        statsBusy = false
      })
  }

  const routes: DisplayRouteState = {
    options: o,
    config,
    files,
    hub,
    latestJson: () => state.latestJson,
    stats: () => state.stats,
    liveSamples: () => state.samples(ctx.now()),
    hello: () =>
      SseHub.message('hello', JSON.stringify(state.hello(config, hub.size + 1, ctx.now()))),
    costsLive: () => ({ current: state.reading, counted: state.liveEnergy() }),
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
      const seen = state.observe(frame, ctx.now())
      // The first frame makes energy and statistics available: send them without waiting.
      if (seen.first) pushStats()
      hub.broadcast(SseHub.message('frame', seen.json))
      if (seen.tariffChanged) pushTariff()
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
