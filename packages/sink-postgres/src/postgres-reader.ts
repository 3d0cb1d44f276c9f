/**
 * The PostgreSQL reader: one pg client without Kysely, for `linkyrpi report` (the `./reader`
 * entry). It creates nothing: a missing schema reads as a store without tables.
 */
import { StoreConnectionError } from '@linkyrpi/store/reader'
import type { ReadEngine } from '@linkyrpi/store/reader'
import { numberTypes, pgPlaceholders } from './pg-common.js'
import { assertSchemaName } from './postgres-url.js'
import { importPg } from './import-pg.js'

/** Options of {@link openPostgresReader}. */
export interface PostgresReaderOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string
  /** Schema holding the tables; default `public`. */
  readonly schema?: string
  /** Connection timeout in ms (default 5000). */
  readonly connectTimeoutMs?: number
  /** Called with errors of the idle connection (a server restart), which must not crash the process. */
  readonly onIdleError?: (error: Error) => void
}

/** Connects to PostgreSQL for reading. Fails with StoreConnectionError when unreachable. */
export async function openPostgresReader(options: PostgresReaderOptions): Promise<ReadEngine> {
  const pg = await importPg()
  const schema = options.schema ?? 'public'
  assertSchemaName(schema)
  const client = new pg.Client({
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    options: `-c search_path=${schema}`,
    types: numberTypes(pg),
  })
  client.on('error', (error) => options.onIdleError?.(error))
  try {
    await client.connect()
  } catch (error) {
    await client.end().catch(() => undefined)
    throw new StoreConnectionError('cannot connect to PostgreSQL', { cause: error })
  }
  let closed = false
  // One connection runs one query at a time: concurrent calls wait their turn (pg 8 queues them
  // itself but deprecates it).
  let queue: Promise<unknown> = Promise.resolve()
  return {
    kind: 'postgres',
    schema,
    selectRows(text, params) {
      const run = async (): Promise<unknown[][]> => {
        const res = await client.query<unknown[]>({
          text: pgPlaceholders(text),
          values: [...params],
          rowMode: 'array',
        })
        return res.rows
      }
      const result = queue.then(run, run)
      queue = result.catch(() => undefined)
      return result
    },
    async close() {
      if (closed) return
      closed = true
      await client.end()
    },
  }
}
