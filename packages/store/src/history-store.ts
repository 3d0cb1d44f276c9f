import type {
  EnergyBucket,
  HistoryStore,
  PowerSeries,
  Resolution,
  Rollup,
  SamplePoint,
  StoredEvent,
  StoredMeter,
} from '@linkyrpi/tic-core/stage'
import type { TicReading } from '@linkyrpi/tic-core'
import { parisMonthStart } from '@linkyrpi/tic-core/paris-time'
import { RES_MINUTES, registerNum } from './codes.js'
import {
  MERGE_AGGREGATE,
  POWER_MINUTE_COLUMNS,
  hourSql,
  parisDaySql,
  powerMinuteRowsSql,
} from './packed-minutes.js'
import type { PowerMinuteColumn } from './packed-minutes.js'
import type { ReadEngine } from './read-engine.js'
import { BLOCK_POSITIONS } from './sample-blocks.js'
import type { BlockSample } from './sample-blocks.js'

const DAY = 86_400_000
const HOUR = 3_600_000
const MINUTE = 60_000

/** Sample points of `select t, va` rows (a single-phase consumer). */
function slimPoints(rows: readonly unknown[][]): SamplePoint[] {
  const out = new Array<SamplePoint>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as [number | string, number | null]
    out[i] = {
      t: Number(r[0]),
      avgVA: r[1],
      minVA: r[1],
      maxVA: r[1],
      avgVAByPhase: null,
      avgInjectedVA: null,
    }
  }
  return out
}

/** Sample points of `select t, va, va1, va2, va3, injected_va` rows. */
function fullPoints(rows: readonly unknown[][]): SamplePoint[] {
  const out = new Array<SamplePoint>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as [
      number | string,
      number | null,
      number | null,
      number | null,
      number | null,
      number | null,
    ]
    const va = r[1]
    out[i] = {
      t: Number(r[0]),
      avgVA: va,
      minVA: va,
      maxVA: va,
      avgVAByPhase: r[2] === null && r[3] === null && r[4] === null ? null : [r[2], r[3], r[4]],
      avgInjectedVA: r[5],
    }
  }
  return out
}

/** The sample point of a block sample at `t` (`slim`: per-phase and injected left null, as for rows). */
function blockPoint(t: number, a: BlockSample, slim: boolean): SamplePoint {
  const p = BLOCK_POSITIONS
  const va = a[p.va] ?? null
  if (slim) return { t, avgVA: va, minVA: va, maxVA: va, avgVAByPhase: null, avgInjectedVA: null }
  const va1 = a[p.va1] ?? null
  const va2 = a[p.va2] ?? null
  const va3 = a[p.va3] ?? null
  return {
    t,
    avgVA: va,
    minVA: va,
    maxVA: va,
    avgVAByPhase: va1 === null && va2 === null && va3 === null ? null : [va1, va2, va3],
    avgInjectedVA: a[p.injected_va] ?? null,
  }
}

/** The resolution `'auto'` picks for [from, to): raw up to a day, else the coarsest giving ≥ 300 points. */
export function autoResolution(from: number, to: number): Resolution {
  const span = to - from
  if (span <= DAY) return 'raw'
  if (span / DAY >= 300) return '1d'
  if (span / HOUR >= 300) return '1h'
  if (span / MINUTE >= 300) return '1m'
  return 'raw'
}

/**
 * PostgreSQL's 1-minute power rows: the hours folded into `power_minutes` (one row of arrays per
 * hour) and the recent ones still in `power_hot_rows` (docs/storage.md, "Packed minutes"), merged per
 * minute (a late frame can put a minute in both). `columns` are `power_hot_rows` columns after
 * `bucket`. Parameters: meter id, first hour, end, meter id, from, end, from, end (epoch ms).
 */
