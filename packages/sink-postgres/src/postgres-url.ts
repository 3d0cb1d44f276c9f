import { StoreTargetError } from '@linkyrpi/store/reader'

/** The schemes of a PostgreSQL URL: `postgres://` and `postgresql://` (any case). */
export const POSTGRES_URL_PATTERN = /^postgres(ql)?:\/\//i

/** Schema names accepted (an unquoted identifier: lower-case letters, digits and `_`, not starting with a digit). */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/

/** Where a PostgreSQL store lives: the connection URL (without `schema`) and the schema, when one is named. */
export interface PostgresLocation {
  /** The URL given to pg, without the `schema` parameter. */
  readonly url: string
  /** Schema holding the tables; absent means `public`. */
  readonly schema?: string
}

/** True when `text` starts with `postgres://` or `postgresql://`. */
export function isPostgresUrl(text: string): boolean {
  return POSTGRES_URL_PATTERN.test(text)
}

/** Throws StoreTargetError unless `schema` is a name {@link SCHEMA_NAME_PATTERN} accepts. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME_PATTERN.test(schema))
    throw new StoreTargetError(`invalid schema name '${schema}' (lower-case letters, digits, _)`)
}

/**
 * Reads a PostgreSQL URL whose optional `?schema=name` parameter picks the schema (pg itself
 * ignores that parameter): returns the URL without it and the schema. `schema`, when given too,
 * must agree with the URL's. Throws StoreTargetError (a TypeError) on another scheme, a malformed
 * URL, an invalid schema name or two different schemas.
 */
export function parsePostgresUrl(text: string, schema?: string): PostgresLocation {
  if (!isPostgresUrl(text)) throw new StoreTargetError('must be a postgres:// URL')
  let url: URL
  try {
    url = new URL(text)
  } catch (error) {
    throw new StoreTargetError('invalid PostgreSQL URL', { cause: error })
  }
  const fromUrl = url.searchParams.get('schema') ?? undefined
  if (fromUrl === undefined && schema === undefined) return { url: text }
  url.searchParams.delete('schema')
  if (fromUrl !== undefined && schema !== undefined && fromUrl !== schema) {
    throw new StoreTargetError(
      `the URL names schema '${fromUrl}' but the 'schema' option says '${schema}'`,
    )
  }
  const chosen = (schema ?? fromUrl) as string
  assertSchemaName(chosen)
  return { url: url.toString(), schema: chosen }
}
