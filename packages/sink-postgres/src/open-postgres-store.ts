import { createStore } from '@linkyrpi/store/core'
import type { Store, StoreOptions } from '@linkyrpi/store/core'
import { openPostgres } from './postgres-engine.js'
import type { PostgresEngineOptions } from './postgres-engine.js'
import { parsePostgresUrl } from './postgres-url.js'

/** Options of {@link openPostgresStore}: the store's and the engine's (except `url` and `schema`). */
export interface PostgresStoreOptions
  extends StoreOptions, Omit<PostgresEngineOptions, 'url' | 'schema'> {
  /** Schema holding the tables; default the URL's `?schema=name`, else `public`. */
  readonly schema?: string
}

/**
 * Connects to PostgreSQL and migrates the store. `url` may name the schema with `?schema=name`
 * (see {@link parsePostgresUrl}). Fails with StoreConnectionError when the server is unreachable.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const location = parsePostgresUrl(url, options.schema)
  return createStore(await openPostgres({ ...options, ...location }), options)
}
