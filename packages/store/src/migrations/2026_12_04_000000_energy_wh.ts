import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { engineKindOf, localDateOfBucket } from '../engine.js'

/**
 * Energy per bucket as a stored sum of index increments (`energy_rollups.energy_wh`), so that an
 * index going down (meter replaced under the same id, register reset, simulator restart, an older
 * history imported) never gives a negative energy: the increment at a drop counts 0 and counting
 * goes on from the new value. Existing rows get the previous formula, negative results as 0.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const kind = engineKindOf(db)
  await db.schema
    .alterTable('energy_rollups')
    .addColumn('energy_wh', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql
    .raw(
      `update energy_rollups set energy_wh = w.e
       from (select meter, res, register, bucket,
                    max_wh - coalesce(lag(max_wh) over (partition by meter, res, register order by bucket), min_wh) as e
             from energy_rollups) w
       where energy_rollups.meter = w.meter and energy_rollups.res = w.res and energy_rollups.register = w.register
         and energy_rollups.bucket = w.bucket and w.e > 0`,
    )
    .execute(db)
  await sql.raw('drop view if exists daily_energy_by_period').execute(db)
  await sql.raw('drop view if exists daily_energy').execute(db)
  await createDailyViews(db, `energy_wh`, kind)
}

/** Back to the first schema version's views and columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const kind = engineKindOf(db)
  await sql.raw('drop view if exists daily_energy_by_period').execute(db)
  await sql.raw('drop view if exists daily_energy').execute(db)
  await db.schema.alterTable('energy_rollups').dropColumn('energy_wh').execute()
  await createDailyViews(
    db,
    'max_wh - coalesce(lag(max_wh) over (partition by meter, register order by bucket), min_wh)',
    kind,
  )
}

/** The `daily_energy` and `daily_energy_by_period` views, `energy` the SQL of a day's energy over `source` (rows of `energy_rollups`' columns). */
export async function createDailyViews(
  db: Kysely<unknown>,
  energy: string,
  kind: ReturnType<typeof engineKindOf>,
  source = "energy_rollups where res = '1d'",
): Promise<void> {
  await sql
    .raw(
      `create view daily_energy as
       select meter, bucket as day_start, ${localDateOfBucket(kind, 'bucket')} as day, register, ${energy} as energy_wh
       from ${source}`,
    )
    .execute(db)
  await sql
    .raw(
      `create view daily_energy_by_period as
       select meter, day_start, day, cast(substr(register, 2) as integer) as supplier_index, energy_wh
       from daily_energy where register like 's%'`,
    )
    .execute(db)
}
