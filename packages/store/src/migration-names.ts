/**
 * The names of the embedded migrations (`MIGRATIONS` of migrations/index.ts), in the order they
 * apply, without loading them (they import Kysely): a reader checks the store is up to date with
 * {@link storeIsCurrent} and opens the full store (which migrates) only when it is not.
 */
export const MIGRATION_NAMES: readonly string[] = [
  '2026_11_28_000000_initial',
  '2026_12_04_000000_energy_wh',
  '2026_12_04_000100_monthly_cost',
  '2026_12_04_000200_compact_storage',
  '2026_12_04_000300_packed_minutes',
  '2026_12_04_000400_register_brin',
  '2026_12_04_000500_hot_minutes',
  '2026_12_04_000600_derived_rollups',
  '2026_12_04_000700_hot_minute_tables',
  '2026_12_05_000100_latest_reading_at',
  '2026_12_05_000200_sample_blocks',
  '2026_12_05_000300_between_functions',
]
