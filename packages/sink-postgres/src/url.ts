// The postgres:// URL parser alone (`@linkyrpi/sink-postgres/url`): no engine, no sink.
export {
  parsePostgresUrl,
  isPostgresUrl,
  assertSchemaName,
  POSTGRES_URL_PATTERN,
  SCHEMA_NAME_PATTERN,
} from './postgres-url.js'
export type { PostgresLocation } from './postgres-url.js'
