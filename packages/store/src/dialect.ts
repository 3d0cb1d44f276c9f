/**
 * Every difference between PostgreSQL and SQLite lives in this module: connecting, the bulk
 * write path (`unnest` on PostgreSQL, prepared statements in one transaction on SQLite), the few
 * SQL functions that differ, table options, sizes on disk. The rest of the package speaks Kysely
 * or the neutral SQL text this module accepts (`?` placeholders).
 */
import { statSync } from 'node:fs'
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely'
import type { Database as SqliteDb, Statement } from 'better-sqlite3'
import type { Pool, PoolClient } from 'pg'
import { StoreConnectionError } from './errors.js'
import { intArrayLiteral, textArrayLiteral } from './pg-array-literal.js'
import { COLUMNS } from './schema.js'
import { applySqlitePragmas } from './sqlite-pragmas.js'
import type { BulkTable, StoreDatabase } from './schema.js'

/** The two engines. */
export type EngineKind = 'postgres' | 'sqlite'

/** A row of a bulk table: values in the order of `COLUMNS[table]`. */
export type BulkRow = readonly unknown[]

/** Statements inside one write transaction. */
export interface WriteTx {
  /**
   * Inserts rows into `table`; `conflict` is the neutral `on conflict …` clause. Returns, for each
   * row, whether it was inserted (false: a conflict left the existing row, or updated it).
   */
  insert(table: BulkTable, rows: readonly BulkRow[], conflict: string): Promise<boolean[]>
  /**
   * Inserts rows whose keys are expected to be new because they derive from samples this
   * transaction has just inserted (registers of a new sample). An engine may skip the conflict
   * check for speed; should a key exist after all, the transaction fails with a unique violation
   * and {@link Engine.transaction} runs it again with `insert` semantics.
   */
  insertNew(table: BulkTable, rows: readonly BulkRow[], conflict: string): Promise<void>
  /** Runs one statement with `?` placeholders; returns its rows. */
  query<R = Record<string, unknown>>(text: string, params: readonly unknown[]): Promise<R[]>
}

/** A connected engine: Kysely for queries and migrations, a fast path for writes. */
export interface Engine {
  readonly kind: EngineKind
  /** PostgreSQL schema holding the tables; null on SQLite. */
  readonly schema: string | null
  readonly db: Kysely<StoreDatabase>
  /**
   * Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. `fn` may
   * run twice: PostgreSQL's fast write path assumes no concurrent writer of the same keys, and
   * when one shows up (a unique violation) the transaction is rolled back and `fn` runs again with
   * conflict-checked writes. `fn` must therefore keep its effects inside the transaction.
   */
  transaction<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>
  /** SQL text of the smaller of two nullable expressions (null only when both are null). */
  least(a: string, b: string): string
  /** SQL text of the larger of two nullable expressions (null only when both are null). */
  greatest(a: string, b: string): string
  /**
   * Runs a read-only statement (`?` placeholders) and returns its rows as arrays, without building
   * one object per row: the fast path for large reads (a day of samples is 43,200 rows).
   */
  selectRows(text: string, params: readonly unknown[]): Promise<unknown[][]>
  /** Bytes on disk of the store (tables, indexes, WAL). */
  sizeBytes(): Promise<number>
  /** Closes the connections; idempotent. */
  close(): Promise<void>
}

/** Options of {@link openPostgres}. */
export interface PostgresEngineOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string
  /** Schema holding the tables (created if missing); default `public`. */
  readonly schema?: string
  /** Pool size (default 4). */
  readonly poolSize?: number
  /** Connection timeout in ms (default 5000). */
  readonly connectTimeoutMs?: number
  /** Called with errors of idle pool clients (a server restart), which must not crash the process. */
  readonly onIdleError?: (error: Error) => void
}

/** Options of {@link openSqlite}. */
export interface SqliteEngineOptions {
  /** Database file path (`:memory:` for tests). */
  readonly path: string
}

const PG_TYPES: Record<string, string> = { text: 'text', int: 'int4', bigint: 'int8' }

