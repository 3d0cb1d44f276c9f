import type { Migration, MigrationProvider } from 'kysely'
import * as initial from './2026_11_28_000000_initial.js'
import * as energyWh from './2026_12_04_000000_energy_wh.js'
import * as monthlyCost from './2026_12_04_000100_monthly_cost.js'
import * as compactStorage from './2026_12_04_000200_compact_storage.js'
import * as packedMinutes from './2026_12_04_000300_packed_minutes.js'
import * as registerBrin from './2026_12_04_000400_register_brin.js'
import * as hotMinutes from './2026_12_04_000500_hot_minutes.js'
import * as derivedRollups from './2026_12_04_000600_derived_rollups.js'
import * as hotMinuteTables from './2026_12_04_000700_hot_minute_tables.js'
import * as latestReadingAt from './2026_12_05_000100_latest_reading_at.js'
import * as sampleBlocks from './2026_12_05_000200_sample_blocks.js'
import * as betweenFunctions from './2026_12_05_000300_between_functions.js'

/** Every migration, by name (sorted by name when applied). Add new ones here; no folder scanning. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '2026_11_28_000000_initial': initial,
  '2026_12_04_000000_energy_wh': energyWh,
  '2026_12_04_000100_monthly_cost': monthlyCost,
  '2026_12_04_000200_compact_storage': compactStorage,
  '2026_12_04_000300_packed_minutes': packedMinutes,
  '2026_12_04_000400_register_brin': registerBrin,
  '2026_12_04_000500_hot_minutes': hotMinutes,
  '2026_12_04_000600_derived_rollups': derivedRollups,
  '2026_12_04_000700_hot_minute_tables': hotMinuteTables,
  '2026_12_05_000100_latest_reading_at': latestReadingAt,
  '2026_12_05_000200_sample_blocks': sampleBlocks,
  '2026_12_05_000300_between_functions': betweenFunctions,
})

/** Serves {@link MIGRATIONS} to Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
}

/** The migration that creates the schema: applied on a target that held no store. */
export const FIRST_MIGRATION = '2026_11_28_000000_initial'
