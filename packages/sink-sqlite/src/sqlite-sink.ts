import { storeSink } from '@linkyrpi/store'
import type { SharedStore, StoreSinkOptions } from '@linkyrpi/store'
import type { PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { openSqliteStore } from './open-sqlite-store.js'

/**
 * Default flush interval of the SQLite sink (ms, 10 minutes): a batch is committed at the latest
 * this long after its first frame. Every commit rewrites the last pages of the samples, registers
 * and rollup tables (~80 KB) whatever it carries, so on an SD card the number of commits, not the
 * data, makes most of the bytes written: one commit every 2 s wrote 1.2-1.6 GB a day for ~13 MB
 * of data, one every 5 minutes ~55 MB, one every 10 minutes ~40 MB (`pnpm bench sd-writes`,
 * docs/storage.md). The price is the loss bound of a crash or power cut (at most the frames of
 * the last interval) and history queries that see the last frames only after the next commit;
 * the dashboard's live view and today's energy do not wait for the store.
 */
export const SQLITE_FLUSH_MS = 600_000

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
 * The embedded storage sink: SQLite through better-sqlite3 in WAL mode (synchronous=FULL) and
 * Kysely's SqliteDialect, on the same schema as PostgreSQL. Migrates on subscribe, writes each
 * batch (at the latest {@link SQLITE_FLUSH_MS} after its first frame by default) in one
 * transaction with prepared statements, acknowledges each frame in order once committed. Records
 * a `restart` event when it resumes after earlier frames of the meter. When the file cannot be written (disk full, locked), frames go to the spool,
 * by default the directory `<path>.spool` (see docs/storage.md).
 */
export function sqliteSink(options: SqliteSinkOptions, ctx: StageContext): Sink<PipelineFrame> {
  if (options.path.length === 0) throw new TypeError("'path' must name the SQLite database file")
  const { store, gapMs, ...sinkOptions } = options
  const open =
    store !== undefined
      ? store.lease
      : () =>
          openSqliteStore(options.path, {
            restartEvents: true,
            ...(gapMs === undefined ? {} : { gapMs }),
          })
  return storeSink(
    open,
    {
      ...sinkOptions,
      flushMs: options.flushMs ?? SQLITE_FLUSH_MS,
      spool: { ...options.spool, dir: options.spool?.dir ?? `${options.path}.spool` },
    },
    ctx,
  )
}
