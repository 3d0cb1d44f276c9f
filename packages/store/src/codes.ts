/**
 * The small numbers the compact tables store instead of repeated text (docs/storage.md, "Compact
 * storage"): period codes, register names and rollup resolutions, each with its SQL text for the
 * views that give the text back. One home for each mapping, used by ingest, queries and migrations.
 */
import type { PeriodCode } from '@linkyrpi/tic-core'
import type { RollupResolution } from './buckets.js'

/** Period codes by number (index 0 unused): `period_code` in `sample_rows`. */
export const PERIOD_CODES: readonly (PeriodCode | null)[] = [null, 'base', 'hc', 'hp', 'hn', 'pm']

const PERIOD_NUM: Readonly<Record<string, number>> = { base: 1, hc: 2, hp: 3, hn: 4, pm: 5 }

/** The number of a period code (null for none). */
export function periodNum(code: string | null): number | null {
  return code === null ? null : (PERIOD_NUM[code] ?? null)
}

/** SQL text of the period code of a `period_code` number expression. */
export function periodCodeSql(expr: string): string {
  return `case ${expr} ${PERIOD_CODES.map((c, i) => (c === null ? '' : `when ${String(i)} then '${c}'`)).join(' ')} end`
}

/** SQL text of the period code number of a period code text expression (migrations). */
export function periodNumSql(expr: string): string {
  return `case ${expr} ${Object.entries(PERIOD_NUM)
    .map(([c, n]) => `when '${c}' then ${String(n)}`)
    .join(' ')} end`
}

const REG_CACHE = new Map<string, number>()

/**
 * The number of a register name: `s01`…`s99` → 1…99, `d0`…`d9` → 100…109, `import` 200,
 * `export` 201, `q1`…`q9` → 301…309. Throws RangeError for another name.
 */
export function registerNum(name: string): number {
  const cached = REG_CACHE.get(name)
  if (cached !== undefined) return cached
  let n: number
  const m = /^([sdq])(\d{1,2})$/.exec(name)
  if (name === 'import') n = 200
  else if (name === 'export') n = 201
  else if (m !== null) n = (m[1] === 's' ? 0 : m[1] === 'd' ? 100 : 300) + Number(m[2])
  else throw new RangeError(`unknown register '${name}'`)
  if ((m?.[1] === 'd' || m?.[1] === 'q') && Number(m[2]) > 9)
    throw new RangeError(`unknown register '${name}'`)
  REG_CACHE.set(name, n)
  return n
}

/** SQL text of the register name of a register number expression (the inverse of {@link registerNum}). */
export function registerNameSql(expr: string): string {
  return (
    `case when ${expr} < 10 then 's0' || ${expr} when ${expr} < 100 then 's' || ${expr} when ${expr} < 200 then 'd' || (${expr} - 100) ` +
    `when ${expr} = 200 then 'import' when ${expr} = 201 then 'export' else 'q' || (${expr} - 300) end`
  )
}

/** SQL text of the register number of a register name expression (migrations). */
export function registerNumSql(expr: string): string {
  const num = `cast(substr(${expr}, 2) as integer)`
  return `case when ${expr} = 'import' then 200 when ${expr} = 'export' then 201 when ${expr} like 's%' then ${num} when ${expr} like 'd%' then 100 + ${num} else 300 + ${num} end`
}

/** Minutes of each rollup resolution: `res` in `power_rows` and `energy_rows`. */
export const RES_MINUTES: Readonly<Record<RollupResolution, number>> = {
  '1m': 1,
  '1h': 60,
  '1d': 1440,
}

/** SQL text of the resolution name of a `res` minutes expression. */
export function resNameSql(expr: string): string {
  return `case ${expr} when 1 then '1m' when 60 then '1h' when 1440 then '1d' end`
}

/** SQL text of the `res` minutes of a resolution name expression (migrations). */
export function resNumSql(expr: string): string {
  return `case ${expr} when '1m' then 1 when '1h' then 60 when '1d' then 1440 end`
}
