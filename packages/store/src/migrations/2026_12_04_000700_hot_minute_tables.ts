import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { engineKindOf } from '../engine.js'
import { ENERGY_MINUTE_COLUMNS, POWER_MINUTE_COLUMNS } from '../packed-minutes.js'
import { createViews, derivedViews } from './2026_12_04_000600_derived_rollups.js'

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

const POWER = Object.keys(POWER_MINUTE_COLUMNS).join(', ')
const ENERGY = Object.keys(ENERGY_MINUTE_COLUMNS).join(', ')

/**
 * Hot-minute tables (docs/storage.md, "Packed minutes"), PostgreSQL only: the 1-minute rows
 * waiting for their hourly fold move from `power_rows`/`energy_rows` (`res` 1) to tables of their
 * own, `power_hot_rows` and `energy_hot_rows` (the same columns without `res`). A fold deletes an
 * hour of rows; PostgreSQL keeps a deleted row on disk while any transaction of the server may
 * still see it (`vacuum full` too), so in the rollup tables every folded minute was bytes that a
 * year of hourly and daily rows carried (the benchmark gave 356 or 584 MB per meter-year depending
 * on the other sessions). The hot tables hold about two hours of rows per meter and autovacuum
 * reuses their space; the rollup tables are only ever inserted into and updated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  // Column order as power_rows/energy_rows: 8-byte columns are not padded.
  await exec(
    db,
    `create table power_hot_rows (m integer not null, n integer not null, bucket bigint not null, va_n integer not null,
       vap_n integer not null, inj_n integer not null, u_n integer not null, va_min integer, va_max integer, va_sum bigint,
       va1_sum bigint, va2_sum bigint, va3_sum bigint, inj_sum bigint, u1_sum bigint, u2_sum bigint, u3_sum bigint,
       u_min smallint, u_max smallint, constraint power_hot_rows_pk primary key (m, bucket))`,
  )
  await exec(
    db,
    `create table energy_hot_rows (m integer not null, reg smallint not null, bucket bigint not null,
       min_wh bigint not null, max_wh bigint not null, energy_wh bigint not null,
       constraint energy_hot_rows_pk primary key (m, reg, bucket))`,
  )
  await exec(
    db,
    `insert into power_hot_rows (m, bucket, ${POWER}) select m, bucket, ${POWER} from power_rows where res = 1`,
  )
  await exec(
    db,
    `insert into energy_hot_rows (m, reg, bucket, ${ENERGY}) select m, reg, bucket, ${ENERGY} from energy_rows where res = 1`,
  )
  await exec(db, 'delete from power_rows where res = 1')
  await exec(db, 'delete from energy_rows where res = 1')
  await createViews(db, derivedViews('hot'))
}

/** Puts the hot rows back into `power_rows`/`energy_rows` (`res` 1) with the views of 000600. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  await exec(
    db,
    `insert into power_rows (m, res, bucket, ${POWER}) select m, 1, bucket, ${POWER} from power_hot_rows`,
  )
  await exec(
    db,
    `insert into energy_rows (m, res, reg, bucket, ${ENERGY}) select m, 1, reg, bucket, ${ENERGY} from energy_hot_rows`,
  )
  await createViews(db, derivedViews('rollup-rows'))
  await exec(db, 'drop table power_hot_rows')
  await exec(db, 'drop table energy_hot_rows')
}
