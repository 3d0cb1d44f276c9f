import type { TicMode } from '@linkyrpi/tic-core'
import type { OffPeakRange, SimulatedOption } from './tariff-calendar.js'

/** The meter hardware being simulated. */
export type SimulatedMeterKind = 'linky' | 'cbemm' | 'cbetm'

/** Faults injected into the bytes on the wire (all off by default). */
export interface FaultOptions {
  /** Probability per byte that one of its 7 data bits is flipped (0-1). */
  readonly bitErrorRate?: number
  /** Probability per byte that it is lost (0-1). */
  readonly dropRate?: number
  /** Probability per frame that it is cut part-way and followed by EOT (0-1). */
  readonly eotRate?: number
  /**
   * Emit what a receiver set to the other baud rate would read (1200 ↔ 9600): garbage that must
   * never decode. The frames' timing and ground truth are unchanged.
   */
  readonly wrongBaud?: boolean
  /** Simulated milliseconds after the start at which the meter switches mode (historique ↔ standard). */
  readonly modeSwitchAtMs?: number
}

/** Options of {@link createMeterSimulator}. Every field has a default; the same options and seed give the same bytes. */
export interface MeterSimulatorOptions {
  /** TIC mode (default `'historique'`). Standard mode needs a Linky. */
  readonly mode?: TicMode
  /** 1 or 3 phases (default 1; 3 for a CBETM). */
  readonly phases?: 1 | 3
  /** Tariff option (default `'base'`). */
  readonly option?: SimulatedOption
  /** PV production with injection (default false). Export labels exist in standard mode only. */
  readonly producer?: boolean
  /** Meter hardware (default `'linky'`): `cbemm` is single-phase, `cbetm` three-phase, both historique only. */
  readonly meter?: SimulatedMeterKind
  /** A CBEMM with ICC sends PAPP; without it (the default) it does not. */
  readonly icc?: boolean
  /** Seed of every random choice (default 1). */
  readonly seed?: number
  /** Simulated start instant in epoch ms (default 2026-01-12T00:00:00+01:00, a winter Monday). */
  readonly start?: number
  /** Subscribed power in kVA (default 6 single-phase, 12 three-phase). */
  readonly subscribedKVA?: number
  /** cos φ of the household: apparent power = active / powerFactor (default 1, so VA = W). */
  readonly powerFactor?: number
  /** Off-peak windows (default 22:00-06:00). */
  readonly offPeak?: readonly OffPeakRange[]
  /** Electric heating (default true). */
  readonly heating?: boolean
  /** PV peak power in W when `producer` (default 3000). */
  readonly pvPeakW?: number
  /** A daily overpower episode around 19:30 (default false). */
  readonly overpower?: boolean
  /**
   * Simulated milliseconds from one frame's start to the next. Default: the real pace, frame
   * length ÷ character rate (120 or 960 chars/s) + a 25 ms inter-frame gap. A larger value thins
   * the output (e.g. 60000 for one frame a minute) while energy is still integrated every second.
   */
  readonly intervalMs?: number
  readonly faults?: FaultOptions
}

/** Default simulated start: Monday 12 January 2026, 00:00 in Paris. */
export const DEFAULT_START = Date.UTC(2026, 0, 11, 23, 0, 0)
