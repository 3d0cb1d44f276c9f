import type { PowerSample } from './household.js'
import { rand01 } from './random.js'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'

const PHASES_1: readonly number[] = [0]
const PHASES_3: readonly number[] = [0, 1, 2]

/** What the meter measures at the start of a frame, derived from the household's true power. */
export interface FrameMeasurement {
  /** Active power withdrawn in W (consumption − production, ≥ 0). */
  readonly importW: number
  /** Active power injected in W (production − consumption, ≥ 0). */
  readonly exportW: number
  /** Apparent power withdrawn per phase in VA (index 0-2; phases 2-3 are 0 on single-phase). */
  readonly phaseVA: readonly number[]
  /** Apparent power withdrawn in VA. */
  readonly apparentVA: number
  /** Apparent power injected in VA. */
  readonly injectedVA: number
  /** RMS voltage per phase in V (index 0-2). */
  readonly u: readonly number[]
  /** RMS current per phase in A, rounded (index 0-2). */
  readonly amps: readonly number[]
  /** The phases the meter reports: [0] or [0, 1, 2]. */
  readonly phaseIdx: readonly number[]
  /** Per reported phase: current above the subscribed current (ISOUSC). */
  readonly overrun: readonly boolean[]
}

/** RMS voltage per phase in V at `at` (epoch ms): a daily swing, noise drawn from the seed, and the drop under load. */
function lineVoltages(seed: number, sample: PowerSample, at: number): number[] {
  const h = (at / 3_600_000) % 24
  return [0, 1, 2].map(
    (p) =>
      230 +
      4 * Math.sin((2 * Math.PI * h) / 24 + p) +
      3 * (rand01(seed, 0x70 + p, Math.floor(at / 10_000)) - 0.5) -
      sample.byPhaseW[p]! / 2000,
  )
}

/** What the meter of options `o` and subscribed current `isousc` (A per phase) measures of `sample` at `at` (epoch ms). */
export function measureFrame(
  o: ResolvedSimulatorOptions,
  isousc: number,
  sample: PowerSample,
  at: number,
): FrameMeasurement {
  const importW = Math.max(0, sample.consumptionW - sample.productionW)
  const exportW = Math.max(0, sample.productionW - sample.consumptionW)
  const pf = o.powerFactor
  const phaseShare = o.phases === 3 ? sample.productionW / 3 : sample.productionW
  const phaseVA = [0, 1, 2].map(
    (p) => Math.max(0, sample.byPhaseW[p]! - (p === 0 || o.phases === 3 ? phaseShare : 0)) / pf,
  )
  const u = lineVoltages(o.seed, sample, at)
  const amps = [0, 1, 2].map((p) => Math.round(phaseVA[p]! / u[p]!))
  const phaseIdx = o.phases === 3 ? PHASES_3 : PHASES_1
  return {
    importW,
    exportW,
    phaseVA,
    apparentVA: importW / pf,
    injectedVA: exportW / pf,
    u,
    amps,
    phaseIdx,
    overrun: phaseIdx.map((p) => amps[p]! > isousc),
  }
}
