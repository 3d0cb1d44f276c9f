/**
 * The SQLite reader: better-sqlite3 without Kysely, for `linkyrpi report` (the `./reader` entry).
 * Its `selectRows` is also the full engine's.
 */
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
 * Opens an existing store file for reading (the same connection settings as the engine, see
 * `applySqlitePragmas`). Fails with StoreConnectionError when the file is missing or unreadable.
 */
export async function openSqliteReader(options: { readonly path: string }): Promise<ReadEngine> {
  const Database = (await import('better-sqlite3')).default
  let raw: SqliteDb
  try {
    raw = new Database(options.path, { fileMustExist: true })
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
