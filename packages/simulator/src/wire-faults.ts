import { EOT, SERIAL_SETTINGS } from '@linkyrpi/tic-core'
import type { TicMode } from '@linkyrpi/tic-core'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'
import { uartMisread } from './uart.js'

/** The bytes received for one frame once faults are applied. */
export interface FaultedBytes {
  readonly bytes: Uint8Array
  /** True when an EOT fault cut the frame. */
  readonly interrupted: boolean
}

/**
 * Applies the fault options `f` to `wire`, the bytes sent for frame `frame` (the same array, or
 * `frame` behind the cut long frame when an overrun starts), in this order: an EOT cut of
 * `frame` (probability `eotRate`), byte drops and bit flips (per byte), then a misread at the
 * other baud rate of `mode`. Random draws come from `rng`. `wire` and `frame` are left as they
 * are (the simulator keeps the clean long frame to cut it when an overrun starts).
 */
export function applyWireFaults(
  wire: Uint8Array,
  frame: Uint8Array,
  mode: TicMode,
  f: ResolvedSimulatorOptions['faults'],
  rng: () => number,
): FaultedBytes {
  let bytes = wire
  let interrupted = false
  if (f.eotRate > 0 && rng() < f.eotRate) {
    const cut = 1 + Math.floor(rng() * (frame.length - 2))
    bytes = new Uint8Array(cut + 1)
    bytes.set(frame.subarray(0, cut))
    bytes[cut] = EOT
    interrupted = true
  }
  if (f.bitErrorRate > 0 || f.dropRate > 0) {
    if (bytes === wire) bytes = wire.slice()
    let w = 0
    for (let i = 0; i < bytes.length; i++) {
      if (f.dropRate > 0 && rng() < f.dropRate) continue
      let b = bytes[i]!
      if (f.bitErrorRate > 0 && rng() < f.bitErrorRate) b ^= 1 << Math.floor(rng() * 7)
      bytes[w++] = b
    }
    bytes = bytes.subarray(0, w)
  }
  if (f.wrongBaud) {
    const baud = SERIAL_SETTINGS[mode].baudRate
    bytes = uartMisread(bytes, baud, baud === 1200 ? 9600 : 1200)
  }
  return { bytes, interrupted }
}
