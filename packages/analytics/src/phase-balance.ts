import type { SamplePoint } from '@linkyrpi/tic-core/stage'

/** Three-phase balance. */
export interface PhaseBalance {
  /** Share of the energy drawn on phases 1-3 (0-1), from the hourly mean powers. */
  readonly energyShare: readonly number[]
  /** Highest hourly mean power per phase, VA. */
  readonly peakVA: readonly number[]
  /** Share of the highest peak per phase (0-1). */
  readonly peakShare: readonly number[]
  /** (max - min) / mean of the energy shares: 0 balanced, 1.5 at most (one phase only). */
  readonly imbalance: number
  /** The phase (1-3) with the most room for a new load: the lowest peak. */
  readonly headroomPhase: number
  /** Subscribed power per phase (kVA × 1000 / 3) minus its peak, VA; null without subscription. */
  readonly headroomVA: readonly number[] | null
}

/** Balance of a three-phase meter from its hourly rollups; null when no per-phase power is stored. */
export function phaseBalance(
  hourly: readonly SamplePoint[],
  kva: number | null,
): PhaseBalance | null {
  const sum = [0, 0, 0]
  const peak = [0, 0, 0]
  let n = 0
  for (const p of hourly) {
    if (p.avgVAByPhase === null) continue
    n++
    for (let i = 0; i < 3; i++) {
      const v = p.avgVAByPhase[i] ?? null
      if (v === null) continue
      sum[i]! += v
      peak[i] = Math.max(peak[i]!, v)
    }
  }
  const total = sum[0]! + sum[1]! + sum[2]!
  if (n === 0 || total === 0) return null
  const energyShare = sum.map((s) => s / total)
  const peakTotal = peak[0]! + peak[1]! + peak[2]!
  const mean = 1 / 3
  const imbalance = (Math.max(...energyShare) - Math.min(...energyShare)) / mean
  const headroomPhase = peak.indexOf(Math.min(...peak)) + 1
  return {
    energyShare,
    peakVA: peak,
    peakShare: peak.map((p) => (peakTotal === 0 ? 0 : p / peakTotal)),
    imbalance,
    headroomPhase,
    headroomVA: kva === null ? null : peak.map((p) => (kva * 1000) / 3 - p),
  }
}
