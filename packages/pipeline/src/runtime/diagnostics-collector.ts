import type { TicReading } from '@linkyrpi/tic-core'
import type {
  DiagnosticEvent,
  Diagnostics,
  DiagnosticsSnapshot,
  PipelineFrame,
} from '@linkyrpi/tic-core/stage'

/** Live counters of one sink (mutated by the runner, read by snapshots). */
export interface SinkCounters {
  readonly id: string
  /** `starting`, `running`, `retrying`, `flushing`, `done`, `failed`. */
  state: string
  /** Frames received from upstream. */
  received: number
  acked: number
  /** Frames dropped by the overflow policy. */
  dropped: number
  /** Frames waiting or in flight (received − acked − dropped). */
  lag: number
  errors: number
  retries: number
  /** On-disk spool use, from the sink's own `state` reports (store sinks), else null. */
  spool: { usedBytes: number; capacityBytes: number } | null
}

/** Live counters of one source. */
export interface SourceCounters {
  id: string
  state: string
  mode: 'historique' | 'standard' | null
  baudRate: number | null
  bytes: number
  frames: number
  lastFrameAt: number | null
}

/** States that count as a reconnection attempt (sources retrying, MQTT reconnecting). */
const RECONNECTING = new Set(['retrying', 'reconnecting'])
/** Most meters whose latest reading is kept for the metrics. */
const MAX_METERS = 32

/**
 * The node's {@link Diagnostics}: counts what stages report (discarded bytes and rejected groups
 * by reason, source states) and what the runner observes (bytes, frames, per-sink acks, lag,
 * errors, retries, drops), and produces {@link DiagnosticsSnapshot}s for the dashboard and the log.
 */
export class DiagnosticsCollector implements Diagnostics {
  private readonly sources = new Map<string, SourceCounters>()
  private readonly sinkCounters = new Map<string, SinkCounters>()
  private readonly rejected: Record<string, number> = {}
  private readonly discarded: Record<string, number> = {}
  private readonly listeners: ((event: DiagnosticEvent) => void)[] = []
  private readonly reconnectCounts: Record<string, number> = {}
  private readonly readings = new Map<
    string,
    { readonly reading: TicReading; readonly at: number }
  >()

  /** @param now Clock, epoch ms. */
  constructor(private readonly now: () => number) {}

  /** Calls `listener` with every `state` event from now on (the NATS `.events` publisher). */
  onState(listener: (event: DiagnosticEvent) => void): void {
    this.listeners.push(listener)
  }

  /** Records a stage's event. Never throws. */
  report(event: DiagnosticEvent): void {
    switch (event.kind) {
      case 'bytes-discarded':
        this.discarded[event.reason] = (this.discarded[event.reason] ?? 0) + event.byteCount
        break
      case 'group-rejected':
        this.rejected[event.rejection.reason] = (this.rejected[event.rejection.reason] ?? 0) + 1
        break
      case 'state': {
        if (RECONNECTING.has(event.state))
          this.reconnectCounts[event.stage] = (this.reconnectCounts[event.stage] ?? 0) + 1
        const sink = this.sinkCounters.get(event.stage)
        if (sink !== undefined) {
          // A sink's own report (store outage, MQTT connection): its state and spool, not a source.
          sink.state = event.state
          const used = event.detail?.spoolBytes
          const capacity = event.detail?.spoolCapacityBytes
          if (typeof used === 'number' && typeof capacity === 'number')
            sink.spool = { usedBytes: used, capacityBytes: capacity }
          for (const listener of this.listeners) listener(event)
          break
        }
        const source = this.source(event.stage)
        source.state = event.state
        const mode = event.detail?.mode
        if (mode === 'historique' || mode === 'standard') source.mode = mode
        const baud = event.detail?.baudRate
        if (typeof baud === 'number') source.baudRate = baud
        for (const listener of this.listeners) listener(event)
        break
      }
    }
  }

  /** Adds bytes read by a source. */
  addBytes(stage: string, count: number): void {
    this.source(stage).bytes += count
  }

  /** Counts a decoded frame of a source. */
  addFrame(stage: string, at: number): void {
    const source = this.source(stage)
    source.frames += 1
    source.lastFrameAt = at
  }

  /**
   * Keeps the latest reading of each meter (a reference, no copy), for the metrics. At most
   * {@link MAX_METERS} meters are kept (bounded memory).
   */
  observeReading(frame: PipelineFrame, at: number): void {
    const id = frame.reading.meter.id
    if (id === null || (this.readings.size >= MAX_METERS && !this.readings.has(id))) return
    this.readings.set(id, { reading: frame.reading, at })
  }

  /** The latest reading of each meter seen by this node, with its receive time (epoch ms). */
  latestReadings(): ReadonlyMap<string, { readonly reading: TicReading; readonly at: number }> {
    return this.readings
  }

  /** The counters as they are now (read-only views, for the metrics exposition). */
  counters(): {
    readonly sources: readonly Readonly<SourceCounters>[]
    readonly sinks: readonly Readonly<SinkCounters>[]
    readonly rejectedByReason: Readonly<Record<string, number>>
    readonly discardedByReason: Readonly<Record<string, number>>
    readonly reconnectsByStage: Readonly<Record<string, number>>
  } {
    return {
      sources: [...this.sources.values()],
      sinks: [...this.sinkCounters.values()],
      rejectedByReason: this.rejected,
      discardedByReason: this.discarded,
      reconnectsByStage: this.reconnectCounts,
    }
  }

  /** The counters of a sink, created on first use. */
  sink(id: string): SinkCounters {
    let counters = this.sinkCounters.get(id)
    if (counters === undefined) {
      counters = {
        id,
        state: 'starting',
        received: 0,
        acked: 0,
        dropped: 0,
        lag: 0,
        errors: 0,
        retries: 0,
        spool: null,
      }
      this.sinkCounters.set(id, counters)
    }
    return counters
  }

  /** Declares a source (so it appears before its first byte). */
  source(id: string): SourceCounters {
    let counters = this.sources.get(id)
    if (counters === undefined) {
      counters = {
        id,
        state: 'starting',
        mode: null,
        baudRate: null,
        bytes: 0,
        frames: 0,
        lastFrameAt: null,
      }
      this.sources.set(id, counters)
    }
    return counters
  }

  /** A copy of the counters now. The snapshot's `source` is the node's first source. */
  snapshot(): DiagnosticsSnapshot {
    const first = this.sources.values().next().value as SourceCounters | undefined
    return {
      at: this.now(),
      source:
        first === undefined
          ? {
              id: '',
              state: 'none',
              mode: null,
              baudRate: null,
              bytes: 0,
              frames: 0,
              lastFrameAt: null,
            }
          : { ...first },
      rejectedByReason: { ...this.rejected },
      discardedByReason: { ...this.discarded },
      sinks: [...this.sinkCounters.values()].map((s) => ({
        id: s.id,
        state: s.state,
        acked: s.acked,
        lag: s.lag,
        errors: s.errors,
        retries: s.retries,
        spool: s.spool === null ? null : { ...s.spool },
      })),
    }
  }

  /** Dropped frames per sink (not part of the dashboard snapshot type; logged). */
  dropped(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const s of this.sinkCounters.values()) out[s.id] = s.dropped
    return out
  }
}
