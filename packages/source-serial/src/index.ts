export { serialSource } from './serial-source.js'
export type {
  SerialSource,
  SerialSourceOptions,
  SerialSourceState,
  SerialStatus,
  SerialBinding,
} from './serial-source.js'
export { GroupScanner } from './group-scanner.js'
export type { GroupCounts } from './group-scanner.js'
export { replaySource } from './replay-source.js'
export type { ReplaySourceOptions } from './replay-source.js'
export { simulatorSource } from './simulator-source.js'
export type { SimulatorSourceOptions } from './simulator-source.js'
export {
  CaptureParser,
  encodeRecord,
  encodeRecordingHeader,
  RECORDING_MAGIC,
  RECORDING_VERSION,
} from './capture-format.js'
export type { CaptureChunk, CaptureKind, RecordingHeader } from './capture-format.js'
export { checkSpeed } from './pace.js'
export type { Speed } from './pace.js'
export { CaptureFileError, SerialPortError } from './errors.js'
