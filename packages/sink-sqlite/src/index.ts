export { sqliteSink } from './sqlite-sink.js'
export type { SqliteSinkOptions } from './sqlite-sink.js'
