import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import {
  periodCodeSql,
  periodNumSql,
  registerNameSql,
  registerNumSql,
  resNameSql,
  resNumSql,
} from '../codes.js'
import { engineKindOf, keyedTableSuffix } from '../engine.js'
import { createFrameTables, createFrameViews } from './2026_11_28_000000_initial.js'
import { createDailyViews } from './2026_12_04_000000_energy_wh.js'
import { createCostViews } from './2026_12_04_000100_monthly_cost.js'

/** Views that read the frame tables: dropped and created again around the change. */
const DEPENDENT_VIEWS = [
  'monthly_cost',
  'daily_cost',
  'daily_energy_by_period',
  'daily_energy',
  'latest_reading',
  'power_curve',
  'hourly_power',
]

const FRAME_TABLES = ['samples', 'registers', 'power_rollups', 'energy_rollups'] as const

const POWER_COLUMNS = [
  'n',
  'va_n',
  'va_sum',
  'va_min',
  'va_max',
  'vap_n',
  'va1_sum',
  'va2_sum',
  'va3_sum',
  'inj_n',
  'inj_sum',
  'u_n',
  'u1_sum',
  'u2_sum',
  'u3_sum',
]

/**
 * The rows of each former table, with its columns and their meaning, read from the compact
 * tables: the views users query, and the way back ({@link down}).
 */
export const VIEW_SELECTS: Readonly<Record<(typeof FRAME_TABLES)[number], string>> = {
  samples: `select k.id as meter, s.t, s.t + s.rx as received_at, case when (s.flags & 1) <> 0 then s.t - s.t % 1000 end as clock_ms,
       s.va, s.va1, s.va2, s.va3, s.injected_va, ${['i1', 'i2', 'i3', 'u1', 'u2', 'u3', 'period_index'].map((c) => `cast(s.${c} as integer) as ${c}`).join(', ')},
       ${periodCodeSql('s.period_code')} as period_code, s.import_wh, s.export_wh, (s.flags & 2) / 2 as short
     from sample_rows s join meter_nums k on k.num = s.m`,
  registers: `select k.id as meter, ${registerNameSql('r.reg')} as register, r.t, r.value from register_rows r join meter_nums k on k.num = r.m`,
  power_rollups: `select k.id as meter, ${resNameSql('p.res')} as res, p.bucket, ${POWER_COLUMNS.map((c) => `p.${c}`).join(', ')},
       cast(p.u_min as integer) as u_min, cast(p.u_max as integer) as u_max
     from power_rows p join meter_nums k on k.num = p.m`,
  energy_rollups: `select k.id as meter, ${resNameSql('e.res')} as res, ${registerNameSql('e.reg')} as register, e.bucket, e.min_wh, e.max_wh, e.energy_wh
     from energy_rows e join meter_nums k on k.num = e.m`,
}

/** The rows of `daily_energy` over the compact tables (the 1-day rows of `energy_rows`). */
export const COMPACT_DAILY_SOURCE = `(select k.id as meter, e.bucket, ${registerNameSql('e.reg')} as register, e.energy_wh from energy_rows e join meter_nums k on k.num = e.m where e.res = 1440) d`

/** The rows of `hourly_power` over the compact tables (the 1-hour rows of `power_rows`). */
export const COMPACT_HOURLY_SOURCE = `(select k.id as meter, p.bucket, ${POWER_COLUMNS.map((c) => `p.${c}`).join(', ')}, p.u_min, p.u_max from power_rows p join meter_nums k on k.num = p.m where p.res = 60) h`

/** The view names that read the frame tables (see DEPENDENT_VIEWS), for later migrations. */
export const FRAME_DEPENDENT_VIEWS: readonly string[] = DEPENDENT_VIEWS

/** The column names of {@link VIEW_SELECTS}, in their order. */
const VIEW_COLUMNS: Readonly<Record<(typeof FRAME_TABLES)[number], readonly string[]>> = {
  samples: [
    'meter',
    't',
    'received_at',
    'clock_ms',
    'va',
    'va1',
    'va2',
    'va3',
    'injected_va',
    'i1',
    'i2',
    'i3',
    'u1',
    'u2',
    'u3',
    'period_index',
    'period_code',
    'import_wh',
    'export_wh',
    'short',
  ],
  registers: ['meter', 'register', 't', 'value'],
  power_rollups: ['meter', 'res', 'bucket', ...POWER_COLUMNS, 'u_min', 'u_max'],
  energy_rollups: ['meter', 'res', 'register', 'bucket', 'min_wh', 'max_wh', 'energy_wh'],
}

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

/**
 * Compact storage (docs/storage.md, "Compact storage"): the frame data moves to narrower tables
 * keyed by a meter number (`meter_nums`) instead of the 12-character id, with register names,
 * resolutions and period codes as small numbers, the receive time as an offset from `t` and the
 * clock and short-frame columns as flag bits; columns are ordered so that PostgreSQL pads none.
 * `samples`, `registers`, `power_rollups` and `energy_rollups` become views with the same columns
 * and values, and the other views read the compact tables directly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, compact)
}

/** Back to the tables of the previous version, with the same rows. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, expand)
}

/**
 * Runs `fn` in one transaction: PostgreSQL's migrations already run in one; Kysely runs SQLite's
 * outside any, and a crash in the middle of this one would leave half of each format.
 */