const packedMinutesQuery = (columns: readonly PowerMinuteColumn[]): string => {
  const merged = columns.map((c) => `${MERGE_AGGREGATE[POWER_MINUTE_COLUMNS[c]]}(q.${c})`)
  return `select q.bucket, ${merged.join(', ')}
  from (select bucket, ${columns.join(', ')} from (${powerMinuteRowsSql('from power_minutes p')} and p.m = (select num from meter_nums where id = ?) and p.hour >= ? and p.hour < ?) f
        union all select bucket, ${columns.join(', ')} from power_hot_rows where m = (select num from meter_nums where id = ?) and bucket >= ? and bucket < ?) q
  where q.bucket >= ? and q.bucket < ? group by q.bucket order by q.bucket`
}
/** The power columns read for any meter, for a single-phase consumer, and for average power only. */
const FULL_COLUMNS: readonly PowerMinuteColumn[] = [
  'va_n',
  'va_sum',
  'va_min',
  'va_max',
  'vap_n',
  'va1_sum',
  'va2_sum',
  'va3_sum',
  'inj_n',
  'inj_sum',
]
const SLIM_COLUMNS: readonly PowerMinuteColumn[] = ['va_n', 'va_sum', 'va_min', 'va_max']
const AVERAGE_COLUMNS: readonly PowerMinuteColumn[] = ['va_n', 'va_sum']
const PACKED_MINUTES_QUERY = packedMinutesQuery(FULL_COLUMNS)
/** {@link PACKED_MINUTES_QUERY} for a single-phase meter that does not produce (see `isSlim`). */
const PACKED_MINUTES_SLIM_QUERY = packedMinutesQuery(SLIM_COLUMNS)

/** {@link PACKED_MINUTES_QUERY} with only the counts and sums of the average power. */
const PACKED_AVERAGE_QUERY = packedMinutesQuery(AVERAGE_COLUMNS)

/**
 * PostgreSQL: the bucket starts and average powers of `inner` (columns `bucket, va_n, va_sum`) as
 * two byteas of big-endian float8 (NaN for no average), in bucket order: one row to parse instead
 * of one per bucket. The division is float8's, as JavaScript's `va_sum / va_n`.
 */
const pgAverageSeries = (inner: string): string =>
  `select string_agg(float8send(q.bucket::float8), '' order by q.bucket),
     string_agg(float8send(coalesce(q.va_sum::float8 / nullif(q.va_n, 0)::float8, 'NaN')), '' order by q.bucket)
   from (${inner}) q(bucket, va_n, va_sum)`

/**
 * PostgreSQL: the rows of `inner` (`columns` numeric columns, the first one ordering them) as one
 * bytea of big-endian float8 per column (NaN for null): one row to parse instead of one per
 * bucket, whose text values pg would parse one by one. Exact for the store's integers (< 2^53).
 */
const pgFloat8Columns = (inner: string, columns: number): string => {
  const names = Array.from({ length: columns }, (_, i) => `c${i}`)
  const aggs = names.map(
    (c) => `string_agg(float8send(coalesce(q.${c}::float8, 'NaN')), '' order by q.c0)`,
  )
  return `select ${aggs.join(', ')} from (${inner}) q(${names.join(', ')})`
}

/** Big-endian float8s (PostgreSQL's `float8send`) as an array; null (no rows) as an empty one. */
function float8s(bytes: unknown): Float64Array {
  if (!(bytes instanceof Uint8Array)) return new Float64Array(0)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Float64Array(bytes.byteLength >>> 3)
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8)
  return out
}

const IMPORT = registerNum('import')
const EXPORT = registerNum('export')

const avg = (sum: number | null, n: number): number | null =>
  sum === null || n === 0 ? null : sum / n
const num = (v: unknown): number | null => (v === null ? null : Number(v))
const ROLLUP_RANGE =
  'from power_rows where m = (select num from meter_nums where id = ?) and res = ? and bucket >= ? and bucket < ? order by bucket'

/**
 * PostgreSQL's 1-hour or 1-day power rows (`res` 60 or 1440): the stored ones, derived from the
 * minutes at each fold, merged with the minutes not folded yet (docs/storage.md, "Packed
 * minutes"). Parameters: meter id, res, from, end, meter id, from, end, from, end (epoch ms).
 */
