import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { engineKindOf } from '../engine.js'
import type { EngineKind } from '../engine.js'
import { BLOCK_SAMPLE_FIELDS } from '../schema.js'
import { VIEW_SELECTS } from './2026_12_04_000200_compact_storage.js'
import { latestReadingSelect } from './2026_11_28_000000_initial.js'

const exec = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db)
}

/** Milliseconds in an hour: `sample_blocks.hour` is `t - t % HOUR`. */
const HOUR = 3_600_000

/** The columns of `sample_rows` and their PostgreSQL types, in the order the sources select them. */
const SAMPLE_COLUMNS: readonly (readonly [string, string])[] = [
  ['m', 'integer'],
  ['t', 'bigint'],
  ['rx', 'bigint'],
  ['flags', 'smallint'],
  ['va', 'integer'],
  ['va1', 'integer'],
  ['va2', 'integer'],
  ['va3', 'integer'],
  ['injected_va', 'integer'],
  ['i1', 'smallint'],
  ['i2', 'smallint'],
  ['i3', 'smallint'],
  ['u1', 'smallint'],
  ['u2', 'smallint'],
  ['u3', 'smallint'],
  ['period_index', 'smallint'],
  ['period_code', 'smallint'],
  ['import_wh', 'bigint'],
  ['export_wh', 'bigint'],
]

/** The column names of {@link SAMPLE_COLUMNS}. */
export const SAMPLE_NAMES = SAMPLE_COLUMNS.map(([c]) => c).join(', ')

/** The columns of `register_rows`, in the order the sources select them. */
export const REGISTER_NAMES = 'm, reg, t, value'

/**
 * SQL text of element `i` of the JSON array `json` (a `json_each` value or a PostgreSQL `json`), as
 * `type`, plus `add` when given. SQLite casts too: a view's column then keeps the declared type of
 * the table column it stood for (a `union all` of a typed and an untyped branch is typed `BLOB`).
 */
function element(kind: EngineKind, json: string, i: number, type: string, add = ''): string {
  const plus = add === '' ? '' : `${add} + `
  return kind === 'sqlite'
    ? `cast(${plus}json_extract(${json}, '$[${String(i)}]') as ${type})`
    : `${plus}(${json} ->> ${String(i)})::${type}`
}

/**
 * The rows of `sample_rows` held by the blocks (`n` > 0) of `sample_blocks`, with the columns,
 * names and PostgreSQL types of `sample_rows` (see {@link SAMPLE_COLUMNS}). SQLite unpacks with
 * `json_each` and `json_extract` (any SQLite with the JSON functions, no JSONB); PostgreSQL with
 * `jsonb_array_elements` (the text cast to jsonb: each sample is parsed once, not once per column). A position missing from a sample array (trailing nulls are left out) reads null.
 */
export function blockSampleRowsSql(kind: EngineKind): string {
  const v = kind === 'sqlite' ? 'j.value' : 'j.v'
  const at = (c: string): number => (BLOCK_SAMPLE_FIELDS as readonly string[]).indexOf(c)
  const cols = SAMPLE_COLUMNS.map(([c, type]) => {
    if (c === 'm') return 'b.m'
    if (c === 't') return `${element(kind, v, at('dt'), 'bigint', 'b.hour')} as t`
    return `${element(kind, v, at(c), type)} as ${c}`
  })
  const each =
    kind === 'sqlite'
      ? 'json_each(b.samples) j'
      : 'lateral jsonb_array_elements(b.samples::jsonb) as j(v)'
  return `select ${cols.join(', ')} from sample_blocks b cross join ${each} where b.n > 0`
}

/** The rows of `register_rows` held by the blocks of `sample_blocks` (`[reg, dt, value]` each). */
export function blockRegisterRowsSql(kind: EngineKind): string {
  const v = kind === 'sqlite' ? 'j.value' : 'j.v'
  const each =
    kind === 'sqlite'
      ? 'json_each(b.registers) j'
      : 'lateral jsonb_array_elements(b.registers::jsonb) as j(v)'
  return `select b.m, ${element(kind, v, 0, 'smallint')} as reg, ${element(kind, v, 1, 'bigint', 'b.hour')} as t,
       ${element(kind, v, 2, 'bigint')} as value
     from sample_blocks b cross join ${each} where b.n > 0`
}

