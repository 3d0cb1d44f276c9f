export { sqliteSink, SQLITE_FLUSH_MS } from './sqlite-sink.js'
export type { SqliteSinkOptions } from './sqlite-sink.js'
export { openSqliteStore, openSqlite, applySqlitePragmas } from './engine.js'
export type { SqliteEngineOptions } from './engine.js'