/** Connects to PostgreSQL (pg Pool + Kysely). Fails with StoreConnectionError when unreachable. */
export async function openPostgres(options: PostgresEngineOptions): Promise<Engine> {
  const pg = (await import('pg')).default
  const schema = options.schema ?? 'public'
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new TypeError(`invalid schema name '${schema}'`)
  // int8 and numeric come back as strings by default; every value we store fits a double.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  }
  const pool: Pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    options: `-c search_path=${schema}`,
    types,
  })
  pool.on('error', (error) => options.onIdleError?.(error))
  // A connection lost while a client is checked out but between two statements (Kysely's
  // migration transaction, ours) is an 'error' event on the client: without a listener it
  // would crash the process. The next statement fails and the caller handles that.
  pool.on('connect', (client) => client.on('error', (error) => options.onIdleError?.(error)))
  try {
    await pool.query(`create schema if not exists ${schema}`)
  } catch (error) {
    // Two processes creating the schema at once: one of them gets a unique violation.
    const code = (error as { code?: unknown }).code
    if (code !== '23505' && code !== '42P06') {
      await pool.end()
      throw isTransientError(error) || code === undefined ? new StoreConnectionError('cannot connect to PostgreSQL', { cause: error }) : error
    }
  }
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  const pgText = (text: string): string => {
    let n = 0
    return text.replace(/\?/g, () => `$${String(++n)}`)
  }
  // Bulk inserts send one array literal per column and `unnest` them: one statement per table and
  // batch. The fast path (`safe` false) inserts samples without a conflict clause after looking up
  // which keys of the batch exist (one index range scan per meter, normally empty) and registers
  // without one either; a concurrent writer of the same keys makes it fail with a unique violation,
  // and the transaction then runs again with `on conflict` clauses (`safe` true).
  const bulk = (table: BulkTable, rows: readonly BulkRow[], conflict: string, returning: string): { text: string; values: string[] } => {
    const cols = Object.entries(COLUMNS[table])
    const values = cols.map(([, cls], c) => (cls === 'text' ? textArrayLiteral(rows, c) : intArrayLiteral(rows, c)))
    const unnest = cols.map(([, cls], i) => `$${String(i + 1)}::${PG_TYPES[cls] ?? 'text'}[]`).join(', ')
    return { text: `insert into ${table} (${cols.map(([n]) => n).join(', ')}) select * from unnest(${unnest}) ${conflict}${returning}`, values }
  }
  const keyOf = (meter: unknown, t: unknown): string => `${String(meter)}\u0000${String(t)}`
  const makeTx = (client: PoolClient, safe: boolean): WriteTx => ({
    async insert(table, rows, conflict) {
      if (rows.length === 0) return []
      if (table !== 'samples') {
        await client.query(bulk(table, rows, conflict, ''))
        return rows.map(() => true)
      }
      if (safe) {
        const res = await client.query<{ meter: string; t: number }>(bulk(table, rows, conflict, ' returning meter, t'))
        const inserted = new Set<string>()
        for (const r of res.rows) inserted.add(keyOf(r.meter, r.t))
        return rows.map((r) => inserted.has(keyOf(r[0], r[1])))
      }
      // Time range of the batch per meter, then the keys already stored within those ranges.
      const ranges = new Map<string, [number, number]>()
      for (const r of rows) {
        const m = r[0] as string
        const t = r[1] as number
        const range = ranges.get(m)
        if (range === undefined) ranges.set(m, [t, t])
        else if (t < range[0]) range[0] = t
        else if (t > range[1]) range[1] = t
      }
      const triples = [...ranges].map(([m, [lo, hi]]) => [m, lo, hi])
      const found = await client.query<{ meter: string; t: number }>(
        'select s.meter, s.t from unnest($1::text[], $2::int8[], $3::int8[]) as r(meter, lo, hi) join samples s on s.meter = r.meter and s.t between r.lo and r.hi',
        [textArrayLiteral(triples, 0), intArrayLiteral(triples, 1), intArrayLiteral(triples, 2)],
      )
      if (found.rows.length === 0) {
        await client.query(bulk(table, rows, '', ''))
        return rows.map(() => true)
      }
      const existing = new Set<string>()
      for (const r of found.rows) existing.add(keyOf(r.meter, r.t))
      const out = rows.map((r) => !existing.has(keyOf(r[0], r[1])))
      const fresh = rows.filter((_, i) => out[i])
      if (fresh.length > 0) await client.query(bulk(table, fresh, '', ''))
      return out
    },
    async insertNew(table, rows, conflict) {
      if (rows.length === 0) return
      await client.query(bulk(table, rows, safe ? conflict : '', ''))
    },
    async query<R>(text: string, params: readonly unknown[]) {
      const res = await client.query(pgText(text), [...params])
      return res.rows as R[]
    },
  })
  const attempt = async <T>(fn: (tx: WriteTx) => Promise<T>, safe: boolean): Promise<T> => {
    let client: PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw new StoreConnectionError('cannot connect to PostgreSQL', { cause: error })
    }
    let broken = false
    // A connection lost between two statements is reported as an 'error' event on the client:
    // without a listener it would crash the process; the next statement fails and we roll back.
    const onError = (): void => {
      broken = true
    }
    client.on('error', onError)
    try {
      await client.query('begin')
      const out = await fn(makeTx(client, safe))
      await client.query('commit')
      return out
    } catch (error) {
      try {
        await client.query('rollback')
      } catch (rollbackError) {
        broken = true
        void rollbackError
      }
      throw error
    } finally {
      client.off('error', onError)
      client.release(broken)
    }
  }
  return {
    kind: 'postgres',
    schema,
    db,
    async transaction(fn) {
      try {
        return await attempt(fn, false)
      } catch (error) {
        // A concurrent writer stored some of the same keys: write again, conflict-checked.
        if ((error as { code?: unknown }).code !== '23505') throw error
        return attempt(fn, true)
      }
    },
    async selectRows(text, params) {
      const res = await pool.query<unknown[]>({ text: pgText(text), values: [...params], rowMode: 'array' })
      return res.rows
    },
    least: (a, b) => `least(${a}, ${b})`,
    greatest: (a, b) => `greatest(${a}, ${b})`,
    async sizeBytes() {
      const r = await sql<{ bytes: number }>`select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'm')`.execute(db)
      return r.rows[0]?.bytes ?? 0
    },
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}

