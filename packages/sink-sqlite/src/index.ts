export { sqliteSink } from './sqlite-sink.js'

export { openSqliteStore, openSqlite, applySqlitePragmas } from './engine.js'
