import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { engineKindOf } from '../engine.js'

/**
 * PostgreSQL only (docs/storage.md, "Packed minutes"): `register_rows` drops its primary-key
 * index, a third of its bytes, for a BRIN index on `t` (a few pages) that serves retention and
 * time-range queries. The key stays unique without it: a register row is written only for a
 * sample its transaction has just inserted (the unique `sample_rows` key), and retention deletes
 * both in one transaction. SQLite keeps its key (the table is clustered on it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  await sql`alter table register_rows drop constraint register_rows_pk`.execute(db)
  await sql`create index register_rows_t on register_rows using brin (t)`.execute(db)
}

/** The primary key again (the rows are unique, see {@link up}). */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  await sql`drop index register_rows_t`.execute(db)
  await sql`alter table register_rows add constraint register_rows_pk primary key (m, reg, t)`.execute(
    db,
  )
}
