import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// The contract in force at a day's noon (the first contract also covers the days before it starts).
const CONTRACT_OF_DAY = `left join contracts c on c.meter = e.meter
  and (c.valid_to is null or c.valid_to > e.day_start + 43200000)
  and (c.valid_from <= e.day_start + 43200000 or c.valid_from = (select min(c2.valid_from) from contracts c2 where c2.meter = e.meter))`

/**
 * The monthly cost view promised in docs/storage.md: a `tariff_prices` table (dated prices per
 * option, supplier index and power, loaded from the analytics price catalogue by `linkyrpi db
 * migrate` and `linkyrpi report`), a `daily_cost` view (energy per day and index × the price valid
 * that day for the contract of that day) and a `monthly_cost` view (energy, energy €,
 * subscription € prorated per day with data, total € — null when anything is unpriced).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tariff_prices')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('option', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('period', 'text')
    .addColumn('supplier_index', 'integer')
    .addColumn('kva', 'integer')
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('price', 'double precision', (c) => c.notNull())
    .addColumn('uncertain', 'text')
    .execute()
  await db.schema
    .createIndex('tariff_prices_lookup')
    .on('tariff_prices')
    .columns(['option', 'item', 'valid_from'])
    .execute()
  await createCostViews(db)
}

/** Drops what {@link up} created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop view if exists monthly_cost').execute(db)
  await sql.raw('drop view if exists daily_cost').execute(db)
  await db.schema.dropTable('tariff_prices').ifExists().execute()
}

/** The `daily_cost` and `monthly_cost` views (over `daily_energy_by_period`, `contracts` and `tariff_prices`). */
export async function createCostViews(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create view daily_cost as
       select x.meter, x.day_start, x.day, x.supplier_index, x.option, x.subscribed_kva, x.energy_wh, x.eur_per_kwh,
              x.energy_wh * x.eur_per_kwh / 1000.0 as energy_eur
       from (
         select e.meter, e.day_start, e.day, e.supplier_index, c.option,
                cast(round(c.subscribed_va / 1000.0) as integer) as subscribed_kva, e.energy_wh,
                (select p.price from tariff_prices p
                 where p.item = 'energy' and p.option = c.option and p.supplier_index = e.supplier_index
                   and p.valid_from <= e.day and (p.valid_to is null or p.valid_to > e.day)
                   and (p.kva is null or p.kva = cast(round(c.subscribed_va / 1000.0) as integer))
                 order by p.source = 'user' desc, p.valid_from desc, p.kva is null
                 limit 1) as eur_per_kwh
         from daily_energy_by_period e
         ${CONTRACT_OF_DAY}
       ) x`,
    )
    .execute(db)
  await sql
    .raw(
      `create view monthly_cost as
       with d as (
         select meter, day, option, subscribed_kva, sum(energy_wh) as energy_wh, sum(energy_eur) as energy_eur,
                sum(case when eur_per_kwh is null and energy_wh <> 0 then 1 else 0 end) as unpriced
         from daily_cost group by meter, day, option, subscribed_kva
       ), s as (
         select d.meter, d.day, d.energy_wh, d.energy_eur, d.unpriced,
                (select p.price from tariff_prices p
                 where p.item = 'subscription' and p.option = d.option and p.kva = d.subscribed_kva
                   and p.valid_from <= d.day and (p.valid_to is null or p.valid_to > d.day)
                 order by p.source = 'user' desc, p.valid_from desc
                 limit 1) as eur_per_month
         from d
       )
       select meter, substr(day, 1, 7) as month, count(*) as days, sum(energy_wh) as energy_wh,
              sum(energy_eur) as energy_eur, sum(eur_per_month * 12.0 / 365) as subscription_eur,
              case when sum(unpriced) = 0 and count(eur_per_month) = count(*)
                   then sum(energy_eur) + sum(eur_per_month * 12.0 / 365) end as total_eur,
              sum(unpriced) + count(*) - count(eur_per_month) as unpriced_days
       from s group by meter, substr(day, 1, 7)`,
    )
    .execute(db)
}
