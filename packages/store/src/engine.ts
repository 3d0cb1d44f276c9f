/**
 * The engine contract every storage driver implements (the way kysely's core declares `Dialect`
 * and `Driver` and each dialect package implements them), plus the few SQL texts that differ
 * between engines. This package holds no driver: `@linkyrpi/sink-sqlite` implements the contract
 * over better-sqlite3, `@linkyrpi/sink-postgres` over pg. The rest of the package speaks Kysely or
 * the neutral SQL text engines accept (`?` placeholders).
 */
import { SqliteAdapter } from 'kysely'
import type { Kysely } from 'kysely'
import { StoreConnectionError } from './errors.js'
import type { ColumnStatement } from './read-engine.js'
import type { BulkTable, RowOf, StoreDatabase } from './schema.js'

/** The two engines. */
export type EngineKind = 'postgres' | 'sqlite'

/** A row of any bulk table, by column name (see `RowOf`). */
export type BulkRow = Readonly<Record<string, unknown>>

/** Statements inside one write transaction. */
export interface WriteTx {
  /**
   * Inserts rows into `table`, in the order given (writers give them in key order, so that two
   * writers lock shared keys in the same order); `conflict` is the neutral `on conflict …` clause.
   * Returns, for each row, whether it was inserted (false: a conflict left the existing row, or
   * updated it).
   */
  insert<T extends BulkTable>(
    table: T,
    rows: readonly RowOf<T>[],
    conflict: string,
  ): Promise<boolean[]>
  /**
   * Inserts rows whose keys are expected to be new because they derive from samples this
   * transaction has just inserted (registers of a new sample). An engine may skip the conflict
   * check for speed; should a key exist after all, the transaction fails with a unique violation
   * and {@link Engine.transaction} runs it again with `insert` semantics.
   */
  insertNew<T extends BulkTable>(
    table: T,
    rows: readonly RowOf<T>[],
    conflict: string,
  ): Promise<void>
  /**
   * Inserts or updates rows by `conflict` (an `on conflict … do update` clause) when nobody reads
   * the outcome (rollups, events, meters): an engine may send several rows per statement, or send
   * it without waiting for it (its failure then fails the transaction). Rows in key order, as for
   * {@link insert}; a key may appear more than once (the rows apply in order).
   */
  upsert<T extends BulkTable>(table: T, rows: readonly RowOf<T>[], conflict: string): Promise<void>
  /** Runs one statement with `?` placeholders; returns its rows. */
  query<R = Record<string, unknown>>(text: string, params: readonly unknown[]): Promise<R[]>
}

/**
 * A connected engine: Kysely for queries and migrations, a fast path for writes. Implemented by
 * `openSqlite` (`@linkyrpi/sink-sqlite`) and `openPostgres` (`@linkyrpi/sink-postgres`); both pass
 * the same conformance suite (test/integration/store-conformance.int.test.ts).
 */
export interface Engine {
  readonly kind: EngineKind
  /** PostgreSQL schema holding the tables; null on SQLite. */
  readonly schema: string | null
  readonly db: Kysely<StoreDatabase>
  /**
   * Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. `fn` may
   * run more than once: PostgreSQL runs it again after a deadlock or a serialization failure
   * (40P01, 40001), and its fast write path assumes no concurrent writer of the same keys: when
   * one shows up (a unique violation) the transaction is rolled back and `fn` runs again with
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
  /** See `ReadEngine.selectColumns` (`./read-engine.ts`). */
  selectColumns?(statements: readonly ColumnStatement[]): Promise<unknown[][]>
  /** Bytes on disk of the store (tables, indexes, WAL). */
  sizeBytes(): Promise<number>
  /** Closes the connections; idempotent. */
  close(): Promise<void>
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
  return kind === 'sqlite'
    ? `strftime('%Y-%m-%dT%H:%M:%fZ', ${expr} / 1000.0, 'unixepoch')`
    : `to_timestamp(${expr} / 1000.0)`
}

/** True for errors where retrying later can succeed (connection lost, server down, database busy). */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof StoreConnectionError) return true
    const err = e as { code?: unknown; message?: unknown; cause?: unknown }
    const code = typeof err.code === 'string' ? err.code : ''
    const message = typeof err.message === 'string' ? err.message : ''
    if (
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(
        code,
      )
    )
      return true
    // PostgreSQL: connection exceptions, shutdown, too many connections, cannot connect now.
    if (/^(08...|57P0[1-3]|53300)$/.test(code)) return true
    if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)/.test(code)) return true
    if (
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true
    }
    e = err.cause
  }
  return false
}
