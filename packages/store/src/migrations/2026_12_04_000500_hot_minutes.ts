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
  powerMinuteRowsSql,
} from '../packed-minutes.js'
import { ENERGY_VIEW, POWER_VIEW } from './2026_12_04_000300_packed_minutes.js'

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

/** SQL aggregate merging `p.<col>` over the rows of one bucket, keeping the column's type. */
function merged(col: string, how: keyof typeof MERGE_AGGREGATE, type: string): string {
  return `cast(${MERGE_AGGREGATE[how]}(p.${col}) as ${type}) as ${col}`
}

const powerType = (c: string): string =>
  c.endsWith('_sum') ? 'bigint' : 'integer' /* counts, VA extremes; u_min/u_max shown as integer */

const POWER = Object.entries(POWER_MINUTE_COLUMNS)
const ENERGY = Object.entries(ENERGY_MINUTE_COLUMNS)

/** `power_rollups`: a minute can be both in `power_minutes` and, written late, in `power_rows`. */
export const POWER_VIEW_MERGED = `select k.id as meter, ${resNameSql('p.res')} as res, p.bucket, ${POWER.map(([c, how]) => merged(c, how, powerType(c))).join(', ')}
  from (select m, res, bucket, ${POWER.map(([c]) => c).join(', ')} from power_rows
        union all ${powerMinuteRowsSql('from power_minutes p')}) p
  join meter_nums k on k.num = p.m
  group by k.id, p.res, p.bucket`

/** `energy_rollups`, merged per (meter, res, register, bucket) like {@link POWER_VIEW_MERGED}. */
export const ENERGY_VIEW_MERGED = `select k.id as meter, ${resNameSql('p.res')} as res, ${registerNameSql('p.reg')} as register, p.bucket, ${ENERGY.map(([c, how]) => merged(c, how, 'bigint')).join(', ')}
  from (select m, res, reg, bucket, ${ENERGY.map(([c]) => c).join(', ')} from energy_rows
        union all ${energyMinuteRowsSql('from energy_minutes e')}) p
  join meter_nums k on k.num = p.m
  group by k.id, p.res, p.reg, p.bucket`

/**
 * Hot minutes (docs/storage.md, "Packed minutes"), PostgreSQL only: ingest writes 1-minute rollups
 * as rows of `power_rows`/`energy_rows` and folds an hour into its packed row once its data is an
 * hour past it, instead of merging arrays at every batch (which doubled PostgreSQL's CPU per
 * frame). A frame written late can put a minute in both places for a while: the views merge them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  await exec(db, 'drop view power_rollups')
  await exec(db, `create view power_rollups as ${POWER_VIEW_MERGED}`)
  await exec(db, 'drop view energy_rollups')
  await exec(db, `create view energy_rollups as ${ENERGY_VIEW_MERGED}`)
}

/** Folds every hot minute into its packed row, then restores the views of 2026_12_04_000300. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineKindOf(db) === 'sqlite') return
  // Every hot minute: the buckets before the largest bigint.
  await exec(db, foldPowerMinutesSql('move', '9223372036854775807'))
  await exec(db, foldEnergyMinutesSql('move', '9223372036854775807'))
  await exec(db, 'drop view power_rollups')
  await exec(db, `create view power_rollups as ${POWER_VIEW}`)
  await exec(db, 'drop view energy_rollups')
  await exec(db, `create view energy_rollups as ${ENERGY_VIEW}`)
}
