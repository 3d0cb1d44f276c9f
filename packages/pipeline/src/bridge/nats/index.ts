export { connectNats } from './connect-nats.js'
export { ensureStream, ensureConsumer } from './ensure-stream.js'
export { natsSink } from './nats-sink.js'
export type { NatsSinkOptions } from './nats-sink.js'
export { natsSource } from './nats-source.js'
export type { NatsSourceOptions, NatsFrameSource } from './nats-source.js'
export { rawNatsSource } from './raw-nats-source.js'
export {
  framesSubject,
  allFramesSubject,
  rawSubject,
  eventsSubject,
  defaultStreamName,
  subjectToken,
  STAGE_HEADER,
  BATCH_HEADER,
  MAX_BATCH_FRAMES,
  WIRE_HEADER,
  partitionOf,
  partitionFilter,
  partitionConsumer,
  partitionedFramesSubject,
} from './subjects.js'
export { leasePartitions, leaseStreamName } from './lease-partitions.js'
export type { LeasePartitionsOptions, PartitionLeases } from './lease-partitions.js'
