/**
 * Packed minutes (PostgreSQL only, docs/storage.md "Packed minutes"): the 1-minute rollups of an
 * hour in one row of arrays (`power_minutes`, `energy_minutes`) instead of up to 60 rows, because
 * PostgreSQL's fixed cost per row (tuple header, line pointer, index entry, ~60 bytes) was most of
 * their size. Element i (1-based) of every array is minute i − 1 of the UTC hour. This module
 * builds those rows from the 1-minute rows ingest computes, and holds the SQL that merges them
 * (upserts) and reads them back as 1-minute rows (views, history).
 */
import type { RowOf } from './schema.js'

const MINUTE = 60_000
const HOUR = 3_600_000

/** Minutes per packed row. */
export const MINUTES_PER_HOUR = 60

/** Columns of `power_rows` packed in `power_minutes`, with how two values merge. */
export const POWER_MINUTE_COLUMNS = {
  n: 'add',
  va_n: 'add',
  va_sum: 'add',
  va_min: 'least',
  va_max: 'greatest',
  vap_n: 'add',
  va1_sum: 'add',
  va2_sum: 'add',
  va3_sum: 'add',
  inj_n: 'add',
  inj_sum: 'add',
  u_n: 'add',
  u1_sum: 'add',
  u2_sum: 'add',
  u3_sum: 'add',
  u_min: 'least',
  u_max: 'greatest',
} as const

/** Counts of `power_rows` (0 in a 1-minute row is null in its packed array). */
export const POWER_COUNT_COLUMNS: readonly string[] = ['n', 'va_n', 'vap_n', 'inj_n', 'u_n']

/** Columns of `energy_rows` packed in `energy_minutes`, with how two values merge. */
export const ENERGY_MINUTE_COLUMNS = {
  min_wh: 'least',
  max_wh: 'greatest',
  energy_wh: 'add',
} as const

type PowerColumn = keyof typeof POWER_MINUTE_COLUMNS
type EnergyColumn = keyof typeof ENERGY_MINUTE_COLUMNS

/** A 1-minute power rollup row (`power_rows` with `res` 1). */
export type PowerMinuteRow = { readonly m: number; readonly bucket: number } & {
  readonly [K in PowerColumn]: number | null
}

/** A 1-minute energy rollup row (`energy_rows` with `res` 1). */
export type EnergyMinuteRow = {
  readonly m: number
  readonly reg: number
  readonly bucket: number
} & { readonly [K in EnergyColumn]: number }

/** Null when every element is null (an absent column costs nothing), else the array. */
function orNull(a: (number | null)[]): (number | null)[] | null {
  for (let i = 0; i < a.length; i++) if (a[i] !== null) return a
  return null
}

/** Groups rows by `key` and hour, keeping first-seen order of groups sorted afterwards. */
function groupByHour<R extends { readonly bucket: number }>(
  rows: readonly R[],
  key: (r: R) => string,
): Map<string, R[]> {
  const groups = new Map<string, R[]>()
  for (const r of rows) {
    const k = `${key(r)}:${String(Math.floor(r.bucket / HOUR) * HOUR)}`
    const g = groups.get(k)
    if (g === undefined) groups.set(k, [r])
    else g.push(r)
  }
  return groups
}

/**
 * The `power_minutes` rows of 1-minute power rows, one per meter and hour, in key order (m, hour).
 * Each minute of a (meter, hour) must appear at most once in `rows`.
 */
export function packPowerMinutes(rows: readonly PowerMinuteRow[]): RowOf<'power_minutes'>[] {
  const out: RowOf<'power_minutes'>[] = []
  for (const g of groupByHour(rows, (r) => String(r.m)).values()) {
    const hour = Math.floor(g[0]!.bucket / HOUR) * HOUR
    const packed = { m: g[0]!.m, hour } as RowOf<'power_minutes'>
    const cols = Object.keys(POWER_MINUTE_COLUMNS) as PowerColumn[]
    for (const c of cols) {
      const a = new Array<number | null>(MINUTES_PER_HOUR).fill(null)
      const isCount = POWER_COUNT_COLUMNS.includes(c)
      for (const r of g) {
        const v = r[c]
        a[(r.bucket - hour) / MINUTE] = isCount && v === 0 ? null : v
      }
      packed[c] = c === 'n' ? a : orNull(a)
    }
    out.push(packed)
  }
  return out.sort((a, b) => a.m! - b.m! || a.hour! - b.hour!)
}

