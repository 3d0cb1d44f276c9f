import { Migrator } from 'kysely'
import type { Kysely } from 'kysely'
import { StoreWriteError } from './errors.js'
import { migrationProvider } from './migrations/index.js'
import type { StoreDatabase } from './schema.js'

/** Outcome of {@link migrateToLatest}. */
export interface MigrationOutcome {
  /** Names of the migrations applied by this call (empty when already up to date). */
  readonly applied: readonly string[]
}

/**
 * Applies every pending embedded migration, in name order, each in a transaction (PostgreSQL) or
 * one after the other (SQLite). Safe to call at every start. Throws StoreWriteError on failure.
 * Give `schema` (Engine.schema) on PostgreSQL.
 */
export async function migrateToLatest(
  db: Kysely<StoreDatabase>,
  options: { readonly schema?: string | null } = {},
): Promise<MigrationOutcome> {
  // On PostgreSQL the migration tables are looked up by schema: without it, Kysely would find
  // another schema's `kysely_migration` table and skip creating ours.
  const schema = options.schema ?? undefined
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  })
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest()
    if (error === undefined)
      return {
        applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
      }
    // Before running any migration, Kysely lists the tables of every schema: a schema or table
    // that another client drops meanwhile fails that listing (nothing was changed): list again.
    const ranNone = (results ?? []).every((r) => r.status === 'NotExecuted')
    if (!ranNone || !droppedMeanwhile(error) || attempt >= MIGRATE_ATTEMPTS)
      throw new StoreWriteError('database migration failed', { cause: error })
  }
}

/** Listings of the database tried by {@link migrateToLatest} while other clients drop schemas. */
export const MIGRATE_ATTEMPTS = 5

/** PostgreSQL's "undefined table" (42P01) or "invalid schema name" (3F000): dropped while listed. */
function droppedMeanwhile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '42P01' || code === '3F000'
}
