import { jetstreamManager } from '@nats-io/jetstream'
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { NatsConfig } from '../../config/schema.js'
import { allFramesSubject, partitionFilter } from './subjects.js'

const NS_PER_MS = 1_000_000

/**
 * Creates the site's stream when it does not exist (subjects `linky.<site>.*.frames` and, for
 * partitioned streams, `linky.<site>.*.frames.*`: only frames are kept, not `.raw` or `.events`),
 * with the configured
 * limits, discard old, a duplicate window for Nats-Msg-Id). An existing stream is left as is, but
 * for the partitioned subjects it gains when `partitions` > 1.
 * Uses only JetStream API calls that nats-server 2.9 has (STREAM.INFO, STREAM.CREATE).
 */
export async function ensureStream(
  nc: NatsConnection,
  site: string,
  name: string,
  config: Omit<NatsConfig['stream'], 'partitions'> & { readonly partitions?: number },
): Promise<void> {
  const jsm = await jetstreamManager(nc)
  const subjects = [allFramesSubject(site), partitionFilter(site, '*')]
  try {
    const info = await jsm.streams.info(name)
    // A stream created before partitions: add the partitioned subjects (STREAM.UPDATE).
    if ((config.partitions ?? 1) > 1 && !info.config.subjects.includes(subjects[1] as string))
      await jsm.streams.update(name, {
        ...info.config,
        subjects: [...info.config.subjects, subjects[1] as string],
      })
    return
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
  await jsm.streams.add({
    name,
    subjects,
    retention: RetentionPolicy.Limits,
    storage: config.storage === 'memory' ? StorageType.Memory : StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: config.maxAgeMs * NS_PER_MS,
    max_bytes: config.maxBytes,
    max_msgs: config.maxMsgs,
    num_replicas: config.replicas,
    duplicate_window: config.duplicateWindowMs * NS_PER_MS,
  })
}

/**
 * Creates a durable pull consumer when it does not exist: explicit acks, every message from the
 * start of the stream, one subject filter (2.9 has no `filter_subjects`). An existing consumer
 * resumes where it stopped.
 */
export async function ensureConsumer(
  nc: NatsConnection,
  stream: string,
  durable: string,
  filterSubject: string,
  config: Pick<NatsConfig['consumer'], 'ackWaitMs' | 'maxAckPending'>,
): Promise<void> {
  const jsm = await jetstreamManager(nc)
  try {
    await jsm.consumers.info(stream, durable)
    return
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: filterSubject,
    ack_wait: config.ackWaitMs * NS_PER_MS,
    max_ack_pending: config.maxAckPending,
  })
}

function isNotFound(error: unknown): boolean {
  const e = error as {
    code?: unknown
    status?: unknown
    message?: unknown
    api_error?: { err_code?: number }
  }
  const message = typeof e.message === 'string' ? e.message : ''
  return (
    /not found/i.test(message) ||
    e.code === 404 ||
    e.status === 404 ||
    e.api_error?.err_code === 10059 ||
    e.api_error?.err_code === 10014
  )
}
