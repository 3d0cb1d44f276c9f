import type { TempoColour } from './tariff.js'

/** Why the cut-off device is open (STGE bits 1-3, tic-spec.md §7). */
export type CutoffState =
  | 'closed'
  | 'overpower'
  | 'overvoltage'
  | 'load-shedding'
  | 'remote-order'
  | 'overheat-high-current'
  | 'overheat-low-current'
  | 'unknown'

/** The STGE status register of standard mode, field by field (54E §6.2.3.14). */
export interface Stge {
  /** The 8 hex characters as sent. */
  readonly raw: string
  /** The 32-bit value. */
  readonly value: number
  /** Bit 0: the dry contact is open. */
  readonly dryContactOpen: boolean
  /** Bits 1-3: state of the cut-off device. */
  readonly cutoff: CutoffState
  /** Bit 4: the distributor terminal cover is open. */
  readonly coverOpen: boolean
  /** Bit 6: overvoltage on a phase. */
  readonly overvoltage: boolean
  /** Bit 7: the reference (subscribed) power is exceeded. */
  readonly overpower: boolean
  /** Bit 8: the meter works as a producer. */
  readonly producer: boolean
  /** Bit 9: active energy flows towards the grid (injection). */
  readonly injecting: boolean
  /** Bits 10-13 + 1: the supplier index being incremented (1-10). */
  readonly supplierIndex: number
  /** Bits 14-15 + 1: the distributor index being incremented (1-4). */
  readonly distributorIndex: number
  /** Bit 16: the meter clock is in degraded mode. */
  readonly clockDegraded: boolean
  /** Bit 17: the TIC output mode. */
  readonly ticMode: 'historique' | 'standard'
  /** Bits 19-20: Euridis output state. */
  readonly euridis: 'disabled' | 'enabled' | 'secured' | 'undefined'
  /** Bits 21-22: PLC (CPL) status. */
  readonly plcStatus: 'new-unlock' | 'new-lock' | 'registered' | 'undefined'
  /** Bit 23: PLC synchronised. */
  readonly plcSynchronised: boolean
  /** Bits 24-25: today's Tempo colour, null when not announced / not Tempo. */
  readonly tempoToday: TempoColour | null
  /** Bits 26-27: tomorrow's Tempo colour, null until announced. */
  readonly tempoTomorrow: TempoColour | null
  /** Bits 28-29: mobile-peak notice for PM1/PM2/PM3, or 0. */
  readonly mobilePeakNotice: 0 | 1 | 2 | 3
  /** Bits 30-31: mobile peak PM1/PM2/PM3 in progress, or 0. */
  readonly mobilePeakActive: 0 | 1 | 2 | 3
}

const CUTOFF: readonly CutoffState[] = [
  'closed',
  'overpower',
  'overvoltage',
  'load-shedding',
  'remote-order',
  'overheat-high-current',
  'overheat-low-current',
  'unknown',
]
const COLOURS: readonly (TempoColour | null)[] = [null, 'blue', 'white', 'red']
const EURIDIS = ['disabled', 'enabled', 'undefined', 'secured'] as const
const PLC = ['new-unlock', 'new-lock', 'registered', 'undefined'] as const

/** Decodes STGE; null unless it is exactly 8 hex digits. */
export function parseStge(raw: string | undefined): Stge | null {
  if (raw === undefined || !/^[0-9A-Fa-f]{8}$/.test(raw)) return null
  const v = parseInt(raw, 16) >>> 0
  const f = (lsb: number, width: number): number => (v >>> lsb) & ((1 << width) - 1)
  return {
    raw,
    value: v,
    dryContactOpen: f(0, 1) === 1,
    cutoff: CUTOFF[f(1, 3)]!,
    coverOpen: f(4, 1) === 1,
    overvoltage: f(6, 1) === 1,
    overpower: f(7, 1) === 1,
    producer: f(8, 1) === 1,
    injecting: f(9, 1) === 1,
    supplierIndex: f(10, 4) + 1,
    distributorIndex: f(14, 2) + 1,
    clockDegraded: f(16, 1) === 1,
    ticMode: f(17, 1) === 1 ? 'standard' : 'historique',
    euridis: EURIDIS[f(19, 2)]!,
    plcStatus: PLC[f(21, 2)]!,
    plcSynchronised: f(23, 1) === 1,
    tempoToday: COLOURS[f(24, 2)]!,
    tempoTomorrow: COLOURS[f(26, 2)]!,
    mobilePeakNotice: f(28, 2) as 0 | 1 | 2 | 3,
    mobilePeakActive: f(30, 2) as 0 | 1 | 2 | 3,
  }
}
