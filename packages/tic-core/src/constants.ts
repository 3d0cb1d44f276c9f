import type { TicMode } from './mode.js'

/** Start of frame. */
export const STX = 0x02
/** End of frame. */
export const ETX = 0x03
/** Frame interrupted (the partial frame is void). */
export const EOT = 0x04
/** Start of group. */
export const LF = 0x0a
/** End of group. */
export const CR = 0x0d
/** Field separator in historique mode. */
export const SP = 0x20
/** Field separator in standard mode. */
export const HT = 0x09

/** Serial line settings of a mode: always 7 data bits, even parity, 1 stop bit (7E1). */
export interface SerialSettings {
  /** Bits per second. */
  readonly baudRate: 1200 | 9600
  readonly dataBits: 7
  readonly parity: 'even'
  readonly stopBits: 1
  /** Characters per second on the wire (10 bit times per character). */
  readonly charsPerSecond: 120 | 960
}

/** Serial settings per mode (tic-spec.md §1.1). */
export const SERIAL_SETTINGS: Readonly<Record<TicMode, SerialSettings>> = {
  historique: { baudRate: 1200, dataBits: 7, parity: 'even', stopBits: 1, charsPerSecond: 120 },
  standard: { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1, charsPerSecond: 960 },
}

/** The separator byte of a mode. */
export function separatorOf(mode: TicMode): number {
  return mode === 'standard' ? HT : SP
}
