import type pgModule from 'pg'

/**
 * Type parsers of every connection: int8 (20) and numeric (1700) come back as numbers instead of
 * strings (every value the store keeps fits a double); other types as pg parses them.
 */
export function numberTypes(pg: typeof pgModule): {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (value: string) => unknown
} {
  return {
    getTypeParser: (oid, format) =>
      oid === 20 || oid === 1700
        ? (v: string) => Number(v)
        : (pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown),
  }
}

/** The store's neutral `?` placeholders as PostgreSQL's `$1`, `$2`… */
export function pgPlaceholders(text: string): string {
  let n = 0
  return text.replace(/\?/g, () => `$${String(++n)}`)
}
