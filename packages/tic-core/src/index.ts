export { STX, ETX, EOT, LF, CR, SP, HT, SERIAL_SETTINGS, separatorOf } from './constants.js'
export type { SerialSettings } from './constants.js'
export { TIC_MODES } from './mode.js'
export type { TicMode, TicModeSetting } from './mode.js'
export { checksum, checksumOfString } from './checksum.js'
export type { HistoriqueChecksumMode } from './checksum.js'
export { LABELS } from './labels/labels.js'
export { labelInfo } from './labels/catalogue.js'
export type { LabelInfo, LabelCharset } from './labels/label-info.js'
export { decodeGroup, MAX_GROUP_BYTES } from './group.js'
export type {
  TicGroup,
  GroupRejection,
  GroupRejectionReason,
  GroupResult,
  DecodeGroupOptions,
} from './group.js'
export { createTicFramer, FramerCore, DEFAULT_MAX_FRAME_BYTES } from './framer.js'
export type {
  TicFramer,
  FramerEvent,
  FramerOptions,
  FramerSink,
  RawFrame,
  DiscardEvent,
  DiscardReason,
} from './framer.js'
export { createFrameDecoder, isShortFrame, MODE2_LATCH_GROUPS } from './frame.js'
export type { TicFrame, FrameDecoder, FrameDecoderOptions } from './frame.js'
export { createTicDecoder } from './decoder.js'
export { createPipelineFrameDecoder } from './pipeline-frame-decoder.js'
export type {
  PipelineFrameDecoder,
  PipelineFrameDecoderOptions,
  PipelineFrameSink,
} from './pipeline-frame-decoder.js'
export type { TicDecoder, TicDecoderOptions, DecodedFrame, DecoderEvent } from './decoder.js'
export { createReadingBuilder } from './reading.js'
export type {
  TicReading,
  TicAlert,
  TimedValue,
  ReadingBuilder,
  ReadingBuilderOptions,
} from './reading.js'
export { parseInteger } from './integer.js'
export { parseHorodate, formatHorodate } from './horodate.js'
export {
  PARIS_TIME_ZONE,
  isEuSummerTime,
  euSummerTimeRange,
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
export type { Horodate } from './horodate.js'
export { parseStge } from './stge.js'
export type { Stge, CutoffState } from './stge.js'
export { parseRelays, formatRelays } from './relays.js'
export { parsePpot } from './ppot.js'
export type { Ppot } from './ppot.js'
export { parseDayProfile, formatDayProfile } from './day-profile.js'
export type { DayProfileSlot, DryContactAction } from './day-profile.js'
export { parseAds } from './ads.js'
export type { Ads, MeterKind } from './ads.js'
export {
  parseOptarif,
  parsePtec,
  parseDemain,
  HISTORIQUE_INDEX_LABELS,
  tidyText,
  optionFromLabels,
  tempoFromLabel,
  periodCodeFromLabel,
} from './tariff.js'
export type { TempoColour, TariffOption, PeriodCode, HistoriquePeriod } from './tariff.js'
export { encodeGroup, encodeFrame, writeGroup, encodedGroupLength } from './encoder.js'
export type { GroupSpec, EncodeOptions } from './encoder.js'
export { toWire, fromWire, WireFormatError, WIRE_VERSION } from './wire.js'
export type { WireFrame } from './wire.js'
export type { FrameMeta, PipelineFrame } from './stage/index.js'