async function atomically(
  db: Kysely<unknown>,
  fn: (db: Kysely<unknown>) => Promise<void>,
): Promise<void> {
  if (engineKindOf(db) === 'sqlite') await db.transaction().execute(fn)
  else await fn(db)
}

async function compact(db: Kysely<unknown>): Promise<void> {
  const kind = engineKindOf(db)
  const keyed = keyedTableSuffix(kind)
  for (const v of DEPENDENT_VIEWS) await exec(db, `drop view if exists ${v}`)
  await exec(
    db,
    kind === 'postgres'
      ? 'create table meter_nums (num integer generated by default as identity primary key, id text not null unique)'
      : 'create table meter_nums (num integer primary key, id text not null unique)',
  )
  await exec(
    db,
    `insert into meter_nums (id) select id from meters union select meter from samples union select meter from registers
     union select meter from power_rollups union select meter from energy_rollups order by 1`,
  )
  await exec(
    db,
    `create table sample_rows (m integer not null, flags smallint not null, period_index smallint, t bigint not null, rx bigint not null,
       import_wh bigint, export_wh bigint, va integer, va1 integer, va2 integer, va3 integer, injected_va integer,
       i1 smallint, i2 smallint, i3 smallint, u1 smallint, u2 smallint, u3 smallint, period_code smallint,
       constraint sample_rows_pk primary key (m, t))${keyed}`,
  )
  await exec(
    db,
    `create table register_rows (m integer not null, reg smallint not null, t bigint not null, value bigint not null,
       constraint register_rows_pk primary key (m, reg, t))${keyed}`,
  )
  await exec(
    db,
    `create table power_rows (m integer not null, n integer not null, bucket bigint not null, va_n integer not null, vap_n integer not null,
       inj_n integer not null, u_n integer not null, va_min integer, va_max integer, va_sum bigint, va1_sum bigint, va2_sum bigint,
       va3_sum bigint, inj_sum bigint, u1_sum bigint, u2_sum bigint, u3_sum bigint, res smallint not null, u_min smallint, u_max smallint,
       constraint power_rows_pk primary key (m, res, bucket))${keyed}`,
  )
  await exec(
    db,
    `create table energy_rows (m integer not null, res smallint not null, reg smallint not null, bucket bigint not null,
       min_wh bigint not null, max_wh bigint not null, energy_wh bigint not null,
       constraint energy_rows_pk primary key (m, res, reg, bucket))${keyed}`,
  )
  await exec(
    db,
    `insert into sample_rows (m, flags, period_index, t, rx, import_wh, export_wh, va, va1, va2, va3, injected_va, i1, i2, i3, u1, u2, u3, period_code)
     select k.num, (case when s.clock_ms is null then 0 else 1 end) + 2 * s.short, s.period_index, s.t, s.received_at - s.t, s.import_wh,
            s.export_wh, s.va, s.va1, s.va2, s.va3, s.injected_va, s.i1, s.i2, s.i3, s.u1, s.u2, s.u3, ${periodNumSql('s.period_code')}
     from samples s join meter_nums k on k.id = s.meter`,
  )
  await exec(
    db,
    `insert into register_rows (m, reg, t, value) select k.num, ${registerNumSql('r.register')}, r.t, r.value from registers r join meter_nums k on k.id = r.meter`,
  )
  await exec(
    db,
    `insert into power_rows (m, res, bucket, ${POWER_COLUMNS.join(', ')}, u_min, u_max)
     select k.num, ${resNumSql('p.res')}, p.bucket, ${POWER_COLUMNS.map((c) => `p.${c}`).join(', ')}, p.u_min, p.u_max
     from power_rollups p join meter_nums k on k.id = p.meter`,
  )
  await exec(
    db,
    `insert into energy_rows (m, res, reg, bucket, min_wh, max_wh, energy_wh)
     select k.num, ${resNumSql('e.res')}, ${registerNumSql('e.register')}, e.bucket, e.min_wh, e.max_wh, e.energy_wh
     from energy_rollups e join meter_nums k on k.id = e.meter`,
  )
  for (const t of FRAME_TABLES) {
    await exec(db, `drop table ${t}`)
    await exec(db, `create view ${t} as ${VIEW_SELECTS[t]}`)
  }
  // The views behind the dashboard-like queries read the compact tables, filtered on their keys.
  await createDailyViews(db, 'energy_wh', kind, COMPACT_DAILY_SOURCE)
  await createFrameViews(db, COMPACT_HOURLY_SOURCE)
  await createCostViews(db)
}

async function expand(db: Kysely<unknown>): Promise<void> {
  const kind = engineKindOf(db)
  for (const v of DEPENDENT_VIEWS) await exec(db, `drop view if exists ${v}`)
  for (const t of FRAME_TABLES) await exec(db, `drop view ${t}`)
  await createFrameTables(db, FRAME_TABLES)
  await db.schema
    .alterTable('energy_rollups')
    .addColumn('energy_wh', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  for (const t of FRAME_TABLES)
    await exec(db, `insert into ${t} (${VIEW_COLUMNS[t].join(', ')}) ${VIEW_SELECTS[t]}`)
  for (const t of ['sample_rows', 'register_rows', 'power_rows', 'energy_rows', 'meter_nums'])
    await exec(db, `drop table ${t}`)
  await createDailyViews(db, 'energy_wh', kind)
  await createFrameViews(db)
  await createCostViews(db)
}
