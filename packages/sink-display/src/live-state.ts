import type { TicReading } from '@linkyrpi/tic-core'
import { toWire } from '@linkyrpi/tic-core'
import type { DiagnosticsSnapshot, PipelineFrame } from '@linkyrpi/tic-core/stage'
import { EnergyTracker } from './energy-tracker.js'
import { LiveSamples } from './live-samples.js'
import { LiveStats } from './live-stats.js'
import type {
  DashboardConfig,
  EnergyStats,
  HelloEvent,
  LiveSamplesAnswer,
  StatsSnapshot,
  TariffSnapshot,
} from './protocol.js'
import { tariffKey, tariffOf } from './tariff-snapshot.js'

/** What one frame changed, for the server to push. */
export interface Observed {
  /** The frame as wire JSON: the `frame` event's data. */
  readonly json: string
  /** The first frame since start: energy and statistics can be sent without waiting. */
  readonly first: boolean
  /** The tariff differs from the one last sent (see {@link LiveState.takeTariff}). */
  readonly tariffChanged: boolean
}

/**
 * What the dashboard server knows of the live data, with no I/O: the latest frame, the tariff,
 * the counters, the energy counted since start, the last 10 minutes of powers (ring buffer) and
 * the latest statistics snapshot. Times are epoch ms, given by the caller.
 */
export class LiveState {
  readonly #counters: LiveStats
  readonly #energy: EnergyTracker
  readonly #samples: LiveSamples
  #last: PipelineFrame | null = null
  #lastJson: string | null = null
  #lastAt: number | null = null
  #tariff: TariffSnapshot | null = null
  #tariffSentKey = ''
  #stats: StatsSnapshot

  /** `capacity` is the ring buffer's size in samples (see {@link LiveSamples}). */
  constructor(timeZone: string, now: number, capacity?: number) {
    this.#counters = new LiveStats(now)
    this.#energy = new EnergyTracker(timeZone)
    this.#samples = new LiveSamples(capacity)
    this.#stats = {
      at: now,
      frames: 0,
      framesPerSecond: 0,
      rejectedByReason: {},
      rejectedPerMinute: [],
      clients: 0,
      energy: null,
      diagnostics: null,
    }
  }

  /** Takes in one frame received at `now`. */
  observe(frame: PipelineFrame, now: number): Observed {
    const r = frame.reading
    this.#last = frame
    this.#lastAt = now
    this.#lastJson = JSON.stringify(toWire(frame))
    this.#counters.observe(frame, now)
    this.#energy.observe(r, now)
    this.#samples.push(r.meter.id, frame.meta.receivedAt, r.power.apparentVA, r.power.injectedVA)
    const t = tariffOf(frame, now)
    this.#tariff = t
    return {
      json: this.#lastJson,
      first: this.#counters.frames === 1,
      tariffChanged: tariffKey(t) !== this.#tariffSentKey,
    }
  }

  /** The latest reading, or null before the first frame. */
  get reading(): TicReading | null {
    return this.#last?.reading ?? null
  }

  /** The latest frame as wire JSON, or null before the first frame. */
  get latestJson(): string | null {
    return this.#lastJson
  }

  /** The latest statistics snapshot (see {@link LiveState.statsAt}). */
  get stats(): StatsSnapshot {
    return this.#stats
  }

  /** Today's and this month's energy counted since start, or null before a reading with indexes. */
  liveEnergy(): EnergyStats | null {
    return this.#energy.stats()
  }

  /** The tariff as JSON, remembered as sent; null before the first frame. */
  takeTariff(): string | null {
    if (this.#tariff === null) return null
    this.#tariffSentKey = tariffKey(this.#tariff)
    return JSON.stringify(this.#tariff)
  }

  /**
   * Builds, keeps and returns the statistics at `now` with the `energy` and `diagnostics` the
   * server got for it; the frame rate is over the time since the previous call.
   */
  statsAt(
    now: number,
    clients: number,
    energy: EnergyStats | null,
    diagnostics: DiagnosticsSnapshot | null,
  ): StatsSnapshot {
    const c = this.#counters
    this.#stats = {
      at: now,
      frames: c.frames,
      framesPerSecond: c.takeRate(now),
      rejectedByReason: { ...c.rejectedByReason },
      rejectedPerMinute: c.perMinute(now),
      clients,
      energy,
      diagnostics,
    }
    return this.#stats
  }

  /** The `hello` event's data for a page connecting at `now`, `clients` pages counting it. */
  hello(config: DashboardConfig, clients: number, now: number): HelloEvent {
    const stats = this.#stats
    return {
      config,
      frame: this.#last === null ? null : toWire(this.#last),
      lastFrameAgeMs: this.#lastAt === null ? null : Math.max(0, now - this.#lastAt),
      tariff: this.#tariff,
      // Live counts are always current; the store's figures come with the periodic push.
      stats: {
        ...stats,
        clients,
        energy: stats.energy?.source === 'history' ? stats.energy : this.#energy.stats(),
      },
    }
  }

  /**
   * The powers of the frames of the last 10 minutes at `now`: `GET /api/live/samples`. The window
   * is on the frames' clock (`receivedAt`: a replay's or a fast simulator's time), as a page's
   * curve: it ends at the latest frame's time plus the time elapsed since it came.
   */
  samples(now: number): LiveSamplesAnswer {
    const last = this.#last
    const frameNow =
      last === null || this.#lastAt === null ? now : last.meta.receivedAt + (now - this.#lastAt)
    return this.#samples.window(frameNow)
  }
}
