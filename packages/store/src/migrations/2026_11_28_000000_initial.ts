import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { engineKindOf, keyedTableSuffix, localDateOfBucket, timestampOf } from '../engine.js'
import type { EngineKind } from '../engine.js'

/** Creates the tables, keys and views of the first schema version. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const kind = engineKindOf(db)
  const keyed = sql.raw(keyedTableSuffix(kind))
  await db.schema
    .createTable('meters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('prm', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('manufacturer', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('phases', 'integer')
    .addColumn('producer', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_reading', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('contracts')
    .addColumn('meter', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint')
    .addColumn('option', 'text')
    .addColumn('option_label', 'text')
    .addColumn('subscribed_va', 'integer')
    .addColumn('cutoff_va', 'integer')
    .addColumn('hhphc', 'text')
    .addPrimaryKeyConstraint('contracts_pk', ['meter', 'valid_from'] as never)
    .modifyEnd(keyed)
    .execute()
  await createFrameTables(db)

  // Views for psql, Grafana and BI tools (docs/storage.md has example queries).
  await sql
    .raw(
      `create view daily_energy as
       select meter, bucket as day_start, ${localDateOfBucket(kind, 'bucket')} as day, register,
              max_wh - coalesce(lag(max_wh) over (partition by meter, register order by bucket), min_wh) as energy_wh
       from energy_rollups where res = '1d'`,
    )
    .execute(db)
  await sql
    .raw(
      `create view daily_energy_by_period as
       select meter, day_start, day, cast(substr(register, 2) as integer) as supplier_index, energy_wh
       from daily_energy where register like 's%'`,
    )
    .execute(db)
  await createFrameViews(db)
}

/** Drops everything {@link up} created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const v of [
    'hourly_power',
    'power_curve',
    'latest_reading',
    'daily_energy_by_period',
    'daily_energy',
  ]) {
    await sql.raw(`drop view if exists ${v}`).execute(db)
  }
  for (const t of [
    'energy_rollups',
    'power_rollups',
    'events',
    'registers',
    'samples',
    'contracts',
    'meters',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

/**
 * The first schema's tables of frame data (`samples`, `registers`, `events`, `power_rollups`,
 * `energy_rollups` without `energy_wh`); also the way back from the compact storage.
 */
export async function createFrameTables(
  db: Kysely<unknown>,
  only?: readonly string[],
): Promise<void> {
  const keyed = sql.raw(keyedTableSuffix(engineKindOf(db)))
  const want = (t: string): boolean => only === undefined || only.includes(t)
  if (want('samples')) {
    let samples = db.schema
      .createTable('samples')
      .addColumn('meter', 'text', (c) => c.notNull())
      .addColumn('t', 'bigint', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('clock_ms', 'bigint')
    for (const c of [
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
    ]) {
      samples = samples.addColumn(c, 'integer')
    }
    await samples
      .addColumn('period_code', 'text')
      .addColumn('import_wh', 'bigint')
      .addColumn('export_wh', 'bigint')
      .addColumn('short', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('samples_pk', ['meter', 't'] as never)
      .modifyEnd(keyed)
      .execute()
  }
  if (want('registers'))
    await db.schema
      .createTable('registers')
      .addColumn('meter', 'text', (c) => c.notNull())
      .addColumn('register', 'text', (c) => c.notNull())
      .addColumn('t', 'bigint', (c) => c.notNull())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('registers_pk', ['meter', 'register', 't'] as never)
      .modifyEnd(keyed)
      .execute()
  if (want('events'))
    await db.schema
      .createTable('events')
      .addColumn('meter', 'text', (c) => c.notNull())
      .addColumn('t', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pk', ['meter', 't', 'kind'] as never)
      .modifyEnd(keyed)
      .execute()
  if (want('power_rollups')) {
    let power = db.schema
      .createTable('power_rollups')
      .addColumn('meter', 'text', (c) => c.notNull())
      .addColumn('res', 'text', (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
    for (const c of ['n', 'va_n', 'vap_n', 'inj_n', 'u_n'])
      power = power.addColumn(c, 'integer', (col) => col.notNull())
    for (const c of [
      'va_sum',
      'va1_sum',
      'va2_sum',
      'va3_sum',
      'inj_sum',
      'u1_sum',
      'u2_sum',
      'u3_sum',
    ])
      power = power.addColumn(c, 'bigint')
    for (const c of ['va_min', 'va_max', 'u_min', 'u_max']) power = power.addColumn(c, 'integer')
    await power
      .addPrimaryKeyConstraint('power_rollups_pk', ['meter', 'res', 'bucket'] as never)
      .modifyEnd(keyed)
      .execute()
  }
  if (want('energy_rollups'))
    await db.schema
      .createTable('energy_rollups')
      .addColumn('meter', 'text', (c) => c.notNull())
      .addColumn('res', 'text', (c) => c.notNull())
      .addColumn('register', 'text', (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('min_wh', 'bigint', (c) => c.notNull())
      .addColumn('max_wh', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('energy_rollups_pk', ['meter', 'res', 'register', 'bucket'] as never)
      .modifyEnd(keyed)
      .execute()
}

/**
 * The select of the `latest_reading` view: each meter's latest sample, read from `source` (a
 * table or a parenthesised select with the columns of the `samples` view; default `samples`).
 */
export function latestReadingSelect(kind: EngineKind, source = 'samples'): string {
  return `select m.id as meter, m.prm, m.mode, ${timestampOf(kind, 's.t')} as time, s.t, s.va, s.va1, s.va2, s.va3, s.injected_va,
              s.i1, s.i2, s.i3, s.u1, s.u2, s.u3, s.period_index, s.period_code, s.import_wh, s.export_wh
       from meters m join ${source} s on s.meter = m.id and s.t = m.last_seen`
}

/**
 * The first schema's views of samples and power rollups (`latest_reading`, `power_curve`,
 * `hourly_power`). `hourlySource` gives `hourly_power` its rows (the compact storage passes its own).
 */
export async function createFrameViews(
  db: Kysely<unknown>,
  hourlySource = "power_rollups where res = '1h'",
): Promise<void> {
  const kind = engineKindOf(db)
  const ts = (e: string): string => timestampOf(kind, e)
  await sql.raw(`create view latest_reading as ${latestReadingSelect(kind)}`).execute(db)
  await sql
    .raw(
      `create view power_curve as
       select meter, ${ts('t')} as time, t, va, va1, va2, va3, injected_va, i1, i2, i3, u1, u2, u3,
              period_index, period_code, import_wh, export_wh
       from samples`,
    )
    .execute(db)
  await sql
    .raw(
      `create view hourly_power as
       select meter, ${ts('bucket')} as hour, bucket, n,
              va_sum * 1.0 / nullif(va_n, 0) as va_avg, va_min, va_max,
              inj_sum * 1.0 / nullif(inj_n, 0) as injected_va_avg,
              u1_sum * 1.0 / nullif(u_n, 0) as u1_avg, u_min, u_max
       from ${hourlySource}`,
    )
    .execute(db)
}
