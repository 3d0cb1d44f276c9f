/**
 * What the server pushes to the pages over Server-Sent Events (`GET /events`) and answers on its
 * JSON API, shared by the server and the client (type-only). Times are epoch ms, energies Wh,
 * powers VA.
 *
 * Events: `hello` (on connect: {@link HelloEvent}), `frame` (every frame: a `WireFrame`),
 * `tariff` ({@link TariffSnapshot}, on change and every `tariffIntervalMs`), `stats`
 * ({@link StatsSnapshot}, every `statsIntervalMs`).
 */
import type { TicReading, WireFrame } from '@linkyrpi/tic-core'
import type { DiagnosticsSnapshot } from '@linkyrpi/tic-core/stage'

/**
 * What feeds the dashboard, so that a page can say what it waits for before the first frame:
 * a serial port (its path), the simulator, a replayed file, or another node over NATS.
 */
export interface WaitingFor {
  readonly kind: 'serial' | 'simulator' | 'replay' | 'remote' | 'other'
  /** The serial device, or the replayed file. */
  readonly path?: string
}

/** Server settings the page needs. */
export interface DashboardConfig {
  /** Default language. */
  readonly lang: 'fr' | 'en'
  /** A page shows "no data since …" after this long without a frame, ms. */
  readonly staleAfterMs: number
  /** True when a history store is configured (the History screen has data). */
  readonly history: boolean
  /** True when pipeline diagnostics are available. */
  readonly diagnostics: boolean
  /** IANA time zone of "today" and "this month". */
  readonly timeZone: string
  /** What the frames come from, when known (shown until the first frame). */
  readonly waitingFor?: WaitingFor
}

/** Sent first on every event-stream connection. */
export interface HelloEvent {
  readonly config: DashboardConfig
  /** The last frame, or null before the first. */
  readonly frame: WireFrame | null
  /** How long ago (server clock) the last frame arrived, ms, or null. */
  readonly lastFrameAgeMs: number | null
  readonly tariff: TariffSnapshot | null
  readonly stats: StatsSnapshot
}

/** Tariff state: pushed on change and at the tariff cadence. */
export interface TariffSnapshot {
  /** When it was computed, epoch ms. */
  readonly at: number
  readonly option: TicReading['contract']['option']
  readonly optionLabel: string | null
  readonly period: TicReading['period']
  /** An EJP / mobile-peak notice is running. */
  readonly peakNotice: boolean
  /** A mobile / EJP peak is in progress. */
  readonly peakActive: boolean
  readonly nextDayProfile: TicReading['calendar']['nextDayProfile']
}

/** Energy counted today and this month, per supplier index. */
export interface EnergyStats {
  /** Meter id (ADS). */
  readonly meter: string
  /** `history`: from the store; `live`: from the indexes seen since `since` (no store). */
  readonly source: 'history' | 'live'
  /** Start of the counted periods, epoch ms (local midnight / first of month, or later for `live`). */
  readonly sinceDay: number
  readonly sinceMonth: number
  /** Wh per index number. */
  readonly todayByIndexWh: Readonly<Record<number, number>>
  readonly monthByIndexWh: Readonly<Record<number, number>>
  readonly todayExportWh: number | null
  readonly monthExportWh: number | null
}

/** Rejected groups counted over one minute, by reason. */
export interface RejectedMinute {
  /** Start of the minute, epoch ms. */
  readonly t: number
  readonly byReason: Readonly<Record<string, number>>
}

/** Statistics pushed at the statistics cadence. */
export interface StatsSnapshot {
  readonly at: number
  /** Frames received by the dashboard since start. */
  readonly frames: number
  /** Frames per second over the last interval. */
  readonly framesPerSecond: number
  /** Rejected groups since start, by reason (as seen by the dashboard). */
  readonly rejectedByReason: Readonly<Record<string, number>>
  /** The last 60 minutes of rejected groups, oldest first. */
  readonly rejectedPerMinute: readonly RejectedMinute[]
  /** Connected pages. */
  readonly clients: number
  readonly energy: EnergyStats | null
  /** The pipeline's snapshot when configured, else null. */
  readonly diagnostics: DiagnosticsSnapshot | null
}

/**
 * `GET /api/live/samples`: the last 10 minutes of frames the server received, as columns (same
 * length), oldest first. Times are the frames' `receivedAt` (epoch ms, as in the `frame` events),
 * powers VA, null when the frame had none. `meter` is the meter of these frames, null before one.
 */
export interface LiveSamplesAnswer {
  readonly meter: string | null
  readonly t: readonly number[]
  readonly va: readonly (number | null)[]
  readonly inj: readonly (number | null)[]
}