/** Opens (creates) a SQLite database file in WAL mode. */
export async function openSqlite(options: SqliteEngineOptions): Promise<Engine> {
  const Database = (await import('better-sqlite3')).default
  let raw: SqliteDb
  try {
    raw = new Database(options.path)
    applySqlitePragmas(raw)
  } catch (error) {
    throw new StoreConnectionError(`cannot open SQLite database '${options.path}'`, { cause: error })
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: raw }) })
  const statements = new Map<string, Statement>()
  const rawStatements = new Map<string, Statement>()
  const prepare = (text: string): Statement => {
    let s = statements.get(text)
    if (s === undefined) {
      s = raw.prepare(text)
      statements.set(text, s)
    }
    return s
  }
  const insertRows = (table: BulkTable, rows: readonly BulkRow[], conflict: string): boolean[] => {
    const cols = Object.keys(COLUMNS[table])
    const s = prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}) ${conflict}`)
    const out = new Array<boolean>(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = s.run(rows[i] as unknown[]).changes > 0
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
    selectRows(text, params) {
      let st = rawStatements.get(text)
      if (st === undefined) {
        st = raw.prepare(text).raw(true)
        rawStatements.set(text, st)
      }
      return Promise.resolve(st.all(...params) as unknown[][])
    },
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
      rawStatements.clear()
      await db.destroy()
    },
  }
}

/** The engine behind a Kysely instance (migrations receive only Kysely). */
export function engineKindOf(db: Kysely<unknown> | Kysely<StoreDatabase>): EngineKind {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres'
}

/** Table options after `create table (…)`: SQLite clusters keyed tables on their primary key. */
export function keyedTableSuffix(kind: EngineKind): string {
  return kind === 'sqlite' ? ' without rowid' : ''
}

/** SQL text of the local calendar date (`YYYY-MM-DD`) of a local-midnight bucket in epoch ms. */
export function localDateOfBucket(kind: EngineKind, expr: string): string {
  // A local midnight in France is 22:00 or 23:00 UTC the day before; noon UTC is safely inside the day.
  return kind === 'sqlite'
    ? `date((${expr} + 43200000) / 1000, 'unixepoch')`
    : `to_char(to_timestamp((${expr} + 43200000) / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`
}

/** SQL text of an epoch-ms expression as a readable timestamp (UTC on SQLite, timestamptz on PostgreSQL). */
export function timestampOf(kind: EngineKind, expr: string): string {
  return kind === 'sqlite' ? `strftime('%Y-%m-%dT%H:%M:%fZ', ${expr} / 1000.0, 'unixepoch')` : `to_timestamp(${expr} / 1000.0)`
}

/** True for errors where retrying later can succeed (connection lost, server down, database busy). */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof StoreConnectionError) return true
    const err = e as { code?: unknown; message?: unknown; cause?: unknown }
    const code = typeof err.code === 'string' ? err.code : ''
    const message = typeof err.message === 'string' ? err.message : ''
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true
    // PostgreSQL: connection exceptions, shutdown, too many connections, cannot connect now.
    if (/^(08...|57P0[1-3]|53300)$/.test(code)) return true
    if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)/.test(code)) return true
    if (/Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)) {
      return true
    }
    e = err.cause
  }
  return false
}
