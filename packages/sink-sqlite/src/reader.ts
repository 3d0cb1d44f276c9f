// `@linkyrpi/sink-sqlite/reader`: the SQLite reader alone, with no Kysely (`linkyrpi report`).
export { openSqliteReader } from './sqlite-reader.js'
