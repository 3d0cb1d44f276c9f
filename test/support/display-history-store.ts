/**
 * An in-memory `HistoryStore` for the dashboard tests: a legitimate fake of the query interface
 * (packages/tic-core/src/stage/history.ts), filled with generated samples and daily energy.
 */
import type {
  EnergyBucket,
  HistoryStore,
  Resolution,
  SamplePoint,
  StoredEvent,
  StoredMeter,
} from '@linkyrpi/tic-core/stage'
import type { TicReading } from '@linkyrpi/tic-core'
import { localStart } from '@linkyrpi/sink-display'

const DAY = 86_400_000

/** Options of {@link createMemoryHistoryStore}. */
export interface MemoryHistoryOptions {
  readonly meter: StoredMeter
  /** End of the stored data, epoch ms. */
  readonly now: number
  /** Days of data before `now`. */
  readonly days: number
  /** Sample spacing, ms (default 10 minutes, so 30 days stay small). */
  readonly stepMs?: number
  /** Time zone of the store's days, as a real store's (default Europe/Paris, the dashboard's). */
  readonly timeZone?: string
  /** Stored events (answered within the asked range, newest first). */
  readonly events?: readonly StoredEvent[]
}

/** Builds the fake with a deterministic daily power shape and per-index daily energy. */
export function createMemoryHistoryStore(
  o: MemoryHistoryOptions,
): HistoryStore & { readonly calls: string[] } {
  const step = o.stepMs ?? 600_000
  const start = o.now - o.days * DAY
  const samples: SamplePoint[] = []
  for (let t = Math.ceil(start / step) * step; t < o.now; t += step) {
    const hour = (t / 3_600_000) % 24
    const va = Math.round(
      600 + 1800 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) + ((t / step) % 7) * 40,
    )
    samples.push({
      t,
      avgVA: va,
      minVA: va,
      maxVA: va,
      avgVAByPhase: null,
      avgInjectedVA: o.meter.producer ? Math.round(va / 3) : null,
    })
  }
  const days: EnergyBucket[] = []
  for (let d = 0; d <= o.days; d++) {
    // Local midnights, as the real stores bucket days (and as the dashboard asks for them).
    const dayStart = localStart(start + d * DAY, o.timeZone ?? 'Europe/Paris', 'day')
    if (days.at(-1)?.start === dayStart) continue // a 23- or 25-hour day around a DST change
    days.push({
      start: dayStart,
      bucket: 'day',
      byIndexWh: { 1: 4000 + d * 100, 2: 6000 + (d % 5) * 500 },
      importWh: 10_000 + d * 100 + (d % 5) * 500,
      exportWh: 0,
    })
  }
  const calls: string[] = []
  return {
    calls,
    async meters() {
      calls.push('meters')
      return [o.meter]
    },
    async latest(_meter: string): Promise<{ t: number; reading: TicReading } | null> {
      calls.push('latest')
      return null
    },
    async samples(meter: string, from: number, to: number, _resolution: Resolution | 'auto') {
      calls.push(`samples ${meter}`)
      return meter === o.meter.id ? samples.filter((p) => p.t >= from && p.t < to) : []
    },
    async energy(meter: string, from: number, to: number, bucket: 'day' | 'month') {
      calls.push(`energy ${meter} ${bucket}`)
      if (meter !== o.meter.id) return []
      const inRange = days.filter((b) => b.start >= from && b.start < to)
      if (bucket === 'day') return inRange
      const month: EnergyBucket = {
        start: inRange[0]?.start ?? from,
        bucket: 'month',
        byIndexWh: {
          1: inRange.reduce((a, b) => a + (b.byIndexWh[1] ?? 0), 0),
          2: inRange.reduce((a, b) => a + (b.byIndexWh[2] ?? 0), 0),
        },
        importWh: inRange.reduce((a, b) => a + b.importWh, 0),
        exportWh: 0,
      }
      return inRange.length === 0 ? [] : [month]
    },
    async events(
      meter: string,
      from: number,
      to: number,
      limit = 100,
    ): Promise<readonly StoredEvent[]> {
      calls.push('events')
      return (o.events ?? [])
        .filter((e) => e.meter === meter && e.t >= from && e.t < to)
        .sort((a, b) => b.t - a.t)
        .slice(0, limit)
    },
  }
}
