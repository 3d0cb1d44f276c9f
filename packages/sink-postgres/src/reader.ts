// `@linkyrpi/sink-postgres/reader`: the PostgreSQL reader alone, with no Kysely (`linkyrpi report`).
export { openPostgresReader } from './postgres-reader.js'
export type { PostgresReaderOptions } from './postgres-reader.js'