/** `select` with its `from <table> <alias>` replaced by `from (<source>) <alias>`; throws when absent. */
export function fromSource(select: string, table: string, alias: string, source: string): string {
  const from = `from ${table} ${alias} `
  if (!select.includes(from)) throw new Error(`view select without '${from}'`)
  return select.replace(from, `from (${source}) ${alias} `)
}

/**
 * `VIEW_SELECTS.samples` as a branch of a `union all` on SQLite: a compound view types a column
 * whose first branch is a `cast` as `NUM` where the plain view typed it `INT` (SQLite ≥ 3.4x), so
 * each `cast(… as integer)` gets `collate binary`, which changes no value or comparison of an
 * integer and keeps the view's declared type `INT`. PostgreSQL: unchanged.
 */
function samplesBranch(kind: EngineKind): string {
  if (kind === 'postgres') return VIEW_SELECTS.samples
  let casts = 0
  const out = VIEW_SELECTS.samples.replace(
    /(cast\(s\.\w+ as integer\)) as /g,
    (_, cast: string) => {
      casts++
      return `${cast} collate binary as `
    },
  )
  if (casts !== 7)
    throw new Error(`expected 7 integer casts in the samples view, found ${String(casts)}`)
  return out
}

/**
 * The `samples` and `registers` views over both modes of a meter-hour: the rows of `sample_rows`
 * and `register_rows` (rows mode), then those unpacked from the blocks (`n` > 0), with exactly the
 * columns, names, types and values of `VIEW_SELECTS` of 2026_12_04_000200 (the same expressions
 * over each source). The `union all` is the view's top level, each branch joining `meter_nums`:
 * SQLite then pushes a query's conditions on `meter` and `t` into each branch and reads
 * `sample_rows` on its key, as before (a `union all` under the join to `meter_nums` is scanned
 * whole by every query).
 */
export function blockViewSelects(
  kind: EngineKind,
): Readonly<Record<'samples' | 'registers', string>> {
  const samples = samplesBranch(kind)
  return {
    samples: `${samples}
     union all ${fromSource(samples, 'sample_rows', 's', blockSampleRowsSql(kind))}`,
    registers: `${VIEW_SELECTS.registers}
     union all ${fromSource(VIEW_SELECTS.registers, 'register_rows', 'r', blockRegisterRowsSql(kind))}`,
  }
}

/** {@link blockViewSelects} of each engine, for tests and later migrations. */
export const BLOCK_VIEW_SELECTS: Readonly<
  Record<EngineKind, Readonly<Record<'samples' | 'registers', string>>>
> = {
  sqlite: blockViewSelects('sqlite'),
  postgres: blockViewSelects('postgres'),
}

/**
 * `latest_reading` over rows and blocks, unpacking of each meter's blocks only the one of its
 * latest hour (`last_seen`): over the `samples` view, every block of the meter was unpacked to find
 * one sample (a month imported into PostgreSQL: seconds).
 */
function latestReadingOverBlocks(kind: EngineKind): string {
  const rows = samplesBranch(kind)
  const latestBlocks = `${blockSampleRowsSql(kind)} and b.hour = (select x.last_seen - x.last_seen % ${String(HOUR)} from meters x join meter_nums y on y.id = x.id where y.num = b.m)`
  return latestReadingSelect(
    kind,
    `(${rows} union all ${fromSource(rows, 'sample_rows', 's', latestBlocks)})`,
  )
}

/** Replaces `latest_reading` with `select` (see {@link replaceViews}). */
async function replaceLatestReading(
  db: Kysely<unknown>,
  kind: EngineKind,
  select: string,
): Promise<void> {
  if (kind === 'postgres') await exec(db, `create or replace view latest_reading as ${select}`)
  else {
    await exec(db, 'drop view latest_reading')
    await exec(db, `create view latest_reading as ${select}`)
  }
}

