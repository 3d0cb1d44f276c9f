export { serialSource } from './serial-source.js'
export type { SerialSourceOptions, SerialSourceState, SerialBinding } from './serial-source.js'
export { createModeDetector } from './mode-detector.js'
export { detectMeter } from './detect-meter.js'
export type { DetectMeterOptions, DetectMeterResult, MeterDetection } from './detect-meter.js'
export { findMeter, USUAL_PORTS } from './find-meter.js'
export type { FoundMeter } from './find-meter.js'

export { replaySource } from './replay-source.js'

export { checkSpeed, createPacer, isAbort } from './pace.js'
export type { Speed } from './pace.js'
export { CaptureParser, encodeRecord, encodeRecordingHeader } from './capture-format.js'

export { SerialPortError } from './errors.js'
