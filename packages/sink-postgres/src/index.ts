export { postgresSink } from './postgres-sink.js'

export { openPostgresStore, openPostgres, PG_RETRY_ATTEMPTS } from './engine.js'

export {
  parsePostgresUrl,
  isPostgresUrl,
  POSTGRES_URL_PATTERN,
  SCHEMA_NAME_PATTERN,
} from './url.js'