/**
 * Replaces the `samples` and `registers` views. PostgreSQL replaces them in place (`create or
 * replace view`, which checks that every column keeps its name and type), so the views reading
 * them (`latest_reading`, `power_curve`) stay; SQLite resolves a view's names when it is queried,
 * so they can be dropped and created again.
 */
async function replaceViews(
  db: Kysely<unknown>,
  kind: EngineKind,
  selects: Readonly<Record<'samples' | 'registers', string>>,
): Promise<void> {
  for (const v of ['samples', 'registers'] as const) {
    if (kind === 'postgres') await exec(db, `create or replace view ${v} as ${selects[v]}`)
    else {
      await exec(db, `drop view ${v}`)
      await exec(db, `create view ${v} as ${selects[v]}`)
    }
  }
}

/**
 * Runs `fn` in one transaction: PostgreSQL's migrations already run in one; Kysely runs SQLite's
 * outside any, and a crash in the middle would leave blocks both unpacked and still there.
 */
async function atomically(
  db: Kysely<unknown>,
  fn: (db: Kysely<unknown>) => Promise<void>,
): Promise<void> {
  if (engineKindOf(db) === 'sqlite') await db.transaction().execute(fn)
  else await fn(db)
}

/**
 * Sample blocks (docs/storage.md, "Sample blocks"): the table `sample_blocks`, where a writer may
 * pack the samples and register changes of a meter-hour in one row (an import) instead of one
 * `sample_rows` row per frame and its `register_rows` rows. Every meter-hour stored so far is in
 * rows mode: it gets its marker row (`n` = 0). The `samples` and `registers` views answer the rows
 * and the blocks, with the same columns as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    const kind = engineKindOf(db)
    // Columns ordered so that PostgreSQL pads none (4 + 4 + 8 bytes, then the texts). A rowid
    // table on SQLite (not `without rowid`, which SQLite advises only for rows under about a
    // twentieth of a page: a block is tens of kB); an import is as fast either way.
    await exec(
      db,
      `create table sample_blocks (m integer not null, n integer not null, hour bigint not null, samples text, registers text,
         constraint sample_blocks_pk primary key (m, hour))`,
    )
    await exec(
      db,
      `insert into sample_blocks (m, hour, n) select distinct m, t - t % ${String(HOUR)}, 0 from sample_rows`,
    )
    // PostgreSQL stores the JSON uncompressed: pglz took 12-28 % of an import's time (200,000
    // frames: 101-108k against 118-122k frames/s); blocks then take 101 MB per meter-year instead
    // of 27 (docs/storage.md, "Sample blocks").
    if (kind === 'postgres')
      for (const c of ['samples', 'registers'])
        await exec(db, `alter table sample_blocks alter column ${c} set storage external`)
    await replaceViews(db, kind, blockViewSelects(kind))
    await replaceLatestReading(db, kind, latestReadingOverBlocks(kind))
  })
}

/**
 * Unpacks every block into `sample_rows` and `register_rows` (the rows they stand for; none of
 * their meter-hour is there, by the invariant), restores the views of 2026_12_04_000200 and drops
 * `sample_blocks`. On SQLite a register change already in `register_rows` is kept once, as the
 * writer does (`on conflict do nothing`); PostgreSQL's `register_rows` has no unique key.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    const kind = engineKindOf(db)
    await exec(
      db,
      `insert into sample_rows (${SAMPLE_NAMES}) select ${SAMPLE_NAMES} from (${blockSampleRowsSql(kind)}) b order by m, t`,
    )
    await exec(
      db,
      `insert into register_rows (${REGISTER_NAMES}) select ${REGISTER_NAMES} from (${blockRegisterRowsSql(kind)}) b
       where true order by m, reg, t${kind === 'sqlite' ? ' on conflict do nothing' : ''}`,
    )
    await replaceViews(db, kind, {
      samples: VIEW_SELECTS.samples,
      registers: VIEW_SELECTS.registers,
    })
    await replaceLatestReading(db, kind, latestReadingSelect(kind))
    await exec(db, 'drop table sample_blocks')
  })
}
