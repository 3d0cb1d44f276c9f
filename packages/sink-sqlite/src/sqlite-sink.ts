import { createStore, storeSink } from '@linkyrpi/store'
import type { SharedStore, Store, StoreOptions, StoreSinkOptions } from '@linkyrpi/store'
import type { PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { openSqlite } from './sqlite-engine.js'

/** Opens (creates) the store in a SQLite file and migrates it. */
export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<Store> {
  return createStore(await openSqlite({ path }), options)
}

/** Options of {@link sqliteSink}. */
export interface SqliteSinkOptions extends StoreSinkOptions {
  /** The database file (created if missing), e.g. `/var/lib/linkyrpi/linky.db`. */
  readonly path: string
  /** A silence longer than this between two frames of a meter is stored as a `gap` event (ms, default 60000). */
  readonly gapMs?: number
  /**
   * The store of `path`, shared with its readers (the pipeline's `sqlite` stage offers its history
   * to the dashboard): the sink then uses it and leaves closing it to its owner. Without it the
   * sink opens the file on subscribe and closes it on unsubscribe.
   */
  readonly store?: SharedStore
}

/**
 * The embedded storage sink: SQLite through better-sqlite3 in WAL mode (synchronous=NORMAL) and
 * Kysely's SqliteDialect, on the same schema as PostgreSQL. Migrates on subscribe, writes each
 * batch in one transaction with prepared statements, acknowledges each frame in order once
 * committed. When the file cannot be written (disk full, locked), frames go to the spool,
 * by default the directory `<path>.spool` (see docs/storage.md).
 */
export function sqliteSink(options: SqliteSinkOptions, ctx: StageContext): Sink<PipelineFrame> {
  if (options.path.length === 0) throw new TypeError("'path' must name the SQLite database file")
  const { store, gapMs, ...sinkOptions } = options
  const open = store !== undefined ? store.lease : () => openSqliteStore(options.path, gapMs === undefined ? {} : { gapMs })
  return storeSink(open, { ...sinkOptions, spool: { ...options.spool, dir: options.spool?.dir ?? `${options.path}.spool` } }, ctx)
}