/**
 * The `energy_minutes` rows of 1-minute energy rows, one per meter, register and hour, in key
 * order (m, reg, hour). Each minute of a (meter, register, hour) must appear at most once.
 */
export function packEnergyMinutes(rows: readonly EnergyMinuteRow[]): RowOf<'energy_minutes'>[] {
  const out: RowOf<'energy_minutes'>[] = []
  for (const g of groupByHour(rows, (r) => `${String(r.m)}:${String(r.reg)}`).values()) {
    const hour = Math.floor(g[0]!.bucket / HOUR) * HOUR
    const packed = { m: g[0]!.m, reg: g[0]!.reg, hour } as RowOf<'energy_minutes'>
    for (const c of Object.keys(ENERGY_MINUTE_COLUMNS) as EnergyColumn[]) {
      const a = new Array<number | null>(MINUTES_PER_HOUR).fill(null)
      for (const r of g) a[(r.bucket - hour) / MINUTE] = r[c]
      packed[c] = a
    }
    out.push(packed)
  }
  return out.sort((a, b) => a.m! - b.m! || a.reg! - b.reg! || a.hour! - b.hour!)
}

/**
 * SQL creating the element-wise merge functions of packed arrays in the current schema: null
 * arrays and null elements are "nothing" (the result is null only when both are).
 */
export const PACKED_FUNCTIONS_SQL: readonly string[] = [
  ['add', 'case when x is null then y when y is null then x else x + y end'],
  ['least', 'least(x, y)'],
  ['greatest', 'greatest(x, y)'],
].map(
  ([name, expr]) =>
    `create function linky_${name!}(a anyarray, b anyarray) returns anyarray language sql immutable parallel safe as
     $$ select case when a is null then b when b is null then a else
        array(select ${expr!} from unnest(a, b) with ordinality as u(x, y, i) order by i) end $$`,
)

/** SQL dropping the functions of {@link PACKED_FUNCTIONS_SQL}. */
export const DROP_PACKED_FUNCTIONS_SQL: readonly string[] = ['add', 'least', 'greatest'].map(
  (name) => `drop function linky_${name}(anyarray, anyarray)`,
)

/** The `on conflict` clause merging a `power_minutes` row into the stored one. */
export const POWER_MINUTES_CONFLICT =
  'on conflict (m, hour) do update set ' +
  Object.entries(POWER_MINUTE_COLUMNS)
    .map(([c, f]) => `${c} = linky_${f}(power_minutes.${c}, excluded.${c})`)
    .join(', ')

/** The `on conflict` clause merging an `energy_minutes` row into the stored one. */
export const ENERGY_MINUTES_CONFLICT =
  'on conflict (m, reg, hour) do update set ' +
  Object.entries(ENERGY_MINUTE_COLUMNS)
    .map(([c, f]) => `${c} = linky_${f}(energy_minutes.${c}, excluded.${c})`)
    .join(', ')

/**
 * SQL of the 1-minute power rows of `power_minutes` (alias `p`, with a `from` clause naming it
 * and any join), with the columns of `power_rows` (`m`, `res` 1, `bucket`, counts as 0 again).
 */
export function powerMinuteRowsSql(from: string, extraColumns = ''): string {
  const cols = Object.keys(POWER_MINUTE_COLUMNS).map((c) =>
    POWER_COUNT_COLUMNS.includes(c) ? `coalesce(p.${c}[i], 0) as ${c}` : `p.${c}[i] as ${c}`,
  )
  return `select ${extraColumns}p.m, 1 as res, p.hour + (i - 1) * 60000 as bucket, ${cols.join(', ')}
     ${from} cross join generate_series(1, 60) as i where p.n[i] is not null`
}

/** SQL of the 1-minute energy rows of `energy_minutes` (alias `e`), like {@link powerMinuteRowsSql}. */
export function energyMinuteRowsSql(from: string, extraColumns = ''): string {
  return `select ${extraColumns}e.m, 1 as res, e.reg, e.hour + (i - 1) * 60000 as bucket, e.min_wh[i] as min_wh,
       e.max_wh[i] as max_wh, e.energy_wh[i] as energy_wh
     ${from} cross join generate_series(1, 60) as i where e.min_wh[i] is not null`
}
