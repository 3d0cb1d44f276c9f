import { sql } from 'kysely'
import type { Engine } from './engine.js'

/** Default number of days kept at full resolution (samples and registers). Rollups are kept forever. */
export const DEFAULT_RETENTION_DAYS = 30

const HOUR = 3_600_000

/** What {@link applyRetention} deleted. */
export interface RetentionResult {
  /** Samples deleted: rows of `sample_rows` and samples of the deleted blocks. */
  readonly samples: number
  /** Register changes deleted: rows of `register_rows` and changes of the deleted blocks. */
  readonly registers: number
  /** Rows of `sample_blocks` deleted, blocks and markers (absent: none, or a store without blocks). */
  readonly blocks?: number
}

/**
 * Deletes samples and register changes older than `retentionDays` before `now` (epoch ms):
 * the rows of `sample_rows` and `register_rows` before the cutoff, and the rows of
 * `sample_blocks` (blocks and markers, docs/storage.md "Sample blocks") whose whole hour is before
 * it; a block is never cut, so up to an hour of samples more than the rows is kept in block mode.
 * Rollups, events, meters and contracts are kept forever. `retentionDays <= 0` keeps everything.
 */
export async function applyRetention(
  engine: Engine,
  now: number,
  retentionDays: number = DEFAULT_RETENTION_DAYS,
): Promise<RetentionResult> {
  if (retentionDays <= 0) return { samples: 0, registers: 0, blocks: 0 }
  const cutoff = now - retentionDays * 86_400_000
  const changes =
    engine.kind === 'sqlite'
      ? sql<number | null>`json_array_length(registers)`
      : sql<number | null>`json_array_length(registers::json)`
  // One transaction: a sample deleted without its registers could be imported again and, on
  // PostgreSQL (no unique key on register_rows), write its registers twice; a marker is deleted
  // with the last rows of its hour.
  return engine.db.transaction().execute(async (trx) => {
    const s = await trx.deleteFrom('sample_rows').where('t', '<', cutoff).executeTakeFirst()
    const r = await trx.deleteFrom('register_rows').where('t', '<', cutoff).executeTakeFirst()
    // hour + HOUR <= cutoff: the whole hour is before the cutoff.
    const b = await trx
      .deleteFrom('sample_blocks')
      .where('hour', '<=', cutoff - HOUR)
      .returning(['n', changes.as('changes')])
      .execute()
    let samples = Number(s.numDeletedRows)
    let registers = Number(r.numDeletedRows)
    for (const row of b) {
      samples += Number(row.n)
      registers += Number(row.changes ?? 0)
    }
    return { samples, registers, blocks: b.length }
  })
}
