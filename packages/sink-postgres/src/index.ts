export { postgresSink } from './postgres-sink.js'
export type { PostgresSinkOptions } from './postgres-sink.js'
export { openPostgresStore, openPostgres, PG_RETRY_ATTEMPTS } from './engine.js'
export type { PostgresStoreOptions, PostgresEngineOptions } from './engine.js'
export {
  parsePostgresUrl,
  isPostgresUrl,
  assertSchemaName,
  POSTGRES_URL_PATTERN,
  SCHEMA_NAME_PATTERN,
} from './url.js'
export type { PostgresLocation } from './url.js'