const derivedRollupsQuery = (res: 60 | 1440, columns: readonly PowerMinuteColumn[]): string => {
  const merged = columns.map((c) => `${MERGE_AGGREGATE[POWER_MINUTE_COLUMNS[c]]}(q.${c})`)
  const bucket = res === 60 ? hourSql('bucket') : parisDaySql('bucket')
  return `select q.bucket, ${merged.join(', ')}
  from (select bucket, ${columns.join(', ')} from power_rows where m = (select num from meter_nums where id = ?) and res = ? and bucket >= ? and bucket < ?
        union all select ${bucket} as bucket, ${columns.join(', ')} from power_hot_rows where m = (select num from meter_nums where id = ?) and bucket >= ? and bucket < ?) q
  where q.bucket >= ? and q.bucket < ? group by q.bucket order by q.bucket`
}
const DERIVED_QUERIES = {
  60: {
    full: derivedRollupsQuery(60, FULL_COLUMNS),
    slim: derivedRollupsQuery(60, SLIM_COLUMNS),
    average: derivedRollupsQuery(60, AVERAGE_COLUMNS),
  },
  1440: {
    full: derivedRollupsQuery(1440, FULL_COLUMNS),
    slim: derivedRollupsQuery(1440, SLIM_COLUMNS),
    average: derivedRollupsQuery(1440, AVERAGE_COLUMNS),
  },
} as const

/**
 * PostgreSQL's daily energy rows: the stored 1-day rows and the minutes not folded yet, by local
 * day (one row per register and source row; the caller sums them). Parameters: meter id, from,
 * end, meter id, from, end, from, end.
 */
const DERIVED_ENERGY_QUERY = `select reg, bucket, energy_wh from (
    select reg, bucket, energy_wh from energy_rows where m = (select num from meter_nums where id = ?) and res = 1440 and bucket >= ? and bucket < ?
    union all select reg, ${parisDaySql('bucket')} as bucket, energy_wh from energy_hot_rows where m = (select num from meter_nums where id = ?) and bucket >= ? and bucket < ?) q
  where bucket >= ? and bucket < ? order by bucket`

/**
 * The `HistoryStore` query API over an engine (the dashboard's history screens, analytics). Plain
 * SQL through `selectRows` only: a {@link ReadEngine} (no Kysely) is enough.
 */
