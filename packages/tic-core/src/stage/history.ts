/**
 * The read side of storage, as the dashboard and analytics see it (type-only). Implemented by the
 * store packages (SQLite, PostgreSQL); consumed by `sink-display` and analytics. Times are epoch
 * milliseconds; powers in VA, energies in Wh.
 */
import type { TicReading } from '../reading.js'

/** Resolution of a power curve: full resolution, or a rollup bucket. */
export type Resolution = 'raw' | '1m' | '1h' | '1d'

/** A rollup resolution (every {@link Resolution} but `raw`). */
export type Rollup = Exclude<Resolution, 'raw'>

/** One meter known to the store. */
export interface StoredMeter {
  /** ADS (12 characters). */
  readonly id: string
  readonly prm: string | null
  readonly mode: 'historique' | 'standard'
  readonly phases: 1 | 3 | null
  readonly producer: boolean
  readonly firstSeen: number
  readonly lastSeen: number
}

/** One point of a power curve. At `raw` resolution min = avg = max. */
export interface SamplePoint {
  /** Start of the bucket (or the sample time at `raw`), epoch ms. */
  readonly t: number
  /** Average apparent power withdrawn, VA. */
  readonly avgVA: number | null
  readonly minVA: number | null
  readonly maxVA: number | null
  /** Average apparent power per phase, VA (three-phase standard), else null. */
  readonly avgVAByPhase: readonly (number | null)[] | null
  /** Average apparent power injected, VA (producers), else null. */
  readonly avgInjectedVA: number | null
}

/**
 * A power curve as columns, without an object per point: what analytics reads over weeks of
 * one-minute rollups (44,640 points a month).
 */
export interface PowerSeries {
  /** Start of each bucket, epoch ms, ascending. */
  readonly t: Float64Array
  /** Average apparent power withdrawn of each bucket, VA; NaN where a {@link SamplePoint}'s `avgVA` is null. */
  readonly avgVA: Float64Array
}

/** Energy over one local calendar day or month (Europe/Paris). */
export interface EnergyBucket {
  /** Local start of the day or month, epoch ms. */
  readonly start: number
  readonly bucket: 'day' | 'month'
  /** Energy withdrawn per supplier index, Wh, keyed by index number 1-10. */
  readonly byIndexWh: Readonly<Record<number, number>>
  /** Total withdrawn, Wh. */
  readonly importWh: number
  /** Total injected, Wh (0 when not a producer). */
  readonly exportWh: number
}

/** A stored event (period change, Tempo announcement, overpower, relay change, gap…). */
export interface StoredEvent {
  readonly t: number
  readonly meter: string
  /** Kebab-case kind: `period-change`, `tempo-announced`, `overpower`, `relay-change`, `gap`, `register-reset`… (docs/storage.md). */
  readonly kind: string
  readonly detail: Readonly<Record<string, unknown>>
}

/** Query API of a store, for the dashboard's history screens and analytics. */
export interface HistoryStore {
  meters(): Promise<readonly StoredMeter[]>
  /**
   * The latest reading of a meter stored in full, with its time (epoch ms), or null. It may be up
   * to a minute of data time older than the meter's latest sample (`StoredMeter.lastSeen`), never
   * across a change of period, relays, status, alerts or messages (see docs/storage.md, "Meters").
   */
  latest(meter: string): Promise<{ readonly t: number; readonly reading: TicReading } | null>
  /**
   * Power curve over [from, to). `'auto'` picks the coarsest resolution that still gives at
   * least ~300 points (raw for a day or less, rollups beyond).
   */
  samples(
    meter: string,
    from: number,
    to: number,
    resolution: Resolution | 'auto',
  ): Promise<readonly SamplePoint[]>
  /**
   * The average power of `samples(meter, from, to, resolution)` as columns (the same values,
   * read without building a point per bucket). Optional: without it, callers read `samples`.
   */
  averagePower?(meter: string, from: number, to: number, resolution: Rollup): Promise<PowerSeries>
  /** Energy per index per local day or month over [from, to). */
  energy(
    meter: string,
    from: number,
    to: number,
    bucket: 'day' | 'month',
  ): Promise<readonly EnergyBucket[]>
  /** Events over [from, to), newest first, at most `limit` (default 500). */
  events(meter: string, from: number, to: number, limit?: number): Promise<readonly StoredEvent[]>
}

/** A live view of the pipeline's health, for the dashboard's diagnostics screen. */
export interface DiagnosticsSnapshot {
  /** When the snapshot was taken, epoch ms. */
  readonly at: number
  readonly source: {
    readonly id: string
    /** `detecting`, `locked`, `disconnected`, `replaying`, `simulating`… */
    readonly state: string
    readonly mode: 'historique' | 'standard' | null
    readonly baudRate: number | null
    readonly bytes: number
    readonly frames: number
    readonly lastFrameAt: number | null
  }
  /** Rejected groups by reason since start. */
  readonly rejectedByReason: Readonly<Record<string, number>>
  /** Discarded bytes by reason since start. */
  readonly discardedByReason: Readonly<Record<string, number>>
  readonly sinks: readonly {
    readonly id: string
    readonly state: string
    readonly acked: number
    /** Frames received but not yet acknowledged. */
    readonly lag: number
    readonly errors: number
    readonly retries: number
    /** On-disk spool use when the sink buffers an outage, else null. */
    readonly spool: { readonly usedBytes: number; readonly capacityBytes: number } | null
  }[]
}
