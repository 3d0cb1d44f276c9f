import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { registerNameSql, resNameSql } from '../codes.js'
import { engineKindOf } from '../engine.js'
import {
  DROP_PACKED_FUNCTIONS_SQL,
  ENERGY_MINUTE_COLUMNS,
  PACKED_FUNCTIONS_SQL,
  POWER_MINUTE_COLUMNS,
  energyMinuteRowsSql,
  foldEnergyMinutesSql,
  foldPowerMinutesSql,
  powerMinuteRowsSql,
} from '../packed-minutes.js'
import { VIEW_SELECTS } from './2026_12_04_000200_compact_storage.js'

const POWER = Object.keys(POWER_MINUTE_COLUMNS)
const ENERGY = Object.keys(ENERGY_MINUTE_COLUMNS)

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

/** The `power_rollups` view over `power_rows` (1 hour, 1 day) and `power_minutes` (1 minute). */
export const POWER_VIEW = `select k.id as meter, ${resNameSql('p.res')} as res, p.bucket, ${POWER.filter(
  (c) => c !== 'u_min' && c !== 'u_max',
)
  .map((c) => `p.${c}`)
  .join(', ')}, cast(p.u_min as integer) as u_min, cast(p.u_max as integer) as u_max
  from (select m, res, bucket, ${POWER.join(', ')} from power_rows
        union all ${powerMinuteRowsSql('from power_minutes p')}) p
  join meter_nums k on k.num = p.m`

/** The `energy_rollups` view over `energy_rows` (1 hour, 1 day) and `energy_minutes` (1 minute). */
export const ENERGY_VIEW = `select k.id as meter, ${resNameSql('e.res')} as res, ${registerNameSql('e.reg')} as register, e.bucket, e.min_wh, e.max_wh, e.energy_wh
  from (select m, res, reg, bucket, ${ENERGY.join(', ')} from energy_rows
        union all ${energyMinuteRowsSql('from energy_minutes e')}) e
  join meter_nums k on k.num = e.m`

/**
 * Packed minutes (docs/storage.md, "Packed minutes"), PostgreSQL only: the 1-minute power and
 * energy rollups of each UTC hour move from one row per minute (`power_rows`, `energy_rows` with
 * `res` 1) to one row of 60-element arrays (`power_minutes`, `energy_minutes`), which PostgreSQL's
 * per-row overhead made worth it; `power_rollups` and `energy_rollups` answer the same rows.
 * SQLite keeps one row per minute (its rows cost a few bytes each): nothing changes there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  for (const f of PACKED_FUNCTIONS_SQL) await exec(db, f)
  await exec(
    db,
    `create table power_minutes (hour bigint not null, m integer not null,
       ${POWER.map((c) => `${c} ${c === 'u_min' || c === 'u_max' ? 'smallint' : c.endsWith('_sum') ? 'bigint' : 'integer'}[]${c === 'n' ? ' not null' : ''}`).join(', ')},
       constraint power_minutes_pk primary key (m, hour))`,
  )
  await exec(
    db,
    `create table energy_minutes (hour bigint not null, m integer not null, reg smallint not null,
       ${ENERGY.map((c) => `${c} bigint[] not null`).join(', ')},
       constraint energy_minutes_pk primary key (m, reg, hour))`,
  )
  await exec(db, foldPowerMinutesSql('copy'))
  await exec(db, foldEnergyMinutesSql('copy'))
  await exec(db, 'delete from power_rows where res = 1')
  await exec(db, 'delete from energy_rows where res = 1')
  await exec(db, 'drop view power_rollups')
  await exec(db, `create view power_rollups as ${POWER_VIEW}`)
  await exec(db, 'drop view energy_rollups')
  await exec(db, `create view energy_rollups as ${ENERGY_VIEW}`)
}

/** Back to one row per minute, with the same rows. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  await exec(db, 'drop view power_rollups')
  await exec(db, 'drop view energy_rollups')
  await exec(
    db,
    `insert into power_rows (m, res, bucket, ${POWER.join(', ')}) ${powerMinuteRowsSql('from power_minutes p')}`,
  )
  await exec(
    db,
    `insert into energy_rows (m, res, reg, bucket, ${ENERGY.join(', ')}) ${energyMinuteRowsSql('from energy_minutes e')}`,
  )
  await exec(db, 'drop table power_minutes')
  await exec(db, 'drop table energy_minutes')
  for (const f of DROP_PACKED_FUNCTIONS_SQL) await exec(db, f)
  await exec(db, `create view power_rollups as ${VIEW_SELECTS.power_rollups}`)
  await exec(db, `create view energy_rollups as ${VIEW_SELECTS.energy_rollups}`)
}
