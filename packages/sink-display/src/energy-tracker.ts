import type { TicReading } from '@linkyrpi/tic-core'
import type { EnergyStats } from './protocol.js'
import { localStart } from './local-time.js'

interface Baseline {
  start: number
  since: number
  byIndex: Record<number, number>
  exportWh: number | null
}

/**
 * Today's and this month's energy per index without a store: the difference between the current
 * indexes and the first ones seen in the local day / month. Counts only since the dashboard
 * started (`sinceDay`/`sinceMonth` say from when).
 */
export class EnergyTracker {
  #day: Baseline | null = null
  #month: Baseline | null = null
  #meter: string | null = null
  #last: TicReading | null = null

  constructor(private readonly timeZone: string) {}

  /** Feeds a reading received at `t` (epoch ms). */
  observe(reading: TicReading, t: number): void {
    const id = reading.meter.id
    if (id === null || Object.keys(reading.energy.importByIndexWh).length === 0) return
    if (id !== this.#meter) {
      this.#meter = id
      this.#day = null
      this.#month = null
    }
    this.#last = reading
    this.#day = this.#rebase(this.#day, reading, t, 'day')
    this.#month = this.#rebase(this.#month, reading, t, 'month')
  }

  #rebase(b: Baseline | null, r: TicReading, t: number, unit: 'day' | 'month'): Baseline {
    const start = localStart(t, this.timeZone, unit)
    if (b !== null && b.start === start) {
      // An index that appears later (a Tempo colour first used today) starts from its first value.
      for (const [k, v] of Object.entries(r.energy.importByIndexWh)) if (!(Number(k) in b.byIndex)) b.byIndex[Number(k)] = v
      if (b.exportWh === null && r.energy.exportWh !== null) b.exportWh = r.energy.exportWh
      return b
    }
    return { start, since: t, byIndex: { ...r.energy.importByIndexWh }, exportWh: r.energy.exportWh }
  }

  /** Energy so far, or null before the first reading with indexes. */
  stats(): EnergyStats | null {
    const r = this.#last
    if (r === null || this.#meter === null || this.#day === null || this.#month === null) return null
    const diff = (b: Baseline): Record<number, number> => {
      const out: Record<number, number> = {}
      for (const [k, v] of Object.entries(r.energy.importByIndexWh)) out[Number(k)] = Math.max(0, v - (b.byIndex[Number(k)] ?? v))
      return out
    }
    const exp = (b: Baseline): number | null =>
      r.energy.exportWh === null || b.exportWh === null ? null : Math.max(0, r.energy.exportWh - b.exportWh)
    return {
      meter: this.#meter,
      source: 'live',
      sinceDay: this.#day.since,
      sinceMonth: this.#month.since,
      todayByIndexWh: diff(this.#day),
      monthByIndexWh: diff(this.#month),
      todayExportWh: exp(this.#day),
      monthExportWh: exp(this.#month),
    }
  }
}
