/**
 * The PostgreSQL engine of the store: pg Pool + Kysely's PostgresDialect, bulk writes as one
 * `unnest` statement per table and batch (array literals built by pg-array-literal.ts).
 */
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { Pool, PoolClient } from 'pg'
import { COLUMNS, StoreConnectionError, isTransientError } from '@linkyrpi/store/core'
import type {
  BulkRow,
  BulkTable,
  Engine,
  RowOf,
  StoreDatabase,
  WriteTx,
} from '@linkyrpi/store/core'
import { intArrayLiteral, intArraysLiteral } from './pg-array-literal.js'
import { numberTypes, pgPlaceholders } from './pg-common.js'
import { binaryIntArray, binaryTextArray } from './pg-binary-array.js'
import type { BinaryIntType } from './pg-binary-array.js'
import { copyStatement } from './pg-copy.js'
import { Statements } from './pg-statements.js'
import type { CopyColumn } from './pg-copy.js'
import { assertSchemaName } from './postgres-url.js'
import { importPg } from './import-pg.js'

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

const PG_TYPES: Record<string, string> = {
  text: 'text',
  smallint: 'int2',
  int: 'int4',
  bigint: 'int8',
}

/** Deadlock detected, serialization failure: the transaction can run again as it is. */
const RETRYABLE = new Set(['40P01', '40001'])

