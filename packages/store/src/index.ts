export * from './core.js'
export { Spool } from './spool.js'

export { storeSink } from './store-sink.js'
export type { StoreSinkOptions } from './store-sink.js'
export { importChunks, importRecords } from './import-chunks.js'
export type { CaptureBytes } from './import-chunks.js'
