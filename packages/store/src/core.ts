// The store without its RxJS sink, spool or capture import: what a reader (`linkyrpi report`,
// the engines' store openers) needs, so that loading it does not load RxJS. index.ts adds the rest.
export type {
  StoreDatabase,
  MetersTable,
  ContractsTable,
  SamplesTable,
  RegistersTable,
  SampleBlocksTable,
  EventsTable,
  PowerRollupsTable,
  EnergyRollupsTable,
  BulkTable,
  RowOf,
} from './schema.js'
export { COLUMNS, BLOCK_SAMPLE_FIELDS } from './schema.js'
export { isTransientError, engineKindOf } from './engine.js'
export type { Engine, EngineKind, WriteTx, BulkRow } from './engine.js'
export type { ColumnStatement, ReadEngine } from './read-engine.js'
export { MIGRATIONS, FIRST_MIGRATION, migrationProvider } from './migrations/index.js'
export { MIGRATE_ATTEMPTS, migrateToLatest } from './migrate.js'
export type { MigrationOutcome } from './migrate.js'
export { sampleTime, registersOf, contractOf, eventsBetween } from './rows.js'
export type { StoreRecord, ContractTerms, EventRow } from './rows.js'
export { createIngest } from './ingest.js'
export type { Ingest, IngestOptions, BatchResult } from './ingest.js'
export { createHistoryStore, autoResolution } from './history-store.js'
export { storedSamples, STORED_SAMPLES_WINDOW_MS } from './stored-samples.js'
export type { StoredSample, StoredSamplesOptions } from './stored-samples.js'
export { storeIsCurrent, tariffPricesMatch } from './store-checks.js'
export { applyRetention, DEFAULT_RETENTION_DAYS } from './retention.js'
export type { RetentionResult } from './retention.js'
export { createStore, sharedStore } from './store.js'
export type { Store, StoreOptions, SharedStore } from './store.js'
export { bucketOf, ROLLUP_RESOLUTIONS } from './buckets.js'
export { parisDaySql } from './packed-minutes.js'
export type { RollupResolution } from './buckets.js'
export {
  StoreConnectionError,
  StoreWriteError,
  StoreTargetError,
  StoreSpoolFullError,
} from './errors.js'
export { replaceTariffPrices } from './tariff-prices.js'
export type { TariffPriceRow } from './tariff-prices.js'
