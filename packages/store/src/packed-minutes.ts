/**
 * Packed minutes (PostgreSQL only, docs/storage.md "Packed minutes"): the 1-minute rollups of an
 * hour in one row of arrays (`power_minutes`, `energy_minutes`) instead of up to 60 rows, because
 * PostgreSQL's fixed cost per row (tuple header, line pointer, index entry, ~60 bytes) was most of
 * their size. Element i (1-based) of every array is minute i − 1 of the UTC hour. Ingest writes
 * 1-minute rows (`power_rows`, `energy_rows`, `res` 1) and folds an hour into its packed row once
 * its data is an hour past it (migration 2026_12_04_000500). This module holds the SQL that folds
 * and merges them and reads them back as 1-minute rows (views, history).
 */

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

/** The SQL aggregate merging several rows of a column merged by `how` (sum, min or max). */
export const MERGE_AGGREGATE = { add: 'sum', least: 'min', greatest: 'max' } as const

/** A column of `power_rows` packed in `power_minutes`. */
export type PowerMinuteColumn = keyof typeof POWER_MINUTE_COLUMNS

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

/**
 * PostgreSQL: the start (epoch ms) of the local day (Europe/Paris) holding the instant `ms` (a SQL
 * expression, epoch ms): the `1d` bucket, as `bucketOf('1d', …)` gives it.
 */
export const parisDaySql = (ms: string): string =>
  `cast(extract(epoch from date_trunc('day', to_timestamp(${ms} / 1000.0), 'Europe/Paris')) * 1000 as bigint)`

/** The start (epoch ms) of the UTC hour holding the instant `ms` (a SQL expression, epoch ms ≥ 0). */
export const hourSql = (ms: string): string => `(${ms} - ${ms} % 3600000)`

/**
 * SQL of the 1-hour and 1-day rows of `src` (1-minute rows with the columns of `columns`, each
 * merged by its `how`), keyed as in `keys` (`m` or `m, reg`): one row per key, resolution and bucket.
 */
function derivedRows(
  keys: string,
  columns: Readonly<Record<string, keyof typeof MERGE_AGGREGATE>>,
  src: string,
): string {
  const aggs = Object.entries(columns)
    .map(([c, how]) => `${MERGE_AGGREGATE[how]}(${c})`)
    .join(', ')
  // The columns in table order: `m, res, bucket` or `m, res, reg, bucket`.
  const head = (res: number): string => keys.replace(/^m/, `m, ${String(res)} as res`)
  return `select ${head(60)}, ${hourSql('bucket')} as bucket, ${aggs} from ${src} group by ${keys}, ${hourSql('bucket')}
     union all select ${head(1440)}, ${parisDaySql('bucket')} as bucket, ${aggs} from ${src} group by ${keys}, ${parisDaySql('bucket')}`
}

/**
 * Where 1-minute rows wait for their fold: the hot tables (migration 2026_12_04_000700, key
 * without `res`), or, before that migration, the rollup tables' rows with `res` 1.
 */
export type HotMinutes = 'hot' | 'rollup-rows'

/** The table holding the hot 1-minute rows of `power` or `energy` in `from`, and its row filter. */
const hotSource = (
  kind: 'power' | 'energy',
  from: HotMinutes,
): { readonly table: string; readonly where: string } =>
  from === 'hot'
    ? { table: `${kind}_hot_rows`, where: 'true' }
    : { table: `${kind}_rows`, where: 'res = 1' }

/**
 * SQL of the hot 1-minute rows of `power_rows` (`res` 1, not folded yet) as rows of the 1-hour and
 * 1-day resolutions (one per minute, not merged): what a reader adds to the stored 1-hour and
 * 1-day rows, which are derived from the minutes at the fold (see {@link foldPowerMinutesSql}).
 * `where` filters the minute rows (SQL, may be empty).
 */
export function hotPowerRollupsSql(where = '', from: HotMinutes = 'rollup-rows'): string {
  const cols = Object.keys(POWER_MINUTE_COLUMNS).join(', ')
  const w = where === '' ? '' : ` and ${where}`
  const { table, where: hot } = hotSource('power', from)
  return `select m, 60 as res, ${hourSql('bucket')} as bucket, ${cols} from ${table} where ${hot}${w}
     union all select m, 1440 as res, ${parisDaySql('bucket')} as bucket, ${cols} from ${table} where ${hot}${w}`
}

/** {@link hotPowerRollupsSql} for `energy_rows` (or `energy_hot_rows`). */
export function hotEnergyRollupsSql(where = '', from: HotMinutes = 'rollup-rows'): string {
  const cols = Object.keys(ENERGY_MINUTE_COLUMNS).join(', ')
  const w = where === '' ? '' : ` and ${where}`
  const { table, where: hot } = hotSource('energy', from)
  return `select m, 60 as res, reg, ${hourSql('bucket')} as bucket, ${cols} from ${table} where ${hot}${w}
     union all select m, 1440 as res, reg, ${parisDaySql('bucket')} as bucket, ${cols} from ${table} where ${hot}${w}`
}

/** An array of the 60 minutes of `p.<col>` for one (meter, hour) group; null when every element is. */
const minutesArray = (col: string, zeroIsNull: boolean): string => {
  const v = zeroIsNull ? `nullif(p.${col}, 0)` : `p.${col}`
  return `case when count(${v}) = 0 then null else array_agg(${v} order by i) end`
}

