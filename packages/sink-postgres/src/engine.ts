// The PostgreSQL engine and store opener without the sink: loading it does not load RxJS (`linkyrpi report`).
export { openPostgresStore } from './open-postgres-store.js'
export type { PostgresStoreOptions } from './open-postgres-store.js'
export { openPostgres, PG_RETRY_ATTEMPTS } from './postgres-engine.js'
export type { PostgresEngineOptions } from './postgres-engine.js'
