import type { TicAlert, TicReading } from './reading-types.js'
import type { PeriodCode, TariffOption, TempoColour } from './tariff.js'

/** The alerts of a reading that raises none (shared: readings are immutable). */
export const NO_ALERTS: TicAlert[] = Object.freeze([]) as unknown as TicAlert[]

/**
 * What the historique and standard mappings fill for one reading: the fields whose labels differ
 * by mode. One instance per builder, overwritten for each reading (no allocation).
 */
export class ModeParts {
  option: TariffOption | null = null
  optionLabel: string | null = null
  /** VA. */
  subscribedVA: number | null = null
  /** VA. */
  cutoffVA: number | null = null
  /** A. */
  subscribedA: number | null = null
  index: number | null = null
  label: string | null = null
  code: PeriodCode | null = null
  tempoToday: TempoColour | null = null
  tempoTomorrow: TempoColour | null = null
  /** Wh. */
  importWh: number | null = null
  /** Wh by supplier index. */
  importByIndexWh: Record<number, number> = {}
  /** Wh by distributor index. */
  distributorByIndexWh: Record<number, number> | null = null
  /** VA. */
  apparentVA: number | null = null
  /** VA per phase. */
  apparentVAByPhase: readonly (number | null)[] | null = null
  /** A per phase. */
  rmsA: readonly (number | null)[] | null = null
  /** A per phase. */
  maxA: readonly (number | null)[] | null = null
  /** A per phase. */
  overrunA: readonly (number | null)[] | null = null
  /** V per phase. */
  rmsV: readonly (number | null)[] | null = null
  /** V per phase. */
  meanV: readonly (number | null)[] | null = null
  /** The records of importByIndexWh and distributorByIndexWh. */
  readonly byIndex = new IndexRecord()
  readonly byDistributorIndex = new IndexRecord()
  /** The last reading built, whose unchanged parts the next one shares. */
  previous: TicReading | null = null
  /** Alerts in the order they were raised, each once ({@link NO_ALERTS} until one is). */
  alerts: TicAlert[] = NO_ALERTS

  /** Raises an alert (once). */
  alert(a: TicAlert): void {
    if (this.alerts === NO_ALERTS) this.alerts = [a]
    else if (!this.alerts.includes(a)) this.alerts.push(a)
  }
}

/**
 * Builds a `Record<index, Wh>` from the entries added since {@link begin}, returning the same
 * object as last time when the entries are the same (indexes change a few times a minute, and
 * objects with integer keys are slow to create). Records handed out are never changed.
 */
export class IndexRecord {
  private readonly keys: number[] = []
  private readonly values: number[] = []
  private count = 0
  private changed = true
  private record: Record<number, number> = {}

  /** Starts a new record. */
  begin(): void {
    this.count = 0
    this.changed = false
  }

  /** Adds index `n` with `wh`. */
  add(n: number, wh: number): void {
    const p = this.count++
    if (this.keys[p] !== n || this.values[p] !== wh) {
      this.keys[p] = n
      this.values[p] = wh
      this.changed = true
    }
  }

  /** The record of the entries added. */
  end(): Record<number, number> {
    const n = this.count
    if (!this.changed && n === this.keys.length) return this.record
    if (n !== this.keys.length) {
      this.keys.length = n
      this.values.length = n
    }
    this.record = recordOf(this.keys, this.values)
    return this.record
  }

  /** The record of the entries added, or null when there are none. */
  endOrNull(): Record<number, number> | null {
    return this.count === 0 ? null : this.end()
  }
}

/** `{ [keys[i]]: values[i] }`, as a literal for the usual contracts (indexes 1, 1-2, 1-4, 1-6, 1-10 in order). */
function recordOf(keys: readonly number[], values: readonly number[]): Record<number, number> {
  const n = keys.length
  let ordered = true
  for (let i = 0; ordered && i < n; i++) ordered = keys[i] === i + 1
  if (ordered) {
    if (n === 1) return { 1: values[0]! }
    if (n === 2) return { 1: values[0]!, 2: values[1]! }
    if (n === 6)
      return {
        1: values[0]!,
        2: values[1]!,
        3: values[2]!,
        4: values[3]!,
        5: values[4]!,
        6: values[5]!,
      }
    if (n === 4) return { 1: values[0]!, 2: values[1]!, 3: values[2]!, 4: values[3]! }
    if (n === 10) {
      const [a, b, c, d, e, f, g, h, i, j] = values as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ]
      return { 1: a, 2: b, 3: c, 4: d, 5: e, 6: f, 7: g, 8: h, 9: i, 10: j }
    }
  }
  const record: Record<number, number> = {}
  for (let i = 0; i < n; i++) record[keys[i]!] = values[i]!
  return record
}
