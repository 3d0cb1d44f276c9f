export { sqliteSink, openSqliteStore, SQLITE_FLUSH_MS } from './sqlite-sink.js'
export type { SqliteSinkOptions } from './sqlite-sink.js'
export { openSqlite, applySqlitePragmas } from './sqlite-engine.js'
export type { SqliteEngineOptions } from './sqlite-engine.js'
