import type { TicReading } from '@linkyrpi/tic-core'

/** Whether the subscribed power is exceeded, and by how much (VA, null when the meter does not tell). */
export interface Overpower {
  readonly over: boolean
  readonly excessVA: number | null
}

/**
 * The overpower state of a reading: the meter's alert (ADPS, ADIRx, STGE bit 7) or an apparent
 * power at or above the subscribed power; the excess is the apparent power above it.
 */
export function overpowerOf(r: TicReading): Overpower {
  const sub = r.contract.subscribedVA
  const va = r.power.apparentVA
  const excess = sub !== null && va !== null ? va - sub : null
  const over = r.alerts.includes('overpower') || (excess !== null && excess > 0)
  return { over, excessVA: over && excess !== null && excess > 0 ? excess : null }
}
