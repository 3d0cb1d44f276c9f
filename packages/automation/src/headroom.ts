import type { TicReading } from '@linkyrpi/tic-core'

/** Load against the subscribed power, on the most loaded phase. */
export interface Headroom {
  /** Subscribed minus apparent power on the most loaded phase, VA (per-phase share on three-phase). */
  readonly headroomVA: number
  /** Apparent power on that phase (or the whole, single-phase), VA. */
  readonly loadVA: number
  /** Subscribed power for that phase (or the whole), VA. */
  readonly subscribedVA: number
  /** 1-3 on three-phase, null on single-phase. */
  readonly phase: number | null
}

/**
 * Headroom of a reading, or null when the reading lacks the subscribed power or the load.
 * Three-phase: each phase against a third of the subscribed power, using SINSTSx, else
 * IINSTx × 200 V (the meter's own overrun threshold IR = PREF / 200 V / 3, tic-spec.md §1.5).
 */
export function headroomOf(r: TicReading): Headroom | null {
  const subscribed = r.contract.subscribedVA
  if (subscribed === null || subscribed <= 0) return null
  if (r.meter.phases === 3) {
    const share = subscribed / 3
    const byPhase =
      r.power.apparentVAByPhase ?? r.current.rmsA?.map((a) => (a === null ? null : a * 200)) ?? null
    if (byPhase === null) return null
    let worst: Headroom | null = null
    byPhase.forEach((va, i) => {
      if (va !== null && (worst === null || share - va < worst.headroomVA))
        worst = { headroomVA: share - va, loadVA: va, subscribedVA: share, phase: i + 1 }
    })
    return worst
  }
  const rms = r.current.rmsA?.[0]
  const load = r.power.apparentVA ?? (rms === null || rms === undefined ? null : rms * 200)
  if (load === null) return null
  return { headroomVA: subscribed - load, loadVA: load, subscribedVA: subscribed, phase: null }
}