/**
 * SQL packing the 1-minute rows of `power_rows` (`res` 1) into `power_minutes`, one row per meter
 * and UTC hour. `copy`: all of them, into an empty table (the migration). `move`: those of buckets
 * before `before` (SQL text, default a `?` parameter: epoch ms, an hour start) are deleted and merged into the stored packed
 * rows in one statement, so that two writers folding at once, or a late frame updating a row being
 * folded, count every row once (the delete returns the rows it removed, as last committed).
 * `rollups` (move only): the `on conflict` clause of `power_rows`; the statement then also adds
 * the moved minutes to their 1-hour and 1-day rows, which ingest no longer writes on PostgreSQL
 * (migration 2026_12_04_000600): each minute is added once, by the fold that moves it.
 * `also` (move only): more conditions on the moved rows, `and …` (ingest folds by meter ranges).
 */
export function foldPowerMinutesSql(
  kind: 'copy' | 'move',
  before = '?',
  rollups?: string,
  from: HotMinutes = 'rollup-rows',
  also = '',
): string {
  const columns = Object.keys(POWER_MINUTE_COLUMNS)
  const { table, where } = hotSource('power', from)
  const source =
    kind === 'copy'
      ? `select * from ${table} where ${where}`
      : `delete from ${table} where ${where} and bucket < ${before}${also} returning m, bucket, ${columns.join(', ')}`
  // Joined to the grid on (meter, hour, minute): on an expression of the bucket, PostgreSQL could
  // only merge on the meter, quadratic in the hours of one fold.
  const pack = `insert into power_minutes (m, hour, ${columns.join(', ')})
     select k.m, k.hour, ${columns.map((c) => (c === 'n' ? 'array_agg(p.n order by i)' : minutesArray(c, POWER_COUNT_COLUMNS.includes(c)))).join(', ')}
     from k cross join generate_series(1, 60) as i
     left join s p on p.m = k.m and p.hour = k.hour and p.mi = i
     group by k.m, k.hour${kind === 'move' ? ` ${POWER_MINUTES_CONFLICT}` : ''}`
  const head = `with src as (${source}),
     s as (select *, bucket - bucket % 3600000 as hour, (bucket % 3600000) / 60000 + 1 as mi from src),
     k as (select distinct m, hour from s)`
  if (rollups === undefined) return `${head}\n     ${pack}`
  return `${head}, packed as (${pack})
     insert into power_rows (m, res, bucket, ${columns.join(', ')})
     select * from (${derivedRows('m', POWER_MINUTE_COLUMNS, 'src')}) d order by m, res, bucket ${rollups}`
}

/** SQL packing the 1-minute rows of `energy_rows` into `energy_minutes`, like {@link foldPowerMinutesSql}. */
export function foldEnergyMinutesSql(
  kind: 'copy' | 'move',
  before = '?',
  rollups?: string,
  from: HotMinutes = 'rollup-rows',
  also = '',
): string {
  const columns = Object.keys(ENERGY_MINUTE_COLUMNS)
  const { table, where } = hotSource('energy', from)
  const source =
    kind === 'copy'
      ? `select * from ${table} where ${where}`
      : `delete from ${table} where ${where} and bucket < ${before}${also} returning m, reg, bucket, ${columns.join(', ')}`
  const pack = `insert into energy_minutes (m, reg, hour, ${columns.join(', ')})
     select k.m, k.reg, k.hour, ${columns.map((c) => `array_agg(e.${c} order by i)`).join(', ')}
     from k cross join generate_series(1, 60) as i
     left join s e on e.m = k.m and e.reg = k.reg and e.hour = k.hour and e.mi = i
     group by k.m, k.reg, k.hour${kind === 'move' ? ` ${ENERGY_MINUTES_CONFLICT}` : ''}`
  const head = `with src as (${source}),
     s as (select *, bucket - bucket % 3600000 as hour, (bucket % 3600000) / 60000 + 1 as mi from src),
     k as (select distinct m, reg, hour from s)`
  if (rollups === undefined) return `${head}\n     ${pack}`
  return `${head}, packed as (${pack})
     insert into energy_rows (m, res, reg, bucket, ${columns.join(', ')})
     select * from (${derivedRows('m, reg', ENERGY_MINUTE_COLUMNS, 'src')}) d order by m, res, reg, bucket ${rollups}`
}

/**
 * The `on conflict` clauses adding a `power_rows` or an `energy_rows` row to the stored one (sums
 * added, null meaning "nothing"; extremes kept), with the engine's two-argument `least`/`greatest`.
 */
export function rollupConflicts(
  L: (a: string, b: string) => string,
  G: (a: string, b: string) => string,
): { readonly power: string; readonly energy: string } {
  const sumSql = (c: string): string =>
    `${c} = case when power_rows.${c} is null and excluded.${c} is null then null else coalesce(power_rows.${c}, 0) + coalesce(excluded.${c}, 0) end`
  const power =
    'on conflict (m, res, bucket) do update set ' +
    [
      ...['n', 'va_n', 'vap_n', 'inj_n', 'u_n'].map(
        (c) => `${c} = power_rows.${c} + excluded.${c}`,
      ),
      ...['va_sum', 'va1_sum', 'va2_sum', 'va3_sum', 'inj_sum', 'u1_sum', 'u2_sum', 'u3_sum'].map(
        sumSql,
      ),
      `va_min = ${L('power_rows.va_min', 'excluded.va_min')}`,
      `va_max = ${G('power_rows.va_max', 'excluded.va_max')}`,
      `u_min = ${L('power_rows.u_min', 'excluded.u_min')}`,
      `u_max = ${G('power_rows.u_max', 'excluded.u_max')}`,
    ].join(', ')
  const energy =
    'on conflict (m, res, reg, bucket) do update set ' +
    `min_wh = ${L('energy_rows.min_wh', 'excluded.min_wh')}, max_wh = ${G('energy_rows.max_wh', 'excluded.max_wh')}, ` +
    'energy_wh = energy_rows.energy_wh + excluded.energy_wh'
  return { power, energy }
}
