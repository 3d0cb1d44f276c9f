import type { TicMode } from '@linkyrpi/tic-core'
import { DEFAULT_START } from './options.js'
import type { FaultOptions, MeterSimulatorOptions, SimulatedMeterKind } from './options.js'
import type { SimulatedOption } from './tariff-calendar.js'

/** The options after defaults, as the simulator runs them. */
export interface ResolvedSimulatorOptions {
  readonly mode: TicMode
  readonly phases: 1 | 3
  readonly option: SimulatedOption
  readonly producer: boolean
  readonly meter: SimulatedMeterKind
  readonly icc: boolean
  readonly seed: number
  readonly start: number
  readonly subscribedKVA: number
  readonly powerFactor: number
  readonly heating: boolean
  readonly pvPeakW: number
  readonly overpower: boolean
  readonly intervalMs: number | null
  readonly faults: Required<Omit<FaultOptions, 'modeSwitchAtMs'>> & {
    readonly modeSwitchAtMs: number | null
  }
}

/** Validates options and fills in defaults; throws TypeError naming the option. */
export function resolveSimulatorOptions(o: MeterSimulatorOptions = {}): ResolvedSimulatorOptions {
  const meter = o.meter ?? 'linky'
  if (!['linky', 'cbemm', 'cbetm'].includes(meter))
    throw new TypeError(`"meter" must be linky, cbemm or cbetm, got '${meter}'`)
  const mode = o.mode ?? 'historique'
  if (mode !== 'historique' && mode !== 'standard')
    throw new TypeError(`"mode" must be historique or standard, got '${String(mode)}'`)
  if (mode === 'standard' && meter !== 'linky')
    throw new TypeError(`"mode" standard needs a Linky; a ${meter} only speaks historique`)
  const phases = o.phases ?? (meter === 'cbetm' ? 3 : 1)
  if (phases !== 1 && phases !== 3)
    throw new TypeError(`"phases" must be 1 or 3, got ${String(phases)}`)
  if (meter === 'cbemm' && phases !== 1) throw new TypeError('"phases": a CBEMM is single-phase')
  if (meter === 'cbetm' && phases !== 3) throw new TypeError('"phases": a CBETM is three-phase')
  const option = o.option ?? 'base'
  if (!['base', 'hc', 'ejp', 'tempo'].includes(option))
    throw new TypeError(`"option" must be base, hc, ejp or tempo, got '${option}'`)
  const num = (
    name: string,
    v: number | undefined,
    def: number,
    min: number,
    max: number,
  ): number => {
    const x = v ?? def
    if (!Number.isFinite(x) || x < min || x > max)
      throw new TypeError(
        `"${name}" must be a number in [${String(min)}, ${String(max)}], got ${String(v)}`,
      )
    return x
  }
  const f = o.faults ?? {}
  if (f.modeSwitchAtMs !== undefined && meter !== 'linky')
    throw new TypeError('"faults.modeSwitchAtMs": only a Linky can switch mode')
  return {
    mode,
    phases,
    option,
    producer: o.producer ?? false,
    meter,
    icc: o.icc ?? false,
    seed: Math.floor(num('seed', o.seed, 1, 0, 2 ** 32 - 1)),
    start: num('start', o.start, DEFAULT_START, 0, 8.64e15),
    subscribedKVA: Math.round(num('subscribedKVA', o.subscribedKVA, phases === 3 ? 12 : 6, 3, 36)),
    powerFactor: num('powerFactor', o.powerFactor, 1, 0.5, 1),
    heating: o.heating ?? true,
    pvPeakW: (o.producer ?? false) ? num('pvPeakW', o.pvPeakW, 3000, 0, 36_000) : 0,
    overpower: o.overpower ?? false,
    intervalMs:
      o.intervalMs === undefined ? null : num('intervalMs', o.intervalMs, 0, 1, 86_400_000),
    faults: {
      bitErrorRate: num('faults.bitErrorRate', f.bitErrorRate, 0, 0, 1),
      dropRate: num('faults.dropRate', f.dropRate, 0, 0, 1),
      eotRate: num('faults.eotRate', f.eotRate, 0, 0, 1),
      wrongBaud: f.wrongBaud ?? false,
      modeSwitchAtMs:
        f.modeSwitchAtMs === undefined
          ? null
          : num('faults.modeSwitchAtMs', f.modeSwitchAtMs, 0, 0, 8.64e15),
    },
  }
}