/** Attempts of a transaction ending in {@link RETRYABLE} before its error is thrown. */
export const PG_RETRY_ATTEMPTS = 5

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Connects to PostgreSQL (pg Pool + Kysely). Fails with StoreConnectionError when unreachable. */
export async function openPostgres(options: PostgresEngineOptions): Promise<Engine> {
  const pg = await importPg()
  const schema = options.schema ?? 'public'
  assertSchemaName(schema)
  // int8 and numeric come back as strings by default; every value we store fits a double.
  const types = numberTypes(pg)
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
      throw isTransientError(error) || code === undefined
        ? new StoreConnectionError('cannot connect to PostgreSQL', { cause: error })
        : error
    }
  }
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  const pgText = pgPlaceholders
  // Bulk inserts send one array literal per column and `unnest` them: one statement per table and
  // batch. The fast path (`safe` false) inserts samples without a conflict clause after looking up
  // which keys of the batch exist (one index range scan per meter, normally empty) and registers
  // without one either; a concurrent writer of the same keys makes it fail with a unique violation,
  // and the transaction then runs again with `on conflict` clauses (`safe` true).
  const bulk = (
    table: BulkTable,
    rows: readonly BulkRow[],
    conflict: string,
    returning: string,
  ): { text: string; values: (string | Buffer)[] } => {
    const cols = Object.entries(COLUMNS[table]) as [string, string][]
    const values = cols.map(([name, cls]) =>
      cls === 'text'
        ? binaryTextArray(rows, name)
        : cls.endsWith('[]')
          ? intArraysLiteral(rows, name)
          : binaryIntArray(rows, name, PG_TYPES[cls] as BinaryIntType),
    )
    const unnest = cols
      .map(([, cls], i) => `$${String(i + 1)}::${PG_TYPES[cls] ?? 'text'}[]`)
      .join(', ')
    // Array columns travel as text arrays of array literals (unnest would flatten a 2-D array).
    const hasArrays = cols.some(([, cls]) => cls.endsWith('[]'))
    const select = hasArrays
      ? `select ${cols.map(([n, cls]) => (cls.endsWith('[]') ? `u.${n}::${PG_TYPES[cls.slice(0, -2)]!}[]` : `u.${n}`)).join(', ')} from unnest(${unnest}) as u(${cols.map(([n]) => n).join(', ')})`
      : `select * from unnest(${unnest})`
    return {
      text: `insert into ${table} (${cols.map(([n]) => n).join(', ')}) ${select} ${conflict}${returning}`,
      values,
    }
  }
  // The fast path's inserts without a conflict clause go by binary COPY (see pg-copy.ts).
  const copyColumns = new Map<BulkTable, CopyColumn[]>()
  /** Encodes the COPY of `rows` now; the returned function sends it. */
  const copy = (client: PoolClient, table: BulkTable, rows: readonly BulkRow[]) => {
    let cols = copyColumns.get(table)
    if (cols === undefined) {
      cols = Object.entries(COLUMNS[table]).map(([name, cls]) => ({
        name,
        type: PG_TYPES[cls] as CopyColumn['type'],
      }))
      copyColumns.set(table, cols)
    }
    const statement = copyStatement(table, cols, rows)
    return () => client.query(statement).done
  }
  const keyOf = (meter: unknown, t: unknown): string => `${String(meter)}\u0000${String(t)}`
  /** One `insert … select from unnest` of `rows`, sent without waiting for it. */
  const deferBulk = (
    client: PoolClient,
    statements: Statements,
    table: BulkTable,
    rows: readonly BulkRow[],
    conflict: string,
  ): void => {
    if (rows.length === 0) return
    const q = bulk(table, rows, conflict, '')
    statements.defer(() => client.query(q))
  }
  const makeTx = (client: PoolClient, safe: boolean, statements: Statements): WriteTx => ({
    async insert(table, anyRows, conflict) {
      if (anyRows.length === 0) return []
      if (table !== 'sample_rows') {
        // Not waited for: every row counts as written.
        deferBulk(client, statements, table, anyRows, conflict)
        return anyRows.map(() => true)
      }
      const rows = anyRows as readonly RowOf<'sample_rows'>[]
      if (safe) {
        const q = bulk(table, rows, conflict, ' returning m, t')
        const res = await statements.run(() => client.query<{ m: number; t: number }>(q))
        const inserted = new Set<string>()
        for (const r of res.rows) inserted.add(keyOf(r.m, r.t))
        return rows.map((r) => inserted.has(keyOf(r.m, r.t)))
      }
      // Time range of the batch per meter, then the keys already stored within those ranges.
      const ranges = new Map<number, [number, number]>()
      for (const r of rows) {
        const m = r.m as number
        const t = r.t as number
        const range = ranges.get(m)
        if (range === undefined) ranges.set(m, [t, t])
        else if (t < range[0]) range[0] = t
        else if (t > range[1]) range[1] = t
      }
      const triples = [...ranges].map(([m, [lo, hi]]) => [m, lo, hi])
      const found = await statements.run(() =>
        client.query<{ m: number; t: number }>(
          'select s.m, s.t from unnest($1::int4[], $2::int8[], $3::int8[]) as r(m, lo, hi) join sample_rows s on s.m = r.m and s.t between r.lo and r.hi',
          [intArrayLiteral(triples, 0), intArrayLiteral(triples, 1), intArrayLiteral(triples, 2)],
        ),
      )
      if (found.rows.length === 0) {
        statements.defer(copy(client, table, rows))
        return rows.map(() => true)
      }
      const existing = new Set<string>()
      for (const r of found.rows) existing.add(keyOf(r.m, r.t))
      const out = rows.map((r) => !existing.has(keyOf(r.m, r.t)))
      const fresh = rows.filter((_, i) => out[i])
      if (fresh.length > 0) statements.defer(copy(client, table, fresh))
      return out
    },
    upsert(table, rows, conflict) {
      // As `insert` does for every table but samples: one statement, not waited for.
      deferBulk(client, statements, table, rows, conflict)
      return Promise.resolve()
    },
    insertNew(table, rows, conflict) {
      if (rows.length === 0) return Promise.resolve()
      if (safe || Object.values(COLUMNS[table]).some((cls) => cls.endsWith('[]'))) {
        const q = bulk(table, rows, safe ? conflict : '', '')
        statements.defer(() => client.query(q))
      } else statements.defer(copy(client, table, rows))
      return Promise.resolve()
    },
    async query<R>(text: string, params: readonly unknown[]) {
      const res = await statements.run(() => client.query(pgText(text), [...params]))
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
    const statements = new Statements()
    try {
      await client.query('begin')
      const out = await fn(makeTx(client, safe, statements))
      await statements.settle()
      await client.query('commit')
      return out
    } catch (thrown) {
      const error = await statements.cause(thrown)
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
      let safe = false
      for (let n = 1; ; n++) {
        try {
          return await attempt(fn, safe)
        } catch (error) {
          const code = (error as { code?: unknown }).code
          // A concurrent writer stored some of the same keys: write again, conflict-checked.
          if (code === '23505' && !safe) safe = true
          // A deadlock or serialization failure rolled it back: run it again after a short, random pause.
          else if (typeof code === 'string' && RETRYABLE.has(code) && n < PG_RETRY_ATTEMPTS)
            await sleep(Math.random() * 20 * n)
          else throw error
        }
      }
    },
    async selectRows(text, params) {
      const res = await pool.query<unknown[]>({
        text: pgText(text),
        values: [...params],
        rowMode: 'array',
      })
      return res.rows
    },
    least: (a, b) => `least(${a}, ${b})`,
    greatest: (a, b) => `greatest(${a}, ${b})`,
    async sizeBytes() {
      const r = await sql<{
        bytes: number
      }>`select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
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
