export { postgresSink } from './postgres-sink.js'
export type { PostgresSinkOptions } from './postgres-sink.js'
