/**
 * The SQLite engine of the store: better-sqlite3 + Kysely's SqliteDialect, bulk writes through
 * prepared statements in one transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { statSync } from 'node:fs'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database as SqliteDb, Statement } from 'better-sqlite3'
import { COLUMNS, StoreConnectionError } from '@linkyrpi/store/core'
import { applySqlitePragmas } from './sqlite-pragmas.js'
import { sqliteSelectColumns, sqliteSelectRows } from './sqlite-reader.js'
import type { BulkRow, BulkTable, Engine, StoreDatabase, WriteTx } from '@linkyrpi/store/core'

export { SQLITE_JOURNAL_SIZE_LIMIT, applySqlitePragmas } from './sqlite-pragmas.js'

/** Options of {@link openSqlite}. */
export interface SqliteEngineOptions {
  /** Database file path (`:memory:` for tests). */
  readonly path: string
}

/** Rows per multi-row insert statement (see `insertRows`). */
export const SQLITE_INSERT_CHUNK = 64

/** Tables with at most this many columns are written by multi-row statements (see `insertRows`). */
const SQLITE_MULTI_ROW_COLUMNS = 8

/** Sample rows per multi-row insert statement (19 columns: 608 parameters; see `insertSamples`). */
export const SQLITE_SAMPLE_CHUNK = 32

/** True when rows are in (m, t) order, equal keys allowed (the order ingest gives samples in). */
function inKeyOrder(rows: readonly BulkRow[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!
    const b = rows[i]!
    if ((a.m as number) > (b.m as number) || (a.m === b.m && (a.t as number) > (b.t as number)))
      return false
  }
  return true
}

