import type { Database as SqliteDb } from 'better-sqlite3'

/**
 * Upper bound of the WAL file kept on disk after a checkpoint (bytes, 4 MiB). SQLite reuses the
 * WAL from its start after each checkpoint; this only truncates a WAL that grew larger (a long
 * reader holding a snapshot), so the file does not stay big.
 */
export const SQLITE_JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024

/**
 * Connection settings of every store file, chosen for an SD card:
 *
 * - `journal_mode = WAL`: a commit appends the changed pages to the `-wal` file; the database
 *   file is written only at checkpoints (every 1000 WAL pages, SQLite's default), once per page
 *   however many commits changed it in between. The dashboard reads while the sink writes.
 * - `synchronous = FULL`: the WAL is fsynced at every commit, so a **power cut** loses no
 *   committed transaction (with `NORMAL` it could roll back every commit since the last
 *   checkpoint, hours at the embedded flush interval). Its cost is one fsync per commit, which
 *   the embedded sink makes every few minutes; it writes no extra byte.
 * - `journal_size_limit`: see {@link SQLITE_JOURNAL_SIZE_LIMIT}.
 * - `busy_timeout = 5000`: a second process (`linkyrpi db migrate`) waits for a lock instead of
 *   failing.
 */
export function applySqlitePragmas(raw: SqliteDb): void {
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  raw.pragma(`journal_size_limit = ${String(SQLITE_JOURNAL_SIZE_LIMIT)}`)
  raw.pragma('busy_timeout = 5000')
}
