/**
 * Energy counting per index register, robust to an index that goes down: the energy of a value
 * is its increment over the register's previous value in time order; a drop (meter replaced
 * under the same id, register reset, simulator restarted, another history imported under the same
 * id) counts 0 and counting goes on from the new value. Frames older than what was already
 * counted never count twice: a frame inside the counted span counts nothing, a frame before it
 * (an older history imported) is counted on its own chain.
 */

/** A register's value (Wh) at time `t` (epoch ms), the reference of the next increment. */
export interface RegisterRef {
  t: number
  v: number
}

/** Where counting stands for one meter. Mutable: {@link copyEnergyCounter} before a transaction. */
export interface EnergyCounter {
  /** Latest counted value of each register in time order (the forward chain). */
  readonly forward: Map<string, RegisterRef>
  /** Values of frames older than `floor`, counted on their own chain (an older history imported). */
  readonly back: Map<string, RegisterRef>
  /** Start of the forward chain: the meter's first stored time, or its first frame; null before any. */
  floor: number | null
  /** Start of the back chain; a frame older still starts a new back chain (another, older import). */
  backFloor: number | null
}

/** The outcome of {@link countValue}, written into a caller-owned object (no allocation per value). */
export interface CountStep {
  /** Energy to count for this value (Wh, ≥ 0). */
  wh: number
  /** The register went down: its previous value (Wh), else -1. */
  resetFrom: number
  /** Time of that previous value (epoch ms) when `resetFrom` ≥ 0. */
  resetFromT: number
}

/**
 * A counter resuming from a stored meter: `registers` (name, value pairs) of its latest reading
 * at `lastT`, and its first stored time `firstT`; or a fresh one (no arguments).
 */
export function createEnergyCounter(
  firstT: number | null = null,
  lastT?: number,
  registers: readonly (string | number)[] = [],
): EnergyCounter {
  const forward = new Map<string, RegisterRef>()
  if (lastT !== undefined)
    for (let k = 0; k < registers.length; k += 2)
      forward.set(registers[k] as string, { t: lastT, v: registers[k + 1] as number })
  return { forward, back: new Map(), floor: firstT, backFloor: null }
}

/** A deep copy (refs are mutated in place). */
export function copyEnergyCounter(c: EnergyCounter): EnergyCounter {
  const copy = (m: Map<string, RegisterRef>): Map<string, RegisterRef> => {
    const out = new Map<string, RegisterRef>()
    for (const [k, r] of m) out.set(k, { t: r.t, v: r.v })
    return out
  }
  return { forward: copy(c.forward), back: copy(c.back), floor: c.floor, backFloor: c.backFloor }
}

function step(
  chain: Map<string, RegisterRef>,
  name: string,
  t: number,
  value: number,
  out: CountStep,
): void {
  const ref = chain.get(name)
  if (ref === undefined) {
    chain.set(name, { t, v: value })
    return
  }
  // Out of order within the chain: already counted between its neighbours.
  if (t <= ref.t) return
  if (value >= ref.v) out.wh = value - ref.v
  else {
    out.resetFrom = ref.v
    out.resetFromT = ref.t
  }
  ref.t = t
  ref.v = value
}

/**
 * Counts `value` (Wh) of register `name` at `t` (epoch ms) for a frame stored for the first time.
 * Sets `out` and advances the counter.
 */
export function countValue(
  c: EnergyCounter,
  name: string,
  t: number,
  value: number,
  out: CountStep,
): void {
  out.wh = 0
  out.resetFrom = -1
  out.resetFromT = 0
  if (c.floor === null) c.floor = t
  if (t >= c.floor) {
    const ref = c.forward.get(name)
    // Inside the span already counted (a late frame): counted between its neighbours already.
    if (ref !== undefined && t <= ref.t) return
    step(c.forward, name, t, value, out)
    return
  }
  if (c.backFloor === null || t < c.backFloor) {
    // Older than anything counted: a new back chain starts here (its first values count nothing).
    c.back.clear()
    c.backFloor = t
  }
  step(c.back, name, t, value, out)
}
