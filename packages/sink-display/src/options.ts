import { DEFAULT_SETTINGS } from '@linkyrpi/analytics'
import type { AnalyticsSettings } from '@linkyrpi/analytics'
import type { DiagnosticsSnapshot, HistoryStore } from '@linkyrpi/tic-core/stage'
import type { AutomationApi } from './automation-api.js'
import type { WaitingFor } from './protocol.js'

/** Dashboard languages. French is the default (the meters and their users are French). */
export type DisplayLang = 'fr' | 'en'

/** What {@link DisplaySinkOptions.onListening} receives once the HTTP server is bound. */
export interface DisplayListening {
  /** Base URL of the dashboard, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string
  /** Bound address (as given, or the resolved one for `0.0.0.0`). */
  readonly host: string
  /** Bound TCP port (the real one when `port` was 0). */
  readonly port: number
}

/** Options of `displaySink` and `startDisplayServer`. */
export interface DisplaySinkOptions {
  /** Address to bind. Default `127.0.0.1` (loopback only); `0.0.0.0` serves the LAN. */
  readonly host?: string
  /** TCP port. Default 8080; 0 picks a free port (tests). */
  readonly port?: number
  /** Called once the server listens, with the bound URL. */
  readonly onListening?: (listening: DisplayListening) => void
  /** The store's query API for the History screen and today's/month's energy. Optional. */
  readonly history?: HistoryStore
  /**
   * Prices, schedules and factors of the Costs screen (`/api/costs`): the configuration's
   * `analytics` section read by `parseAnalyticsConfig`. Default: the shipped regulated prices.
   */
  readonly analytics?: AnalyticsSettings
  /** Live pipeline health for the Diagnostics screen. Optional. */
  readonly diagnostics?: () => DiagnosticsSnapshot
  /** The node's Prometheus exposition (text format 0.0.4), served at `/metrics`. Optional (404 without). */
  readonly metrics?: () => string
  /** The node's automation stage, looked up per request (it may start after the dashboard). Optional. */
  readonly automation?: () => AutomationApi | undefined
  /** After this long without a frame every screen says "no data since …", in ms. Default 10 000. */
  readonly staleAfterMs?: number
  /** Default language of the pages (a visitor can switch). Default `'fr'`. */
  readonly lang?: DisplayLang
  /**
   * Bearer token for endpoints that change something. Without a token every mutating endpoint is
   * disabled (405 for any method other than GET/HEAD): today `POST /api/automation/override`.
   */
  readonly token?: string
  /** Cadence of tariff pushes (period, Tempo, EJP notice) in ms; a change is pushed at once. Default 60 000. */
  readonly tariffIntervalMs?: number
  /** Cadence of statistics pushes (energy today/this month, frame rate, diagnostics) in ms. Default 10 000. */
  readonly statsIntervalMs?: number
  /** Time zone of "today" and "this month". Default `Europe/Paris`. */
  readonly timeZone?: string
  /** Directory of the built client (index.html + assets). Default: the package's `dist/client`. */
  readonly clientDir?: string
  /** What feeds the dashboard; pages show it, with the likely causes, until the first frame. */
  readonly waitingFor?: WaitingFor
  /** A connection whose unsent data exceeds this many bytes is dropped (a stuck client). Default 1 MiB. */
  readonly maxClientBacklogBytes?: number
  /** Most event streams served at once; more get 503 (bounded memory). Default 50. */
  readonly maxClients?: number
}

/** Options with every default applied. */
export interface ResolvedDisplayOptions {
  readonly host: string
  readonly port: number
  readonly onListening: ((listening: DisplayListening) => void) | undefined
  readonly history: HistoryStore | undefined
  readonly analytics: AnalyticsSettings
  readonly diagnostics: (() => DiagnosticsSnapshot) | undefined
  readonly metrics: (() => string) | undefined
  readonly automation: (() => AutomationApi | undefined) | undefined
  readonly staleAfterMs: number
  readonly lang: DisplayLang
  readonly token: string | undefined
  readonly tariffIntervalMs: number
  readonly statsIntervalMs: number
  readonly timeZone: string
  readonly clientDir: string | undefined
  readonly waitingFor: WaitingFor | undefined
  readonly maxClientBacklogBytes: number
  readonly maxClients: number
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`"${name}" must be a positive number of milliseconds, got ${String(value)}`)
  return value
}

/**
 * Applies defaults and validates. Throws a `TypeError` naming the option on a bad value, before
 * any I/O.
 */
export function resolveDisplayOptions(options: DisplaySinkOptions = {}): ResolvedDisplayOptions {
  const port = options.port ?? 8080
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`"port" must be an integer in 0-65535, got ${String(port)}`)
  const lang = options.lang ?? 'fr'
  if (lang !== 'fr' && lang !== 'en')
    throw new TypeError(`"lang" must be 'fr' or 'en', got ${String(lang)}`)
  if (options.token !== undefined && options.token.length < 16)
    throw new TypeError('"token" must be at least 16 characters')
  const timeZone = options.timeZone ?? 'Europe/Paris'
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch (cause) {
    throw new TypeError(`"timeZone" is not a known time zone: ${timeZone}`, { cause })
  }
  return Object.freeze({
    host: options.host ?? '127.0.0.1',
    port,
    onListening: options.onListening,
    history: options.history,
    analytics: options.analytics ?? DEFAULT_SETTINGS,
    diagnostics: options.diagnostics,
    metrics: options.metrics,
    automation: options.automation,
    staleAfterMs: positive('staleAfterMs', options.staleAfterMs, 10_000),
    lang,
    token: options.token,
    tariffIntervalMs: positive('tariffIntervalMs', options.tariffIntervalMs, 60_000),
    statsIntervalMs: positive('statsIntervalMs', options.statsIntervalMs, 10_000),
    timeZone,
    clientDir: options.clientDir,
    waitingFor: options.waitingFor,
    maxClientBacklogBytes: positive(
      'maxClientBacklogBytes',
      options.maxClientBacklogBytes,
      1024 * 1024,
    ),
    maxClients: positive('maxClients', options.maxClients, 50),
  })
}
