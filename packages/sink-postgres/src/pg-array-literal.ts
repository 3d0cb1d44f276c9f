/**
 * PostgreSQL array literals for bulk `unnest` inserts, built as one string per column. `pg`
 * serialises a JS array parameter element by element through its generic value preparation;
 * building the literal here is several times cheaper and keeps the ingest hot path lean.
 */

/**
 * The literal of an integer column (`{1,2,NULL}`): every value a safe integer or null. Throws
 * TypeError on anything else (a fraction, NaN, a string), which would otherwise be stored wrong.
 */
export function intArrayLiteral(rows: readonly Row[], column: number | string): string {
  let out = '{'
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Readonly<Record<number | string, unknown>>)[column]
    if (i > 0) out += ','
    if (v === null || v === undefined) out += 'NULL'
    else if (typeof v === 'number' && Number.isSafeInteger(v)) out += String(v)
    else
      throw new TypeError(
        `row ${String(i)}, column ${String(column)}: ${String(v)} is not an integer`,
      )
  }
  return `${out}}`
}

/**
 * The literal of a column whose values are integer arrays (`{"{1,NULL}",NULL}`): a text array of
 * one array literal per row (null for a null value), cast back to an integer array in SQL. Throws
 * TypeError for an element that is not a safe integer or null.
 */
export function intArraysLiteral(rows: readonly Row[], column: number | string): string {
  let out = '{'
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Readonly<Record<number | string, unknown>>)[column]
    if (i > 0) out += ','
    if (v === null || v === undefined) {
      out += 'NULL'
      continue
    }
    if (!Array.isArray(v))
      throw new TypeError(`row ${String(i)}, column ${String(column)}: not an array`)
    out += `"${intArrayLiteral(
      v.map((e: unknown) => [e]),
      0,
    )}"`
  }
  return `${out}}`
}

/** A row: an array (column by position) or an object (column by name). */
type Row = readonly unknown[] | Readonly<Record<string, unknown>>

const NEEDS_ESCAPE = /["\\]/g

/** The literal of a text column (`{"a","b\"c",NULL}`): strings quoted and escaped, null as NULL. */
export function textArrayLiteral(rows: readonly Row[], column: number | string): string {
  let out = '{'
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Readonly<Record<number | string, unknown>>)[column]
    if (i > 0) out += ','
    if (v === null || v === undefined) out += 'NULL'
    else {
      const s = typeof v === 'string' ? v : String(v)
      out += `"${s.replace(NEEDS_ESCAPE, '\\$&')}"`
    }
  }
  return `${out}}`
}
