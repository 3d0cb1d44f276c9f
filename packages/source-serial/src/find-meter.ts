import { existsSync, realpathSync } from 'node:fs'
import { detectMeter } from './detect-meter.js'
import type { MeterDetection } from './detect-meter.js'
import type { SerialBinding } from './serial-source.js'

/**
 * Where a TIC usually is: the Raspberry Pi's UART (`/dev/serial0` and the devices it links to),
 * then USB TIC dongles.
 */
export const USUAL_PORTS: readonly string[] = [
  '/dev/serial0',
  '/dev/ttyAMA0',
  '/dev/ttyS0',
  '/dev/ttyUSB0',
  '/dev/ttyUSB1',
  '/dev/ttyACM0',
  '/dev/ttyACM1',
]

/** A meter found on a port. */
export interface FoundMeter {
  /** The port as listed in `ports` (a link such as `/dev/serial0` is kept as given). */
  readonly path: string
  readonly detection: MeterDetection
}

/** Options of {@link findMeter}. */
export interface FindMeterOptions {
  readonly binding: SerialBinding
  /** Ports to try, in order; those that do not exist are skipped (default {@link USUAL_PORTS}). */
  readonly ports?: readonly string[]
  /** Time given to each port, in ms (default 12 000: both rates and a complete frame). */
  readonly timeoutMs?: number
  /** Time listened at each rate, in ms (default 4000). */
  readonly windowMs?: number
  /** Called before each port is tried. */
  readonly onTry?: (path: string) => void
}

/**
 * Tries the existing ports among `ports` in turn with {@link detectMeter} (auto mode, 1200 then
 * 9600 Bd; a link such as `/dev/serial0` and its target are one port) and resolves to the first
 * one where a meter answers, or null.
 */
export async function findMeter(
  o: FindMeterOptions,
  signal?: AbortSignal,
): Promise<FoundMeter | null> {
  const seen = new Set<string>()
  for (const path of o.ports ?? USUAL_PORTS) {
    if (signal?.aborted === true || !existsSync(path)) continue
    const real = realpathSync(path)
    if (seen.has(real)) continue
    seen.add(real)
    o.onTry?.(path)
    const r = await detectMeter(
      {
        path,
        binding: o.binding,
        timeoutMs: o.timeoutMs ?? 12_000,
        mode: 'auto',
        baudRates: [1200, 9600],
        windowMs: o.windowMs ?? 4000,
      },
      signal,
    )
    if ('found' in r) return { path, detection: r.found }
  }
  return null
}
