/**
 * The SQLite engine of the store: better-sqlite3 + Kysely's SqliteDialect, bulk writes through
 * prepared statements in one transaction.
 */
import { statSync } from 'node:fs'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database as SqliteDb, Statement } from 'better-sqlite3'
import { COLUMNS, StoreConnectionError } from '@linkyrpi/store/core'
import { applySqlitePragmas } from './sqlite-pragmas.js'
import { sqliteSelectRows } from './sqlite-reader.js'
import type { BulkRow, BulkTable, Engine, StoreDatabase, WriteTx } from '@linkyrpi/store/core'

export { SQLITE_JOURNAL_SIZE_LIMIT, applySqlitePragmas } from './sqlite-pragmas.js'

/** Options of {@link openSqlite}. */
export interface SqliteEngineOptions {
  /** Database file path (`:memory:` for tests). */
  readonly path: string
}

/** Opens (creates) a SQLite database file in WAL mode. */
export async function openSqlite(options: SqliteEngineOptions): Promise<Engine> {
  const Database = (await import('better-sqlite3')).default
  let raw: SqliteDb
  try {
    raw = new Database(options.path)
    applySqlitePragmas(raw)
  } catch (error) {
    throw new StoreConnectionError(`cannot open SQLite database '${options.path}'`, {
      cause: error,
    })
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: raw }) })
  const statements = new Map<string, Statement>()
  const prepare = (text: string): Statement => {
    let s = statements.get(text)
    if (s === undefined) {
      s = raw.prepare(text)
      statements.set(text, s)
    }
    return s
  }
  // Rows are bound by column name (`@m`, `@t`…): the statement reads each row's properties.
  const insertRows = (table: BulkTable, rows: readonly BulkRow[], conflict: string): boolean[] => {
    const cols = Object.keys(COLUMNS[table])
    const s = prepare(
      `insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')}) ${conflict}`,
    )
    const out = new Array<boolean>(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = s.run(rows[i]).changes > 0
    return out
  }
  // SQLite checks a key while inserting it anyway: keeping the conflict clause costs nothing.
  const tx: WriteTx = {
    insert: (table, rows, conflict) => Promise.resolve(insertRows(table, rows, conflict)),
    insertNew(table, rows, conflict) {
      insertRows(table, rows, conflict)
      return Promise.resolve()
    },
    query<R>(text: string, params: readonly unknown[]) {
      const s = prepare(text)
      if (s.reader) return Promise.resolve(s.all(...params) as R[])
      s.run(...params)
      return Promise.resolve([] as R[])
    },
  }
  let closed = false
  let inTx = false
  return {
    kind: 'sqlite',
    schema: null,
    db,
    async transaction(fn) {
      if (inTx) throw new Error('nested SQLite write transaction')
      inTx = true
      raw.exec('begin immediate')
      try {
        const out = await fn(tx)
        raw.exec('commit')
        return out
      } catch (error) {
        if (raw.inTransaction) raw.exec('rollback')
        throw error
      } finally {
        inTx = false
      }
    },
    selectRows: sqliteSelectRows(raw),
    least: (a, b) => `min(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`,
    greatest: (a, b) => `max(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`,
    sizeBytes() {
      if (options.path === ':memory:') {
        const pages = raw.pragma('page_count', { simple: true }) as number
        const size = raw.pragma('page_size', { simple: true }) as number
        return Promise.resolve(pages * size)
      }
      let bytes = 0
      for (const suffix of ['', '-wal', '-shm']) {
        try {
          bytes += statSync(options.path + suffix).size
        } catch {
          // The WAL and shared-memory files exist only while the database is open in WAL mode.
          bytes += 0
        }
      }
      return Promise.resolve(bytes)
    },
    async close() {
      if (closed) return
      closed = true
      statements.clear()
      await db.destroy()
    },
  }
}
