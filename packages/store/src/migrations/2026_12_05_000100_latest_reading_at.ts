import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * `meters.last_reading` is written in full at most once a minute of data time per meter (docs/
 * storage.md, "Meters"): on a server storing thousands of meters, a batch holds about one frame per
 * meter, and rewriting each meter's 1.7 kB JSON in every batch was the largest write (28 µs of the
 * writer's 73 µs per frame). Two columns keep what a restart needs exact:
 * - `last_reading_at`: the time of `last_reading` (epoch ms); null for a row written before this
 *   migration, whose reading is the one at `last_seen`;
 * - `last_registers`: JSON `[register, Wh, …]` of the energy registers at `last_seen`, from which
 *   counting resumes; null: take them from `last_reading`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table meters add column last_reading_at bigint`.execute(db)
  await sql`alter table meters add column last_registers text`.execute(db)
}

/**
 * Drops the two columns. The code before this migration takes `last_reading` as the reading at
 * `last_seen`, so `last_seen` goes back to the reading's time: at most a minute of frames is then
 * counted again by the energy rollups at the next start, instead of being counted from stale indexes.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update meters set last_seen = last_reading_at where last_reading_at is not null`.execute(
    db,
  )
  await sql`alter table meters drop column last_registers`.execute(db)
  await sql`alter table meters drop column last_reading_at`.execute(db)
}
