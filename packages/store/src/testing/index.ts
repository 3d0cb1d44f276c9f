/**
 * Synthetic meter data for tests and benchmarks: valid TIC frames (checksums included) of a
 * standard or historique single-phase meter with an HC/HP contract and a plausible load, decoded
 * by tic-core into `PipelineFrame`s. Production code must not import this subpath.
 */
import {
  createPipelineFrameDecoder,
  encodeFrame,
  formatHorodate,
  parisOffsetMs,
} from '@linkyrpi/tic-core'
import type { GroupSpec, TicMode } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { concat } from '@linkyrpi/tic-core/testing'

/** Options of {@link syntheticFrames}. */
export interface SyntheticOptions {
  /** Time of the first frame, epoch ms. */
  readonly start: number
  /** Number of frames. */
  readonly count: number
  /** Interval between frames in ms (default 2000). */
  readonly intervalMs?: number
  /** Meter id (ADS, 12 digits; default `021861348591`). */
  readonly meter?: string
  /** TIC mode (default `standard`). */
  readonly mode?: TicMode
  /** Subscribed power in kVA (default 9); change it mid-way to produce a contract change. */
  readonly subscribedKva?: number | ((t: number) => number)
  /** Initial index values in Wh (default 1,000,000 HC and 2,000,000 HP). */
  readonly initialWh?: readonly [number, number]
  /** First `meta.seq` (default 1). */
  readonly firstSeq?: number
}

/** Deterministic apparent power (VA) at `t`: a base load, a morning and an evening peak, noise. */
export function syntheticPowerVA(t: number): number {
  const hour = ((t + parisOffsetMs(t)) % 86_400_000) / 3_600_000
  let va = 350
  if (hour >= 7 && hour < 8.5) va += 1800
  if (hour >= 18.5 && hour < 22) va += 2500
  // Cheap deterministic noise from the time.
  const x = Math.sin(t / 7919) * 10000
  va += Math.round((x - Math.floor(x)) * 400)
  return va
}

/** True during off-peak hours (22:00-06:00 local). */
export function syntheticOffPeak(t: number): boolean {
  const hour = ((t + parisOffsetMs(t)) % 86_400_000) / 3_600_000
  return hour >= 22 || hour < 6
}

const pad = (n: number, width: number): string =>
  String(Math.max(0, Math.floor(n))).padStart(width, '0')

/** Generates the raw bytes of each frame, with its time (epoch ms). */
export function* syntheticFrameBytes(
  options: SyntheticOptions,
): Generator<{ readonly bytes: Uint8Array; readonly t: number }> {
  const interval = options.intervalMs ?? 2000
  const meter = options.meter ?? '021861348591'
  const mode = options.mode ?? 'standard'
  let hc = options.initialWh?.[0] ?? 1_000_000
  let hp = options.initialWh?.[1] ?? 2_000_000
  const kva = options.subscribedKva ?? 9
  for (let i = 0; i < options.count; i++) {
    const t = options.start + i * interval
    const va = syntheticPowerVA(t)
    const off = syntheticOffPeak(t)
    if (i > 0) {
      const wh = (va * interval) / 3_600_000
      if (off) hc += wh
      else hp += wh
    }
    const pref = typeof kva === 'number' ? kva : kva(t)
    const groups: GroupSpec[] =
      mode === 'standard'
        ? [
            { label: 'ADSC', value: meter },
            { label: 'VTIC', value: '02' },
            { label: 'DATE', value: '', horodate: formatHorodate(t) },
            { label: 'NGTF', value: 'H PLEINE/CREUSE ' },
            { label: 'LTARF', value: off ? 'HEURE  CREUSE' : 'HEURE  PLEINE' },
            { label: 'EAST', value: pad(hc + hp, 9) },
            { label: 'EASF01', value: pad(hc, 9) },
            { label: 'EASF02', value: pad(hp, 9) },
            { label: 'EASD01', value: pad(hc + hp, 9) },
            { label: 'IRMS1', value: pad(va / 230, 3) },
            { label: 'URMS1', value: pad(228 + (i % 7), 3) },
            { label: 'PREF', value: pad(pref, 2) },
            { label: 'PCOUP', value: pad(pref, 2) },
            { label: 'SINSTS', value: pad(va, 5) },
            {
              label: 'STGE',
              value: (0x003a0001 | ((off ? 0 : 1) << 10))
                .toString(16)
                .toUpperCase()
                .padStart(8, '0'),
            },
            { label: 'MSG1', value: 'PAS DE          MESSAGE         ' },
            { label: 'PRM', value: '09876543210123' },
            { label: 'RELAIS', value: '000' },
            { label: 'NTARF', value: off ? '01' : '02' },
          ]
        : [
            { label: 'ADCO', value: meter },
            { label: 'OPTARIF', value: 'HC..' },
            { label: 'ISOUSC', value: pad(pref * 5, 2) },
            { label: 'HCHC', value: pad(hc, 9) },
            { label: 'HCHP', value: pad(hp, 9) },
            { label: 'PTEC', value: off ? 'HC..' : 'HP..' },
            { label: 'IINST', value: pad(va / 230, 3) },
            { label: 'IMAX', value: '090' },
            { label: 'PAPP', value: pad(va, 5) },
            { label: 'HHPHC', value: 'A' },
            { label: 'MOTDETAT', value: '000000' },
          ]
    yield { bytes: encodeFrame(mode, groups), t }
  }
}

/** Generates decoded frames (reading included), `meta.receivedAt` = the frame's time. */
export function* syntheticFrames(options: SyntheticOptions): Generator<PipelineFrame> {
  const decoder = createPipelineFrameDecoder({
    mode: options.mode ?? 'auto',
    source: 'synthetic',
    firstSeq: options.firstSeq ?? 1,
  })
  const out: PipelineFrame[] = []
  const sink = { frame: (f: PipelineFrame) => out.push(f) }
  for (const { bytes, t } of syntheticFrameBytes(options)) {
    decoder.write(bytes, () => t, sink)
    yield* out.splice(0)
  }
}

/** The frames of {@link syntheticFrames} as one array. */
export function syntheticFrameArray(options: SyntheticOptions): PipelineFrame[] {
  return [...syntheticFrames(options)]
}

/** The raw bytes of {@link syntheticFrameBytes} concatenated: a capture file's content. */
export function syntheticCapture(options: SyntheticOptions): Uint8Array {
  const parts = [...syntheticFrameBytes(options)].map((f) => f.bytes)
  return concat(parts)
}
