import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { engineKindOf } from '../engine.js'
import { VIEW_SELECTS } from './2026_12_04_000200_compact_storage.js'
import {
  blockRegisterRowsSql,
  blockSampleRowsSql,
  REGISTER_NAMES,
  SAMPLE_NAMES,
  fromSource,
} from './2026_12_05_000200_sample_blocks.js'

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

/** Milliseconds in an hour: `sample_blocks.hour` is `t - t % HOUR`. */
const HOUR = 3_600_000

/** The meter number of the function's first argument. */
const METER_NUM = '(select num from meter_nums where id = p_meter)'

/**
 * The rows of `table` (`sample_rows` or `register_rows`, columns `names`) and of the blocks
 * (`blocks`: their unpacked rows) of meter `p_meter` with `t` in [`p_from`, `p_to`): only the
 * blocks of the hours that range touches are unpacked, found on the key of `sample_blocks`.
 */
function between(table: string, names: string, blocks: string): string {
  return `select ${names} from ${table} where m = ${METER_NUM} and t >= p_from and t < p_to
     union all select ${names} from (${blocks} and b.m = ${METER_NUM}
       and b.hour >= p_from - p_from % ${String(HOUR)} and b.hour < p_to) x
     where x.t >= p_from and x.t < p_to`
}

/**
 * PostgreSQL functions `samples_between(meter, from, to)` and `registers_between(meter, from, to)`
 * (epoch ms, `to` excluded): the rows of the `samples` and `registers` views of one meter and time
 * range, with the views' columns and types (they return `setof samples` / `setof registers`).
 * The views unpack every block of the meter to filter on `t`, which lives inside the JSON (30 days
 * imported: an hour of the `samples` view took 1.4 s); the functions unpack only the blocks of the
 * hours the range touches. SQLite has no stored functions: nothing to do there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) !== 'postgres') return
  const fns = [
    [
      'samples_between',
      'samples',
      fromSource(
        VIEW_SELECTS.samples,
        'sample_rows',
        's',
        between('sample_rows', SAMPLE_NAMES, blockSampleRowsSql('postgres')),
      ),
    ],
    [
      'registers_between',
      'registers',
      fromSource(
        VIEW_SELECTS.registers,
        'register_rows',
        'r',
        between('register_rows', REGISTER_NAMES, blockRegisterRowsSql('postgres')),
      ),
    ],
  ] as const
  for (const [name, view, select] of fns)
    await exec(
      db,
      `create function ${name}(p_meter text, p_from bigint, p_to bigint) returns setof ${view}
         language sql stable as $fn$ ${select} $fn$`,
    )
}

/** Drops the two functions. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) !== 'postgres') return
  await exec(db, 'drop function samples_between(text, bigint, bigint)')
  await exec(db, 'drop function registers_between(text, bigint, bigint)')
}
