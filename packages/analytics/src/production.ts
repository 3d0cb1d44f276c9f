import type { DayEnergy } from './day-energy.js'
import { sumEnergy } from './day-energy.js'

/** Energy injected into the grid. */
export interface Production {
  readonly exportWh: number
  readonly byDay: readonly { readonly day: string; readonly exportWh: number }[]
  readonly byMonth: readonly { readonly month: string; readonly exportWh: number }[]
  /**
   * Self-consumed energy, Wh: null, because the Linky measures only what crosses it (import and
   * export), not what the panels produce; a production meter or inverter data would be needed.
   */
  readonly selfConsumptionWh: null
  readonly selfConsumptionNote: string
}

/** Export per day and month for a producer (or a meter that exported anything); else null. */
export function production(days: readonly DayEnergy[], producer: boolean): Production | null {
  const exportWh = days.reduce((s, d) => s + d.exportWh, 0)
  if (!producer && exportWh === 0) return null
  return {
    exportWh,
    byDay: days.map((d) => ({ day: d.day, exportWh: d.exportWh })),
    byMonth: sumEnergy(days, 'month').map((m) => ({ month: m.key, exportWh: m.exportWh })),
    selfConsumptionWh: null,
    selfConsumptionNote:
      'cannot be computed: the meter counts only the energy it imports and exports, not what the panels produce (add a production meter or inverter data)',
  }
}
