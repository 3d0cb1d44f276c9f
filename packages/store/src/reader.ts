// `@linkyrpi/store/reader`: the query API and the checks a reader needs, with no Kysely, RxJS or
// migrations at run time, so that `linkyrpi report` starts fast (docs/analytics.md, performance).
// The engines' light readers (`@linkyrpi/sink-sqlite/reader`, `@linkyrpi/sink-postgres/reader`)
// give the `ReadEngine`.
export type { ColumnStatement, ReadEngine } from './read-engine.js'
export { createHistoryStore } from './history-store.js'
export { storedSamples, STORED_SAMPLES_WINDOW_MS } from './stored-samples.js'
export type { StoredSample, StoredSamplesOptions } from './stored-samples.js'
export { storeIsCurrent, tariffPricesMatch } from './store-checks.js'
export { MIGRATION_NAMES } from './migration-names.js'
export { StoreConnectionError, StoreTargetError } from './errors.js'
