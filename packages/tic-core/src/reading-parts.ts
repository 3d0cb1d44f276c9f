import type { TicAlert } from './reading-types.js'
import type { PeriodCode, TariffOption, TempoColour } from './tariff.js'

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
  /** Alerts in the order they were raised, each once. */
  alerts: TicAlert[] = []

  /** Raises an alert (once). */
  alert(a: TicAlert): void {
    if (!this.alerts.includes(a)) this.alerts.push(a)
  }
}
