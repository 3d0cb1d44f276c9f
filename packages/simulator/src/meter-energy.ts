import { APPLIANCES } from './household.js'
import type { Appliance, Household } from './household.js'
import { parisLocalTime } from '@linkyrpi/tic-core'
import { rand01 } from './random.js'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'
import type { TariffCalendar } from './tariff-calendar.js'

/** Energy is integrated in steps of at most this many simulated ms (the household changes at most once a minute). */
const SUBSTEP_MS = 10_000
const HALF_HOUR = 1_800_000

/** Energy the simulated household really used, integrated exactly (floats, not truncated like indexes). */
export interface GroundTruth {
  /** Simulated now (epoch ms). */
  readonly at: number
  /** Energy withdrawn since the start, in Wh. */
  readonly importWh: number
  /** Energy injected since the start, in Wh. */
  readonly exportWh: number
  /** Household consumption since the start, in Wh. */
  readonly consumptionWh: number
  /** PV production since the start, in Wh. */
  readonly productionWh: number
  /** Consumption per appliance since the start, in Wh. */
  readonly byApplianceWh: Readonly<Record<Appliance, number>>
  /** The meter's supplier index registers (initial value + energy), in Wh, keyed 1-10. */
  readonly registersWh: Readonly<Record<number, number>>
}

/** One point of the load curve: mean power in W over the half hour that ended at `at` (epoch ms). */
export interface CurvePoint {
  readonly w: number
  readonly at: number
}

/** The meter's energy registers and load curve, accumulated exactly (floats); mutated by {@link integrateEnergy}. */
export interface MeterEnergy {
  /** Supplier index registers in Wh, keyed 1-10 (EASF01-10; index 0 unused). */
  readonly registers: Float64Array
  /** Distributor index registers in Wh, keyed 1-4 (EASD01-04; index 0 unused). */
  readonly distributor: Float64Array
  /** Total energy withdrawn in Wh (EAST): the sum of the supplier registers. */
  total: number
  /** Total energy injected in Wh (EAIT). */
  exportTotal: number
  /** Reactive energy of quadrant 1 in varh (ERQ1). */
  reactive1: number
  /** What the household really did since the start, in Wh. */
  readonly truth: {
    importWh: number
    exportWh: number
    consumptionWh: number
    productionWh: number
  }
  /** Consumption per appliance since the start, in Wh. */
  readonly byApplianceWh: Record<Appliance, number>
  /** Half-hour slot being accumulated (epoch ms / 30 min). */
  curveSlot: number
  /** Energy withdrawn in the current half hour, in Wh. */
  curveImportWh: number
  /** Energy injected in the current half hour, in Wh. */
  curveExportWh: number
  /** Withdrawal load curve (CCASN, CCASN-1), newest first, at most 2 points. */
  readonly curve: CurvePoint[]
  /** Injection load curve (CCAIN, CCAIN-1), newest first, at most 2 points. */
  readonly curveInj: CurvePoint[]
}

/** Origin of the simulated indexes' history: 2020-01-01T00:00:00+01:00. */
export const INDEX_EPOCH = Date.UTC(2019, 11, 31, 23)
const YEAR_MS = 365.25 * 86_400_000
/** Share of the energy counted on each supplier index (1-6) per option: a typical household. */
const INDEX_SHARES: Readonly<Record<ResolvedSimulatorOptions['option'], readonly number[]>> = {
  base: [1],
  hc: [0.42, 0.58],
  ejp: [0.94, 0.06],
  tempo: [0.3, 0.42, 0.08, 0.12, 0.03, 0.05],
}

const DAY_MS = 86_400_000
/** Day of the year (from 1 January) of the coldest days, when heating uses the most. */
const COLDEST_DAY = 15

/**
 * Energy (Wh) the household `o` describes withdraws from 2020-01-01 to `t` (epoch ms) at its mean
 * daily rate: a base load, plus electric heating following the seasons (most in mid-January,
 * none in mid-July). Closed form, so any start is as cheap as another; increasing in `t`.
 */
export function historyImportWh(o: ResolvedSimulatorOptions, t: number): number {
  const days = Math.max(0, t - INDEX_EPOCH) / DAY_MS
  const year = YEAR_MS / DAY_MS
  // kWh/day: base use (less for a producer, whose PV covers part of it); heating at its coldest.
  const base = o.producer ? 9.5 : 12.5
  const heating = o.heating ? 40 : 0
  const w = (2 * Math.PI) / year
  const seasonal =
    ((heating / 2) * (Math.sin(w * (days - COLDEST_DAY)) - Math.sin(-w * COLDEST_DAY))) / w
  return ((base + heating / 2) * days + seasonal) * 1000
}

