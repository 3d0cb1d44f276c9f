/**
 * The SQLite reader: better-sqlite3 without Kysely, for `linkyrpi report` (the `./reader` entry).
 * Its `selectRows` is also the full engine's.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Database as SqliteDb, Statement } from 'better-sqlite3'
import { StoreConnectionError } from '@linkyrpi/store/reader'
import type { ColumnStatement, ReadEngine } from '@linkyrpi/store/reader'
import { applySqlitePragmas } from './sqlite-pragmas.js'

/**
 * `selectRows` over a connection: statements prepared once, rows as arrays (no object per row:
 * a month of one-minute rollups is 44,640 rows).
 */
export function sqliteSelectRows(
  raw: SqliteDb,
): (text: string, params: readonly unknown[]) => Promise<unknown[][]> {
  const statements = new Map<string, Statement>()
  return (text, params) => {
    let st = statements.get(text)
    if (st === undefined) {
      st = raw.prepare(text).raw(true)
      statements.set(text, st)
    }
    return Promise.resolve(st.all(...params) as unknown[][])
  }
}

/**
 * `selectColumns` over a connection: the statements run in one transaction (one snapshot, even
 * while another process writes), each returning its first column (better-sqlite3's `pluck`).
 */
export function sqliteSelectColumns(
  raw: SqliteDb,
): (statements: readonly ColumnStatement[]) => Promise<unknown[][]> {
  const plucked = new Map<string, Statement>()
  const read = raw.transaction((statements: readonly ColumnStatement[]) =>
    statements.map(({ text, params }) => {
      let st = plucked.get(text)
      if (st === undefined) {
        st = raw.prepare(text).pluck(true)
        plucked.set(text, st)
      }
      return st.all(...params)
    }),
  )
  return (statements) => Promise.resolve(read(statements))
}

/**
 * better-sqlite3's compiled addon where its install puts it (`build/Release`), or null. Given as
 * `nativeBinding`, it spares the `bindings` package's search (a dozen candidate paths probed, a
 * stack trace read to find the caller): a few ms of `linkyrpi report`. When it is elsewhere,
 * better-sqlite3 searches as usual.
 */
function releaseAddon(): string | null {
  try {
    const main = createRequire(import.meta.url).resolve('better-sqlite3')
    const addon = join(dirname(main), '..', 'build', 'Release', 'better_sqlite3.node')
    return existsSync(addon) ? addon : null
  } catch {
    return null
  }
}

/**
 * Opens an existing store file for reading (the same connection settings as the engine, see
 * `applySqlitePragmas`). Fails with StoreConnectionError when the file is missing or unreadable.
 */
export async function openSqliteReader(options: { readonly path: string }): Promise<ReadEngine> {
  const Database = (await import('better-sqlite3')).default
  let raw: SqliteDb
  try {
    const nativeBinding = releaseAddon()
    raw = new Database(options.path, {
      fileMustExist: true,
      ...(nativeBinding === null ? {} : { nativeBinding }),
    })
    applySqlitePragmas(raw)
  } catch (error) {
    throw new StoreConnectionError(`cannot open SQLite database '${options.path}'`, {
      cause: error,
    })
  }
  let closed = false
  return {
    kind: 'sqlite',
    schema: null,
    selectRows: sqliteSelectRows(raw),
    selectColumns: sqliteSelectColumns(raw),
    close() {
      if (!closed) raw.close()
      closed = true
      return Promise.resolve()
    },
  }
}
