/**
 * The stage contracts of the LinkyRPi pipeline (house-style.md §2.6): types, plus the one-line
 * {@link stampChunk} of the timed-chunk convention. Stage packages implement them;
 * `@linkyrpi/pipeline` composes them.
 *
 * Data flow: `Source` (bytes) → `Decoder` (tic-core's framer and decoder inside) → shared {@link PipelineFrame}s → every `Sink`.
 */
import type { Observable, OperatorFunction } from 'rxjs'
import type { DecodedFrame } from '../decoder.js'
import type { DiscardReason } from '../framer.js'
import type { GroupRejection } from '../group.js'
import type { TicReading } from '../reading.js'

/** Identity of a frame inside the pipeline. */
export interface FrameMeta {
  /** Per-run sequence number, from 1, assigned by the decoder stage. */
  readonly seq: number
  /** Receive time in epoch milliseconds (the ETX byte's arrival, or the replayed timestamp). */
  readonly receivedAt: number
  /** Stage id of the source that produced the bytes. */
  readonly source: string
}

/** What flows from the decoder to the sinks: a decoded frame, its reading and its identity. */
export interface PipelineFrame extends DecodedFrame {
  readonly reading: TicReading
  readonly meta: FrameMeta
}

/**
 * Bytes from a device. Cold: subscribing opens the device, unsubscribing closes it.
 * Errors only when the device fails; completes only when the input is finite (a replay).
 * A chunk may carry its receive time ({@link TimedChunk}, the simulator's chunks do).
 */
export type Source = Observable<Uint8Array>

/** Turns bytes or raw frames into pipeline frames; rejected groups are listed on the frame. */
export type Decoder = OperatorFunction<Uint8Array, PipelineFrame>

/**
 * Consumes frames and emits one {@link Ack} per frame once its effect is durable (committed,
 * stored by JetStream, broadcast), in input order. Completes after the input completes and
 * everything is flushed. Errors only when its infrastructure fails beyond its own retry budget.
 */
export type Sink<T = PipelineFrame> = (input: Observable<T>) => Observable<Ack>

/** A sink's acknowledgement of one frame. */
export interface Ack {
  /** `PipelineFrame.meta.seq` of the acknowledged frame. */
  readonly seq: number
  /** Stage id of the sink (from the config). */
  readonly sink: string
}

/** What every stage factory receives besides its own options. */
export interface StageContext {
  /** The stage id from the config. */
  readonly stage: string
  readonly logger: Logger
  readonly diagnostics: Diagnostics
  /** Current time in epoch milliseconds; a fake in tests. */
  readonly now: () => number
}

/** Where stages report data problems and infrastructure events, for counters and the dashboard. */
export interface Diagnostics {
  report(event: DiagnosticEvent): void
}

/** One diagnostic event. */
export type DiagnosticEvent =
  | {
      readonly kind: 'bytes-discarded'
      readonly stage: string
      readonly reason: DiscardReason
      readonly byteCount: number
    }
  | { readonly kind: 'group-rejected'; readonly stage: string; readonly rejection: GroupRejection }
  | {
      readonly kind: 'state'
      readonly stage: string
      readonly state: string
      readonly detail?: Readonly<Record<string, unknown>>
    }

/** Structured logger handed to stages (packages never import a logging library). */
export interface Logger {
  debug(message: string | (() => string), fields?: Readonly<Record<string, unknown>>): void
  info(message: string, fields?: Readonly<Record<string, unknown>>): void
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void
  error(message: string, fields?: Readonly<Record<string, unknown>>): void
  child(namespace: string): Logger
}

export { stampChunk } from './timed-chunk.js'
export type { TimedChunk } from './timed-chunk.js'

export type {
  Resolution,
  Rollup,
  PowerSeries,
  StoredMeter,
  SamplePoint,
  EnergyBucket,
  StoredEvent,
  HistoryStore,
  DiagnosticsSnapshot,
} from './history.js'
