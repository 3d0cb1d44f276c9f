// The SQLite engine and store opener without the sink: loading it does not load RxJS (`linkyrpi report`).
export { openSqliteStore } from './open-sqlite-store.js'
export { openSqlite, applySqlitePragmas } from './sqlite-engine.js'
export type { SqliteEngineOptions } from './sqlite-engine.js'
