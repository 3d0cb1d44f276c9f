export { serialSource } from './serial-source.js'
export type { SerialSourceOptions, SerialSourceState, SerialBinding } from './serial-source.js'
export { createModeDetector } from './mode-detector.js'

export { replaySource } from './replay-source.js'

export { simulatorSource } from './simulator-source.js'
export type { SimulatorSourceOptions } from './simulator-source.js'
export { CaptureParser, encodeRecord, encodeRecordingHeader } from './capture-format.js'

export { SerialPortError } from './errors.js'
