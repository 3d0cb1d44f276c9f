import type { EngineKind } from './engine.js'

/** A statement of {@link ReadEngine.selectColumns}: SQL text (`?` placeholders) and its parameters. */
export interface ColumnStatement {
  readonly text: string
  readonly params: readonly unknown[]
}

/**
 * The read-only part of an engine, with no Kysely: what the query API ({@link createHistoryStore})
 * and the store checks of `@linkyrpi/store/reader` need. Every {@link Engine} is one; the light
 * readers of `@linkyrpi/sink-sqlite/reader` and `@linkyrpi/sink-postgres/reader` are only this,
 * so that `linkyrpi report` does not load Kysely (about 0.26 s of CPU).
 */
export interface ReadEngine {
  readonly kind: EngineKind
  /** PostgreSQL schema holding the tables; null on SQLite. */
  readonly schema: string | null
  /** Runs a read-only statement (`?` placeholders) and returns its rows as arrays. */
  selectRows(text: string, params: readonly unknown[]): Promise<unknown[][]>
  /**
   * Runs read-only statements in one snapshot and returns the first column of each (one value
   * per row, no array per row: a month of one-minute rollups as two columns costs about half as
   * much as its rows). Optional: SQLite's engines have it.
   */
  selectColumns?(statements: readonly ColumnStatement[]): Promise<unknown[][]>
  /** Closes the connections; idempotent. */
  close(): Promise<void>
}
