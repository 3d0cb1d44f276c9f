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
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) throw new StoreWriteError('database migration failed', { cause: error })
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  }
}
