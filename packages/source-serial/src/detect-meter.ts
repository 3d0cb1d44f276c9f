import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicModeSetting, TicReading } from '@linkyrpi/tic-core'
import { serialSource } from './serial-source.js'
import type { SerialBinding, SerialSourceState } from './serial-source.js'

/** What {@link detectMeter} found: the line settings and the meter's identity and contract. */
export interface MeterDetection {
  /** `'historique'` or `'standard'`, from the frame. */
  readonly mode: string
  /** The port's rate when the frame arrived, in Bd. */
  readonly baudRate: number
  /** ADCO / ADSC, or null when the frame has none. */
  readonly meterId: string | null
  /** `'linky'`, `'pre-linky'`… (`TicReading.meter.kind`). */
  readonly meterKind: string
  /** The model read from the meter id, or null. */
  readonly model: string | null
  /** 1 or 3, or null when unknown. */
  readonly phases: number | null
  readonly producer: boolean
  /** Tariff option code (`'base'`, `'hc'`, `'tempo'`…), or null. */
  readonly option: string | null
  /** The meter's own label of the option, or null. */
  readonly optionLabel: string | null
  /** Subscribed power, in VA, or null. */
  readonly subscribedVA: number | null
  /** The serial source's note (e.g. data at a rate that is not the mode's: a pty), or null. */
  readonly note: string | null
}

/** Options of {@link detectMeter}. */
export interface DetectMeterOptions {
  /** Device path, e.g. `/dev/ttyUSB0`. */
  readonly path: string
  readonly binding: SerialBinding
  /** Give up after this long, in ms. */
  readonly timeoutMs: number
  /** `'auto'` detects; a fixed mode checks that mode only. */
  readonly mode: TicModeSetting
  /** Candidate rates in Bd, tried in order. */
  readonly baudRates: readonly number[]
  /** Time listened at each rate, in ms. */
  readonly windowMs: number
}

/** Why {@link detectMeter} found nothing. */
export type DetectFailure =
  /** The time ran out (the reason says what was heard), or the signal aborted. */
  | 'not-found'
  /** The port could not be opened. */
  | 'cannot-open'

/** Outcome of {@link detectMeter}: never a rejection. */
export type DetectMeterResult =
  { readonly found: MeterDetection } | { readonly failed: string; readonly cause: DetectFailure }

/**
 * Listens on a port with the serial source's detection (no reconnection, no re-detection) and
 * resolves at the first complete frame with at least 3 valid groups, more valid than refused,
 * that is not a short frame: its mode, the port's rate, the meter and its contract. Resolves to
 * a sentence saying why when the port cannot be opened, the time runs out (no data at all, data
 * at no rate, locked but no complete frame) or `signal` aborts.
 */
export function detectMeter(
  o: DetectMeterOptions,
  signal?: AbortSignal,
): Promise<DetectMeterResult> {
  return new Promise((resolve) => {
    const source = serialSource({
      path: o.path,
      binding: o.binding,
      mode: o.mode,
      baudRates: o.baudRates,
      detectWindowMs: o.windowMs,
      reconnect: false,
      silenceMs: 0,
    })
    let state: SerialSourceState = source.state()
    const stateSub = source.state$.subscribe((s) => {
      state = s
    })
    const decoder = createTicDecoder({ reading: true })
    let done = false
    const finish = (r: DetectMeterResult): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      sub.unsubscribe()
      stateSub.unsubscribe()
      resolve(r)
    }
    const timer = setTimeout(() => {
      const reason =
        state.status === 'locked'
          ? `locked on ${String(state.mode)} at ${String(state.baudRate)} Bd but no complete valid frame arrived`
          : (state.reason ?? 'no TIC found')
      finish({
        failed: `no TIC found on ${o.path} within ${String(o.timeoutMs / 1000)} s: ${reason}`,
        cause: 'not-found',
      })
    }, o.timeoutMs)
    signal?.addEventListener('abort', () => finish({ failed: 'interrupted', cause: 'not-found' }))
    const sub = source.subscribe({
      next: (chunk) => {
        for (const e of decoder.push(chunk)) {
          if (
            e.kind !== 'frame' ||
            e.frame.short ||
            e.frame.groups.length < 3 ||
            e.frame.rejected.length > e.frame.groups.length
          )
            continue
          finish({ found: describe(e.frame.reading!, state) })
          return
        }
      },
      error: (error: unknown) =>
        finish({
          failed: `cannot open ${o.path}: ${(error as Error).message.replace(`${o.path}: `, '').replace(/^Error: /, '')}`,
          cause: 'cannot-open',
        }),
    })
  })
}

function describe(r: TicReading, s: SerialSourceState): MeterDetection {
  return {
    mode: r.meter.mode,
    baudRate: s.baudRate ?? 0,
    meterId: r.meter.id,
    meterKind: r.meter.kind,
    model: r.meter.ads?.model ?? null,
    phases: r.meter.phases,
    producer: r.meter.producer,
    option: r.contract.option,
    optionLabel: r.contract.optionLabel,
    subscribedVA: r.contract.subscribedVA,
    note: s.reason,
  }
}