export function createHistoryStore(engine: ReadEngine): HistoryStore {
  const text = (v: unknown): string => String(v)
  const textOrNull = (v: unknown): string | null => (v === null ? null : String(v))
  /**
   * `selectRows` of rollup rows of `columns` numbers: on PostgreSQL through
   * {@link pgFloat8Columns} (the same numbers, null for NaN).
   */
  async function numberRows(
    text: string,
    params: readonly unknown[],
    columns: number,
  ): Promise<unknown[][]> {
    if (engine.kind !== 'postgres') return engine.selectRows(text, params)
    const [row] = await engine.selectRows(pgFloat8Columns(text, columns), params)
    const cols = Array.from({ length: columns }, (_, c) => float8s(row?.[c]))
    const n = cols[0]?.length ?? 0
    const rows = new Array<unknown[]>(n)
    for (let i = 0; i < n; i++) {
      const r = new Array<unknown>(columns)
      for (let c = 0; c < columns; c++) {
        const v = (cols[c] as Float64Array)[i] as number
        r[c] = v === v ? v : null
      }
      rows[i] = r
    }
    return rows
  }

  /** True for a meter known to be single-phase and not producing (no per-phase or injected power). */
  async function isSlim(meter: string): Promise<boolean> {
    const [m] = await engine.selectRows('select phases, producer from meters where id = ?', [meter])
    return m !== undefined && Number(m[0]) === 1 && Number(m[1]) === 0
  }

  /**
   * Full-resolution samples: the rows of `sample_rows` and the samples of the blocks of
   * `sample_blocks` (docs/storage.md, "Sample blocks"; a meter-hour is in one or the other), in
   * time order. A day is 43,200 samples and building them dominates the query, so a meter known to
   * be single-phase and not producing reads only `t` and `va` from rows: its per-phase and injected
   * columns are null (a third fewer values to convert).
   */
  async function rawSamples(meter: string, from: number, to: number): Promise<SamplePoint[]> {
    const slim = await isSlim(meter)
    const range =
      'from sample_rows where m = (select num from meter_nums where id = ?) and t >= ? and t < ? order by t'
    const [rows, blocks] = await Promise.all([
      engine.selectRows(
        slim ? `select t, va ${range}` : `select t, va, va1, va2, va3, injected_va ${range}`,
        [meter, from, to],
      ),
      engine.selectRows(
        'select hour, samples from sample_blocks where m = (select num from meter_nums where id = ?) and hour > ? and hour < ? and n > 0 order by hour',
        [meter, from - HOUR, to],
      ),
    ])
    const fromRows = slim ? slimPoints(rows) : fullPoints(rows)
    if (blocks.length === 0) return fromRows
    const fromBlocks: SamplePoint[] = []
    for (const b of blocks) {
      const hour = Number(b[0])
      for (const a of JSON.parse(text(b[1])) as BlockSample[]) {
        const t = hour + a[0]!
        if (t >= from && t < to) fromBlocks.push(blockPoint(t, a, slim))
      }
    }
    if (fromRows.length === 0) return fromBlocks
    // Each meter-hour is in one table or the other: merge two lists in time order.
    const out = new Array<SamplePoint>(fromRows.length + fromBlocks.length)
    let i = 0
    let j = 0
    for (let k = 0; k < out.length; k++)
      out[k] =
        j >= fromBlocks.length || (i < fromRows.length && fromRows[i]!.t <= fromBlocks[j]!.t)
          ? fromRows[i++]!
          : fromBlocks[j++]!
    return out
  }

  return {
    async meters(): Promise<readonly StoredMeter[]> {
      const rows = await engine.selectRows(
        'select id, prm, mode, phases, producer, first_seen, last_seen from meters order by id',
        [],
      )
      return rows.map((m): StoredMeter => {
        const phases = m[3] === null ? null : Number(m[3])
        return {
          id: text(m[0]),
          prm: textOrNull(m[1]),
          mode: m[2] === 'standard' ? 'standard' : 'historique',
          phases: phases === 1 || phases === 3 ? phases : null,
          producer: Number(m[4]) === 1,
          firstSeen: Number(m[5]),
          lastSeen: Number(m[6]),
        }
      })
    },

    async latest(meter) {
      const [m] = await engine.selectRows(
        'select coalesce(last_reading_at, last_seen), last_reading from meters where id = ?',
        [meter],
      )
      const json = m === undefined ? '' : text(m[1])
      return json === '' ? null : { t: Number(m![0]), reading: JSON.parse(json) as TicReading }
    },

    async samples(meter, from, to, resolution) {
      const res = resolution === 'auto' ? autoResolution(from, to) : resolution
      if (res === 'raw') return rawSamples(meter, from, to)
      // Rows as arrays (no Kysely row objects): a report reads a month of minutes (44,640 rows).
      // A meter known to be single-phase and not producing has no per-phase or injected sums:
      // they are not read (as for raw samples), which halves the values to convert.
      const packed = res === '1m' && engine.kind === 'postgres'
      const packedParams = [meter, Math.floor(from / HOUR) * HOUR, to, meter, from, to, from, to]
      const derived =
        engine.kind !== 'postgres' || res === '1m'
          ? null
          : DERIVED_QUERIES[res === '1h' ? 60 : 1440]
      const derivedParams = [meter, RES_MINUTES[res], from, to, meter, from, to, from, to]
      if (await isSlim(meter)) {
        const rows = packed
          ? await numberRows(PACKED_MINUTES_SLIM_QUERY, packedParams, 5)
          : derived !== null
            ? await numberRows(derived.slim, derivedParams, 5)
            : await numberRows(
                `select bucket, va_n, va_sum, va_min, va_max ${ROLLUP_RANGE}`,
                [meter, RES_MINUTES[res], from, to],
                5,
              )
        const out = new Array<SamplePoint>(rows.length)
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i] as [number | string, number | string, unknown, unknown, unknown]
          out[i] = {
            t: Number(r[0]),
            avgVA: avg(num(r[2]), Number(r[1])),
            minVA: num(r[3]),
            maxVA: num(r[4]),
            avgVAByPhase: null,
            avgInjectedVA: null,
          }
        }
        return out
      }
      const rows = packed
        ? await numberRows(PACKED_MINUTES_QUERY, packedParams, 11)
        : derived !== null
          ? await numberRows(derived.full, derivedParams, 11)
          : await numberRows(
              `select bucket, va_n, va_sum, va_min, va_max, vap_n, va1_sum, va2_sum, va3_sum, inj_n, inj_sum ${ROLLUP_RANGE}`,
              [meter, RES_MINUTES[res], from, to],
              11,
            )
      const out = new Array<SamplePoint>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as unknown[]
        const vaN = Number(r[1])
        const vapN = Number(r[5])
        out[i] = {
          t: Number(r[0]),
          avgVA: avg(num(r[2]), vaN),
          minVA: num(r[3]),
          maxVA: num(r[4]),
          avgVAByPhase:
            vapN === 0 ? null : [avg(num(r[6]), vapN), avg(num(r[7]), vapN), avg(num(r[8]), vapN)],
          avgInjectedVA: avg(num(r[10]), Number(r[9])),
        }
      }
      return out
    },

    async averagePower(meter: string, from: number, to: number, res: Rollup): Promise<PowerSeries> {
      const params = [meter, RES_MINUTES[res], from, to]
      if (engine.kind === 'postgres') {
        const [row] =
          res === '1m'
            ? await engine.selectRows(pgAverageSeries(PACKED_AVERAGE_QUERY), [
                meter,
                Math.floor(from / HOUR) * HOUR,
                to,
                meter,
                from,
                to,
                from,
                to,
              ])
            : // The stored hours/days merged with the minutes not folded yet, as samples() reads them.
              await engine.selectRows(
                pgAverageSeries(DERIVED_QUERIES[res === '1h' ? 60 : 1440].average),
                [meter, RES_MINUTES[res], from, to, meter, from, to, from, to],
              )
        return { t: float8s(row?.[0]), avgVA: float8s(row?.[1]) }
      }
      if (engine.selectColumns !== undefined) {
        // Two plucked columns in one snapshot; SQLite's real division is JavaScript's, and x / 0
        // is null there.
        const [ts = [], avgs = []] = await engine.selectColumns([
          { text: `select bucket ${ROLLUP_RANGE}`, params },
          { text: `select va_sum * 1.0 / va_n ${ROLLUP_RANGE}`, params },
        ])
        const n = ts.length
        const t = new Float64Array(n)
        const avgVA = new Float64Array(n)
        for (let i = 0; i < n; i++) {
          t[i] = Number(ts[i])
          const a = avgs[i]
          avgVA[i] = a === null || a === undefined ? NaN : Number(a)
        }
        return { t, avgVA }
      }
      const rows = await engine.selectRows(`select bucket, va_n, va_sum ${ROLLUP_RANGE}`, params)
      const t = new Float64Array(rows.length)
      const avgVA = new Float64Array(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as unknown[]
        t[i] = Number(r[0])
        avgVA[i] = avg(num(r[2]), Number(r[1])) ?? NaN
      }
      return { t, avgVA }
    },

    async energy(meter, from, to, bucket) {
      // Energy counted per register and local day at ingest: increments only, never negative.
      const rows =
        engine.kind === 'postgres'
          ? await engine.selectRows(DERIVED_ENERGY_QUERY, [
              meter,
              from,
              to,
              meter,
              from,
              to,
              from,
              to,
            ])
          : await engine.selectRows(
              'select reg, bucket, energy_wh from energy_rows where m = (select num from meter_nums where id = ?) and res = ? and bucket >= ? and bucket < ? order by bucket',
              [meter, RES_MINUTES['1d'], from, to],
            )
      const out = new Map<
        number,
        { byIndexWh: Record<number, number>; importWh: number; exportWh: number }
      >()
      for (const r of rows) {
        const day = Number(r[1])
        const wh = Number(r[2])
        const start = bucket === 'day' ? day : parisMonthStart(day)
        let b = out.get(start)
        if (b === undefined) {
          b = { byIndexWh: {}, importWh: 0, exportWh: 0 }
          out.set(start, b)
        }
        const reg = Number(r[0])
        if (reg === IMPORT) b.importWh += wh
        else if (reg === EXPORT) b.exportWh += wh
        else if (reg < 100) b.byIndexWh[reg] = (b.byIndexWh[reg] ?? 0) + wh
      }
      return [...out.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([start, b]): EnergyBucket => ({
          start,
          bucket,
          byIndexWh: b.byIndexWh,
          importWh: b.importWh,
          exportWh: b.exportWh,
        }))
    },

    async events(meter, from, to, limit = 500) {
      const rows = await engine.selectRows(
        'select t, meter, kind, detail from events where meter = ? and t >= ? and t < ? order by t desc, kind limit ?',
        [meter, from, to, limit],
      )
      return rows.map((e): StoredEvent => ({
        t: Number(e[0]),
        meter: text(e[1]),
        kind: text(e[2]),
        detail: JSON.parse(text(e[3])) as Record<string, unknown>,
      }))
    },
  }
}
