import { z } from 'zod'

/** Options shared by the `postgres` and `sqlite` sinks (see `@linkyrpi/store`, docs/storage.md). */
export const storeSinkOptions = {
  /** Frames per write transaction, at most (default 1000). */
  batchSize: z.number().int().positive().optional(),
  /** A batch is written at the latest this long after its first frame, ms (default 600 000 for `sqlite`, 2000 for `postgres`). */
  flushMs: z.number().int().positive().optional(),
  /** Days of full-resolution rows kept (default 30; 0 keeps everything). */
  retentionDays: z.number().int().nonnegative().optional(),
  /** A silence longer than this between two frames of a meter is stored as a gap, ms (default 60 000). */
  gapMs: z.number().int().positive().optional(),
  /** After the input completes, how long spooled frames are retried before completing, ms (default 30 000). */
  completeTimeoutMs: z.number().int().positive().optional(),
  /** On-disk spool used while the database is unreachable. */
  spool: z
    .strictObject({
      /** Spool directory (default: `<database>.spool` for SQLite, `<dataDir>/spool/<stage>` for PostgreSQL). */
      dir: z.string().min(1).optional(),
      capacityBytes: z.number().int().positive().optional(),
      onFull: z.enum(['drop-newest', 'fail']).optional(),
    })
    .optional(),
}
