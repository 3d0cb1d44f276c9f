import { existsSync, realpathSync } from 'node:fs'
import type { SerialBinding } from '@linkyrpi/source-serial'
import { detectMeter } from './commands/detect.js'
import type { Detection } from './commands/detect.js'

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
  readonly path: string
  readonly detection: Detection
}

/** Options of {@link findMeter}. */
export interface FindMeterOptions {
  readonly binding: SerialBinding
  /** Ports to try, in order; those that do not exist are skipped (default {@link USUAL_PORTS}). */
  readonly ports?: readonly string[]
  /** Time given to each port, ms (default 12 000: both rates and a complete frame). */
  readonly timeoutMs?: number
  /** Time listened at each rate, ms (default 4000). */
  readonly windowMs?: number
  /** Called before each port is tried. */
  readonly onTry?: (path: string) => void
}

/**
 * Tries the existing ports among `ports` in turn (a link such as `/dev/serial0` and its target
 * are one port) and resolves to the first one where a meter answers, or null.
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