/** Register rows sorted by their key (m, reg, t), as a new array. */
function byRegisterKey(rows: readonly BulkRow[]): BulkRow[] {
  return [...rows].sort(
    (a, b) =>
      (a.m as number) - (b.m as number) ||
      (a.reg as number) - (b.reg as number) ||
      (a.t as number) - (b.t as number),
  )
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
  // Rows are bound by position (a named-parameter statement reads each row's properties by name,
  // about twice the CPU). Narrow rows whose outcome nobody needs (`insertNew`: registers) go in
  // multi-row statements of SQLITE_INSERT_CHUNK rows, half the CPU again; wide rows whose outcome
  // is needed go one statement each (`changes` tells it), samples in key order by `insertSamples`.
  const insertRows = (
    table: BulkTable,
    rows: readonly BulkRow[],
    conflict: string,
    flags: boolean,
    chunk = Object.keys(COLUMNS[table]).length <= SQLITE_MULTI_ROW_COLUMNS
      ? SQLITE_INSERT_CHUNK
      : 1,
  ): boolean[] => {
    const cols = Object.keys(COLUMNS[table])
    const nc = cols.length
    const tuple = `(${cols.map(() => '?').join(', ')})`
    const head = `insert into ${table} (${cols.join(', ')}) values `
    let i = 0
    if (!flags && chunk > 1 && rows.length >= chunk) {
      const many = prepare(`${head}${new Array<string>(chunk).fill(tuple).join(', ')} ${conflict}`)
      const params = new Array<unknown>(chunk * nc)
      for (; i + chunk <= rows.length; i += chunk) {
        for (let j = 0; j < chunk; j++) {
          const row = rows[i + j]!
          for (let c = 0; c < nc; c++) params[j * nc + c] = row[cols[c]!] ?? null
        }
        many.run(params)
      }
    }
    const out = new Array<boolean>(flags ? rows.length : 0)
    if (i < rows.length) {
      const one = prepare(`${head}${tuple} ${conflict}`)
      const params = new Array<unknown>(nc)
      for (; i < rows.length; i++) {
        const row = rows[i]!
        for (let c = 0; c < nc; c++) params[c] = row[cols[c]!] ?? null
        const changes = one.run(params).changes
        if (flags) out[i] = changes > 0
      }
    }
    return out
  }
  /**
   * Sample rows in key order (what ingest gives): the keys already stored are looked up first,
   * one range per meter, and the others go in multi-row statements of SQLITE_SAMPLE_CHUNK rows
   * (a third less CPU than one statement a row, which is needed only to tell each row's outcome).
   * Exact: the write transaction (`begin immediate`) holds the database's write lock, so no
   * other writer can store a key between the lookup and the insert. A key given twice counts once.
   */
  const insertSamples = (rows: readonly BulkRow[], conflict: string): boolean[] => {
    const out = new Array<boolean>(rows.length).fill(true)
    const fresh: BulkRow[] = []
    for (let i = 0; i < rows.length;) {
      const m = rows[i]!.m as number
      let j = i
      while (j < rows.length && rows[j]!.m === m) j++
      const found = prepare('select t from sample_rows where m = ? and t between ? and ?')
        .pluck()
        .all(m, rows[i]!.t, rows[j - 1]!.t) as number[]
      const stored = found.length === 0 ? null : new Set(found.map(Number))
      for (let k = i; k < j; k++) {
        const row = rows[k]!
        const t = row.t as number
        if ((stored !== null && stored.has(t)) || (k > i && rows[k - 1]!.t === t)) out[k] = false
        else fresh.push(row)
      }
      i = j
    }
    insertRows('sample_rows', fresh, conflict, false, SQLITE_SAMPLE_CHUNK)
    return out
  }
  // SQLite checks a key while inserting it anyway: keeping the conflict clause costs nothing.
  const tx: WriteTx = {
    insert: (table, rows, conflict) =>
      Promise.resolve(
        table === 'sample_rows' && inKeyOrder(rows)
          ? insertSamples(rows, conflict)
          : insertRows(table, rows, conflict, true),
      ),
    insertNew(table, rows, conflict) {
      // Register rows come in frame order (a frame's registers, then the next frame's): in key
      // order (m, reg, t) each statement appends to one register's run of the clustered table
      // instead of seeking to three or four places in turn (400,000 rows: 272-299 against 403 CPU
      // ms, sort included). Nobody reads their outcome, and SQLite has one writer: any order is safe.
      insertRows(table, table === 'register_rows' ? byRegisterKey(rows) : rows, conflict, false)
      return Promise.resolve()
    },
    upsert(table, rows, conflict) {
      // Nobody reads the outcome: SQLITE_SAMPLE_CHUNK rows per statement (rollup rows have ~20
      // columns), applied in order, so a key given twice is updated twice as one row at a time would be.
      insertRows(table, rows, conflict, false, SQLITE_SAMPLE_CHUNK)
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
  // SQLite has one connection, shared by these write transactions (the store sink's batches, the
  // automation journal) and Kysely's own (retention, tariffs, migrations): each write transaction
  // holds Kysely's connection, a mutex, from `begin` to `commit`, so they wait for each other.
  // Without it a `begin immediate` inside Kysely's transaction failed, and the flag that refused
  // nested calls stayed set: every later write failed (the store sink never acknowledged again).
  // A transaction started inside `fn` is refused rather than left waiting for its own lock.
  const inside = new AsyncLocalStorage<true>()
  return {
    kind: 'sqlite',
    schema: null,
    db,
    async transaction(fn) {
      if (inside.getStore() === true) throw new Error('nested SQLite write transaction')
      return db.connection().execute(() =>
        inside.run(true, async () => {
          raw.exec('begin immediate')
          try {
            const out = await fn(tx)
            raw.exec('commit')
            return out
          } catch (error) {
            if (raw.inTransaction) raw.exec('rollback')
            throw error
          }
        }),
      )
    },
    selectRows: sqliteSelectRows(raw),
    selectColumns: sqliteSelectColumns(raw),
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
      // After the write transaction in flight, if any: it commits or rolls back first; those
      // still waiting then fail (the database is closed).
      await db.connection().execute(() => {
        statements.clear()
        raw.close()
        return Promise.resolve()
      })
      await db.destroy()
    },
  }
}
