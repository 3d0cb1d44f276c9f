import type { TicReading } from '@linkyrpi/tic-core'
import type { EnergyStats } from './protocol.js'
import { localStart } from './local-time.js'

/** Energy counted over one local day or month. */
interface Period {
  start: number
  since: number
  /** Wh per supplier index counted since `since`. */
  byIndex: Record<number, number>
  /** Wh injected since `since`, null before the first export index. */
  exportWh: number | null
}

/**
 * Today's and this month's energy per index without a store: the increments of the indexes since
 * the first reading of the local day / month. An index that goes down (meter replaced, register
 * reset, simulator restarted) counts 0 and counting goes on from the new value: never negative.
 * Counts only since the dashboard started (`sinceDay`/`sinceMonth` say from when).
 */
export class EnergyTracker {
  #day: Period | null = null
  #month: Period | null = null
  #meter: string | null = null
  /** The previous reading's indexes (Wh), the reference of the next increments. */
  #last: Record<number, number> = {}
  #lastExport: number | null = null

  constructor(private readonly timeZone: string) {}

  /** Feeds a reading received at `t` (epoch ms). */
  observe(reading: TicReading, t: number): void {
    const id = reading.meter.id
    const indexes = reading.energy.importByIndexWh
    if (id === null || Object.keys(indexes).length === 0) return
    if (id !== this.#meter) {
      this.#meter = id
      this.#day = null
      this.#month = null
      this.#last = {}
      this.#lastExport = null
    }
    // A new day or month starts from this reading: its increment counts in neither.
    const day = this.#period(this.#day, t, 'day')
    const month = this.#period(this.#month, t, 'month')
    const countDay = day === this.#day
    const countMonth = month === this.#month
    for (const [key, v] of Object.entries(indexes)) {
      const k = Number(key)
      const prev = this.#last[k]
      const wh = prev === undefined || v < prev ? 0 : v - prev
      this.#last[k] = v
      day.byIndex[k] = (day.byIndex[k] ?? 0) + (countDay ? wh : 0)
      month.byIndex[k] = (month.byIndex[k] ?? 0) + (countMonth ? wh : 0)
    }
    const exp = reading.energy.exportWh
    if (exp !== null) {
      const prev = this.#lastExport
      const wh = prev === null || exp < prev ? 0 : exp - prev
      this.#lastExport = exp
      day.exportWh = (day.exportWh ?? 0) + (countDay ? wh : 0)
      month.exportWh = (month.exportWh ?? 0) + (countMonth ? wh : 0)
    }
    this.#day = day
    this.#month = month
  }

  #period(p: Period | null, t: number, unit: 'day' | 'month'): Period {
    const start = localStart(t, this.timeZone, unit)
    return p !== null && p.start === start ? p : { start, since: t, byIndex: {}, exportWh: null }
  }

  /** Energy so far, or null before the first reading with indexes. */
  stats(): EnergyStats | null {
    if (this.#meter === null || this.#day === null || this.#month === null) return null
    return {
      meter: this.#meter,
      source: 'live',
      sinceDay: this.#day.since,
      sinceMonth: this.#month.since,
      todayByIndexWh: { ...this.#day.byIndex },
      monthByIndexWh: { ...this.#month.byIndex },
      todayExportWh: this.#day.exportWh,
      monthExportWh: this.#month.exportWh,
    }
  }
}
