import type { TempoColour, TicAlert, TicMode } from '@linkyrpi/tic-core'
import type { PowerSample } from './household.js'
import type { SimulatedOption, TariffState } from './tariff-calendar.js'

/**
 * The part of tic-core's `TicReading` the simulator meant to send with a frame, for tests that
 * decode the bytes and compare (`expect(reading).toMatchObject(expected)`).
 */
export interface ExpectedReading {
  readonly meter: {
    readonly id: string
    readonly mode: TicMode
    readonly phases: 1 | 3
    readonly producer: boolean
    readonly kind: 'linky' | 'pre-linky'
  }
  readonly contract: { readonly option: SimulatedOption; readonly subscribedVA: number }
  readonly period: {
    readonly index: number
    readonly code: string
    readonly tempoToday: TempoColour | null
    readonly tempoTomorrow: TempoColour | null
  }
  readonly energy: {
    readonly importWh: number
    readonly importByIndexWh: Readonly<Record<number, number>>
    readonly exportWh: number | null
  }
  readonly power: { readonly apparentVA: number | null; readonly injectedVA: number | null }
  readonly current: { readonly rmsA: readonly number[] }
  readonly relays: readonly boolean[] | null
  /** Sorted. */
  readonly alerts: readonly TicAlert[]
  readonly time: string | null
  readonly short: boolean
}

/** One frame as emitted by the simulated meter, with what it meant. */
export interface SimulatedFrame {
  /** Simulated instant the frame starts (epoch ms). */
  readonly at: number
  /** Simulated milliseconds until the next frame starts. */
  readonly durationMs: number
  /** Mode of this frame (changes after a mode-switch fault). */
  readonly mode: TicMode
  /** The bytes on the wire, faults applied. */
  readonly bytes: Uint8Array
  /** True when an EOT fault cut this frame (it must not decode). */
  readonly interrupted: boolean
  /** True for a historique three-phase short frame. */
  readonly short: boolean
  /** The reading the frame encodes (before faults). */
  readonly expected: ExpectedReading
  /** The true power when the frame was built. */
  readonly power: PowerSample & {
    readonly importW: number
    readonly exportW: number
    readonly apparentVA: number
  }
  /** The calendar when the frame was built. */
  readonly tariff: TariffState
}
