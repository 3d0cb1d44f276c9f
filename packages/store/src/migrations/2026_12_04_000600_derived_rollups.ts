import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { registerNameSql, resNameSql } from '../codes.js'
import { engineKindOf } from '../engine.js'
import {
  ENERGY_MINUTE_COLUMNS,
  MERGE_AGGREGATE,
  POWER_MINUTE_COLUMNS,
  energyMinuteRowsSql,
  foldEnergyMinutesSql,
  foldPowerMinutesSql,
  hotEnergyRollupsSql,
  hotPowerRollupsSql,
  hourSql,
  parisDaySql,
  powerMinuteRowsSql,
  rollupConflicts,
} from '../packed-minutes.js'
import { createFrameViews } from './2026_11_28_000000_initial.js'
import { createDailyViews } from './2026_12_04_000000_energy_wh.js'
import { createCostViews } from './2026_12_04_000100_monthly_cost.js'
import {
  COMPACT_DAILY_SOURCE,
  COMPACT_HOURLY_SOURCE,
  FRAME_DEPENDENT_VIEWS,
} from './2026_12_04_000200_compact_storage.js'
import { ENERGY_VIEW_MERGED, POWER_VIEW_MERGED } from './2026_12_04_000500_hot_minutes.js'

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

/** Every hot minute: the buckets before the largest bigint. */
const ALL = '9223372036854775807'

const powerType = (c: string): string => (c.endsWith('_sum') ? 'bigint' : 'integer')
const POWER = Object.entries(POWER_MINUTE_COLUMNS)
const ENERGY = Object.entries(ENERGY_MINUTE_COLUMNS)
const mergedAs = (col: string, how: keyof typeof MERGE_AGGREGATE, type: string): string =>
  `cast(${MERGE_AGGREGATE[how]}(p.${col}) as ${type}) as ${col}`

/** `power_rollups`: stored rows, packed minutes, and the hot minutes as 1-hour and 1-day rows. */
const POWER_VIEW = `select k.id as meter, ${resNameSql('p.res')} as res, p.bucket, ${POWER.map(([c, how]) => mergedAs(c, how, powerType(c))).join(', ')}
  from (select m, res, bucket, ${POWER.map(([c]) => c).join(', ')} from power_rows
        union all ${powerMinuteRowsSql('from power_minutes p')}
        union all ${hotPowerRollupsSql()}) p
  join meter_nums k on k.num = p.m
  group by k.id, p.res, p.bucket`

/** `energy_rollups`, like {@link POWER_VIEW}. */
const ENERGY_VIEW = `select k.id as meter, ${resNameSql('p.res')} as res, ${registerNameSql('p.reg')} as register, p.bucket, ${ENERGY.map(([c, how]) => mergedAs(c, how, 'bigint')).join(', ')}
  from (select m, res, reg, bucket, ${ENERGY.map(([c]) => c).join(', ')} from energy_rows
        union all ${energyMinuteRowsSql('from energy_minutes e')}
        union all ${hotEnergyRollupsSql()}) p
  join meter_nums k on k.num = p.m
  group by k.id, p.res, p.reg, p.bucket`

/** `daily_energy`'s rows: the stored 1-day rows and the hot minutes by local day. */
const DAILY_SOURCE = `(select k.id as meter, p.bucket, ${registerNameSql('p.reg')} as register, cast(sum(p.energy_wh) as bigint) as energy_wh
  from (select m, reg, bucket, energy_wh from energy_rows where res = 1440
        union all select m, reg, ${parisDaySql('bucket')} as bucket, energy_wh from energy_rows where res = 1) p
  join meter_nums k on k.num = p.m
  group by k.id, p.reg, p.bucket) d`

/** `hourly_power`'s rows: the stored 1-hour rows and the hot minutes by hour. */
const HOURLY_SOURCE = `(select k.id as meter, p.bucket, ${POWER.map(([c, how]) => mergedAs(c, how, powerType(c))).join(', ')}
  from (select m, bucket, ${POWER.map(([c]) => c).join(', ')} from power_rows where res = 60
        union all select m, ${hourSql('bucket')} as bucket, ${POWER.map(([c]) => c).join(', ')} from power_rows where res = 1) p
  join meter_nums k on k.num = p.m
  group by k.id, p.bucket) h`

async function createViews(
  db: Kysely<unknown>,
  views: { power: string; energy: string; daily: string; hourly: string },
): Promise<void> {
  for (const v of FRAME_DEPENDENT_VIEWS) await exec(db, `drop view if exists ${v}`)
  await exec(db, 'drop view power_rollups')
  await exec(db, `create view power_rollups as ${views.power}`)
  await exec(db, 'drop view energy_rollups')
  await exec(db, `create view energy_rollups as ${views.energy}`)
  await createDailyViews(db, 'energy_wh', 'postgres', views.daily)
  await createFrameViews(db, views.hourly)
  await createCostViews(db)
}

/**
 * Derived rollups (docs/storage.md, "Packed minutes"), PostgreSQL only: ingest writes only the
 * 1-minute rollups, and the hourly fold adds the minutes it moves to their 1-hour and 1-day rows
 * (three upserted rows per frame and changed register were most of PostgreSQL's work per frame
 * with thousands of meters). The views and the history API add the minutes not folded yet. The
 * hot minutes of the previous design are already in their hours and days: they are folded first,
 * without adding them again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  await exec(db, foldPowerMinutesSql('move', ALL))
  await exec(db, foldEnergyMinutesSql('move', ALL))
  await createViews(db, {
    power: POWER_VIEW,
    energy: ENERGY_VIEW,
    daily: DAILY_SOURCE,
    hourly: HOURLY_SOURCE,
  })
}

/** Folds every hot minute into its packed row and its hour and day, then restores the views of 2026_12_04_000500. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  const conflicts = rollupConflicts(
    (a, b) => `least(${a}, ${b})`,
    (a, b) => `greatest(${a}, ${b})`,
  )
  await exec(db, foldPowerMinutesSql('move', ALL, conflicts.power))
  await exec(db, foldEnergyMinutesSql('move', ALL, conflicts.energy))
  await createViews(db, {
    power: POWER_VIEW_MERGED,
    energy: ENERGY_VIEW_MERGED,
    daily: COMPACT_DAILY_SOURCE,
    hourly: COMPACT_HOURLY_SOURCE,
  })
}
