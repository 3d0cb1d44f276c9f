export { STX, ETX, EOT, LF, CR, SP, HT, SERIAL_SETTINGS } from './constants.js'

export type { TicMode, TicModeSetting } from './mode.js'
export { checksum } from './checksum.js'

export { LABELS } from './labels/labels.js'
export { labelInfo } from './labels/catalogue.js'

export { decodeGroup, MAX_GROUP_BYTES } from './group.js'

export { createTicFramer, FramerCore } from './framer.js'
export type { FramerSink } from './framer.js'

export { createFrameDecoder } from './frame.js'
export type { FrameDecoder, TicFrame } from './frame.js'
export { createTicDecoder } from './decoder.js'
export { createPipelineFrameDecoder } from './pipeline-frame-decoder.js'
export type { PipelineFrameSink } from './pipeline-frame-decoder.js'
export type { TicDecoderOptions, DecodedFrame, DecoderEvent } from './decoder.js'
export { createReadingBuilder } from './reading.js'
export type { TicReading, TicAlert } from './reading.js'
export { parseInteger } from './integer.js'
export { parseHorodate, formatHorodate } from './horodate.js'
export {
  PARIS_TIME_ZONE,
  parisOffsetMs,
  parisLocalTime,
  parisInstantOf,
  parisDayStart,
  parisNextDayStart,
  parisMonthStart,
  parisNextMonthStart,
  parisDayKey,
  daysFromCivil,
  civilFromDays,
  weekdayOf,
} from './paris-time.js'
export type { ParisLocalTime } from './paris-time.js'

export { parseStge } from './stge.js'
export type { Stge } from './stge.js'
export { parseRelays, formatRelays } from './relays.js'

export { parseDayProfile, formatDayProfile } from './day-profile.js'

export { parseAds } from './ads.js'

export { parseOptarif, parsePtec, parseDemain, tempoFromLabel } from './tariff.js'
export type { TempoColour, TariffOption, PeriodCode } from './tariff.js'
export { encodeGroup, encodeFrame, writeGroup } from './encoder.js'
export type { GroupSpec } from './encoder.js'
export { toWire, fromWire } from './wire.js'
export { encodeCompactFrames, COMPACT_WIRE_VERSION } from './encode-compact-frames.js'
export { createCompactWireDecoder } from './compact-wire-decoder.js'
export type { CompactWireDecoder, CompactWireDecoderOptions } from './compact-wire-decoder.js'
export type { WireFrame } from './wire.js'
export type { PipelineFrame } from './stage/index.js'