/**
 * The registers at `start` (epoch ms): what the meter would show after counting from 2020 at the
 * household's mean rate ({@link historyImportWh}), plus an offset drawn from the seed. A deterministic, increasing function
 * of the start: a simulator restarted later shows larger indexes, like a meter that kept counting.
 */
export function createMeterEnergy(o: ResolvedSimulatorOptions, start: number): MeterEnergy {
  const registers = new Float64Array(11)
  const years = Math.max(0, start - INDEX_EPOCH) / YEAR_MS
  const history = historyImportWh(o, start)
  const shares = INDEX_SHARES[o.option]
  for (let i = 1; i <= shares.length; i++) {
    const offset = 1_000_000 * rand01(o.seed, 0x1d, i) * shares[i - 1]!
    registers[i] = Math.floor(offset + history * shares[i - 1]!)
  }
  const distributor = new Float64Array(5)
  distributor[1] = registers[1]!
  for (let i = 2; i <= 10; i++) distributor[2] = distributor[2]! + registers[i]!
  let total = 0
  for (let i = 1; i <= 10; i++) total += registers[i]!
  return {
    registers,
    distributor,
    total,
    // Half of a PV production of 1,100 kWh per kWp and year is injected.
    exportTotal: o.producer
      ? Math.floor(500_000 * rand01(o.seed, 0x1e) + o.pvPeakW * 550 * years)
      : 0,
    reactive1: 0,
    truth: { importWh: 0, exportWh: 0, consumptionWh: 0, productionWh: 0 },
    byApplianceWh: Object.fromEntries(APPLIANCES.map((a) => [a, 0])) as Record<Appliance, number>,
    curveSlot: Math.floor(start / HALF_HOUR),
    curveImportWh: 0,
    curveExportWh: 0,
    curve: [],
    curveInj: [],
  }
}

/**
 * Integrates the household's power from `from` (epoch ms) over `durationMs` into `e`, in steps
 * of at most 10 s: each step's energy goes to the register the calendar says counts then.
 * `powerFactor` (cos φ) gives the reactive energy.
 */
export function integrateEnergy(
  e: MeterEnergy,
  calendar: TariffCalendar,
  household: Household,
  powerFactor: number,
  from: number,
  durationMs: number,
): void {
  const { registers, distributor, truth, byApplianceWh } = e
  let t = from
  const end = from + durationMs
  while (t < end) {
    const dt = Math.min(SUBSTEP_MS, end - t)
    const lt = parisLocalTime(t)
    const tariff = calendar.at(t, lt)
    const s = household.powerAt(t, tariff, lt)
    const hours = dt / 3_600_000
    const imp = Math.max(0, s.consumptionW - s.productionW) * hours
    const exp = Math.max(0, s.productionW - s.consumptionW) * hours
    registers[tariff.index] = registers[tariff.index]! + imp
    distributor[tariff.distributorIndex] = distributor[tariff.distributorIndex]! + imp
    e.total += imp
    e.exportTotal += exp
    e.reactive1 += imp * Math.tan(Math.acos(powerFactor))
    truth.importWh += imp
    truth.exportWh += exp
    truth.consumptionWh += s.consumptionW * hours
    truth.productionWh += s.productionW * hours
    for (const a of APPLIANCES) byApplianceWh[a] += s.byAppliance[a] * hours
    const slot = Math.floor(t / HALF_HOUR)
    if (slot !== e.curveSlot) {
      e.curve.unshift({ w: e.curveImportWh * 2, at: slot * HALF_HOUR })
      e.curveInj.unshift({ w: e.curveExportWh * 2, at: slot * HALF_HOUR })
      e.curve.length = Math.min(e.curve.length, 2)
      e.curveInj.length = Math.min(e.curveInj.length, 2)
      e.curveSlot = slot
      e.curveImportWh = 0
      e.curveExportWh = 0
    }
    e.curveImportWh += imp
    e.curveExportWh += exp
    t += dt
  }
}

/** A snapshot of `e` at simulated instant `at` (epoch ms): copies, safe to keep. */
export function groundTruth(e: MeterEnergy, at: number): GroundTruth {
  const reg: Record<number, number> = {}
  for (let i = 1; i <= 10; i++) reg[i] = e.registers[i]!
  return { at, ...e.truth, byApplianceWh: { ...e.byApplianceWh }, registersWh: reg }
}
