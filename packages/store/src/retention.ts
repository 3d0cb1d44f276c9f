import type { Engine } from './engine.js'

/** Default number of days kept at full resolution (samples and registers). Rollups are kept forever. */
export const DEFAULT_RETENTION_DAYS = 30

/** Rows deleted by {@link applyRetention}. */
export interface RetentionResult {
  readonly samples: number
  readonly registers: number
}

/**
 * Deletes samples and register changes older than `retentionDays` before `now` (epoch ms).
 * Rollups, events, meters and contracts are kept forever. `retentionDays <= 0` keeps everything.
 */
export async function applyRetention(
  engine: Engine,
  now: number,
  retentionDays: number = DEFAULT_RETENTION_DAYS,
): Promise<RetentionResult> {
  if (retentionDays <= 0) return { samples: 0, registers: 0 }
  const cutoff = now - retentionDays * 86_400_000
  // One transaction: a sample deleted without its registers could be imported again and, on
  // PostgreSQL (no unique key on register_rows), write its registers twice.
  return engine.db.transaction().execute(async (trx) => {
    const s = await trx.deleteFrom('sample_rows').where('t', '<', cutoff).executeTakeFirst()
    const r = await trx.deleteFrom('register_rows').where('t', '<', cutoff).executeTakeFirst()
    return { samples: Number(s.numDeletedRows), registers: Number(r.numDeletedRows) }
  })
}
