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
 */
export async function migrateToLatest(db: Kysely<StoreDatabase>): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) throw new StoreWriteError('database migration failed', { cause: error })
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}
