import type {
  EnergyBucket,
  HistoryStore,
  PowerSeries,
  SamplePoint,
  StoredEvent,
  StoredMeter,
} from '@linkyrpi/tic-core/stage'
import type { ContractTerms } from './contracts.js'
import { addLocalDays } from './paris-time.js'
import { powerSeries } from './power-series.js'

/**
 * What the analytics reads from a store: the query API subset of `HistoryStore` (implemented by
 * `@linkyrpi/store`'s `createHistoryStore` on SQLite and PostgreSQL). Nothing else is needed, so
 * any other source of stored readings can feed the analytics by implementing these five calls.
 */
export type AnalyticsHistory = Pick<
  HistoryStore,
  'meters' | 'latest' | 'samples' | 'energy' | 'events' | 'averagePower'
>

/** Everything a report is computed from, as plain data (the pure part starts here). */
export interface ReportData {
  readonly meter: StoredMeter
  /** Range [from, to), local midnights, epoch ms. */
  readonly from: number
  readonly to: number
  /** Energy per local day (`energy(…, 'day')`). */
  readonly days: readonly EnergyBucket[]
  /** `1h` power rollups over the range. */
  readonly hourly: readonly SamplePoint[]
  /** `1d` power rollups over the range. */
  readonly daily: readonly SamplePoint[]
  /**
   * Average power of the `1m` rollups over the last {@link APPLIANCE_DAYS} days of the range
   * (appliance detection), as columns.
   */
  readonly minutes: PowerSeries
  /** Start of `minutes`, epoch ms. */
  readonly minutesFrom: number
  /** Every event up to `to` (contract changes before the range decide the contract at its start). */
  readonly events: readonly StoredEvent[]
  /** The latest contract the meter announced, or null. */
  readonly latestContract: ContractTerms | null
}

/** Thrown when the requested meter is not in the store; lists the meters it holds. */
export class UnknownMeterError extends Error {
  override readonly name = 'UnknownMeterError'
  constructor(
    readonly meter: string | null,
    readonly known: readonly string[],
  ) {
    super(
      known.length === 0
        ? 'the store holds no meter yet'
        : meter === null
          ? `the store holds ${known.length} meters: choose one with --meter (${known.join(', ')})`
          : `unknown meter '${meter}': the store holds ${known.join(', ')}`,
    )
  }
}

/** The meter to report on: `meter` if given and known, else the only one; throws {@link UnknownMeterError}. */
export async function pickMeter(
  history: AnalyticsHistory,
  meter: string | null,
): Promise<StoredMeter> {
  const meters = await history.meters()
  const found =
    meter === null
      ? meters.length === 1
        ? meters[0]
        : undefined
      : meters.find((m) => m.id === meter)
  if (found === undefined)
    throw new UnknownMeterError(
      meter,
      meters.map((m) => m.id),
    )
  return found
}

/** Days of one-minute power the appliance detection reads: the last 31 days of the range. */
export const APPLIANCE_DAYS = 31

/**
 * Reads what a report over [from, to) needs: five range queries and the latest reading. The
 * minutes are read as columns when the history can (`averagePower`), else from `samples`.
 */
export async function loadReportData(
  history: AnalyticsHistory,
  meter: StoredMeter,
  from: number,
  to: number,
): Promise<ReportData> {
  const minutesFrom = Math.max(from, addLocalDays(to, -APPLIANCE_DAYS))
  const [days, hourly, daily, minutes, events, latest] = await Promise.all([
    history.energy(meter.id, from, to, 'day'),
    history.samples(meter.id, from, to, '1h'),
    history.samples(meter.id, from, to, '1d'),
    history.averagePower === undefined
      ? history.samples(meter.id, minutesFrom, to, '1m').then(powerSeries)
      : history.averagePower(meter.id, minutesFrom, to, '1m'),
    history.events(meter.id, 0, to, 1_000_000),
    history.latest(meter.id),
  ])
  const c = latest?.reading.contract
  const latestContract =
    c === undefined
      ? null
      : { option: c.option, optionLabel: c.optionLabel, subscribedVA: c.subscribedVA }
  return { meter, from, to, days, hourly, daily, minutes, minutesFrom, events, latestContract }
}
