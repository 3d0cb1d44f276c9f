import { createPipelineFrameDecoder } from '@linkyrpi/tic-core'
import type { PipelineFrameSink, TicModeSetting } from '@linkyrpi/tic-core'
import type { Store } from './store.js'
import type { StoreRecord } from './rows.js'

/** A piece of a capture: bytes, and when they were received (epoch ms), or null in a raw capture. */
export interface CaptureBytes {
  readonly atMs: number | null
  readonly bytes: Uint8Array
}

/** Options of {@link importChunks} and {@link importRecords}. */
export interface ImportOptions {
  /** TIC mode of the capture (default `auto`). */
  readonly mode?: TicModeSetting
  /**
   * Receive time of the first frame of a raw capture (no timing), epoch ms; frame i is timed
   * `start + i × intervalMs`. Only frames without a meter clock (historique) are keyed by that
   * time. Required for raw bytes; `linkyrpi replay --store` gives the file's modification time
   * (whole seconds), so importing the same file again gives the same times.
   */
  readonly start?: number
  /** Interval between the frames of a raw capture (ms, default 1500). */
  readonly intervalMs?: number
  /** Frames per transaction (default 5000). */
  readonly batchSize?: number
}

/** What an import did. */
export interface ImportResult {
  /** Complete frames decoded. */
  readonly frames: number
  /** New samples stored. */
  readonly stored: number
  /** Frames already in the store: importing the same capture twice stores nothing the second time. */
  readonly duplicates: number
  /** Frames without a meter id (ADCO/ADSC): they cannot be stored. */
  readonly unstorable: number
  /** Bytes discarded by the framer (noise, interrupted frames). */
  readonly discardedBytes: number
}

async function writeAll(
  store: Store,
  records: AsyncIterable<StoreRecord> | Iterable<StoreRecord>,
  batchSize: number,
): Promise<Omit<ImportResult, 'discardedBytes'>> {
  let frames = 0
  let stored = 0
  let duplicates = 0
  let unstorable = 0
  let batch: StoreRecord[] = []
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return
    const r = await store.ingest.write(batch)
    stored += r.stored
    duplicates += r.duplicates
    unstorable += r.unstorable
    batch = []
  }
  for await (const record of records) {
    frames++
    batch.push(record)
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  return { frames, stored, duplicates, unstorable }
}

/**
 * Writes records (readings with their receive times) into an open store in batches, pulling from
 * `records` only as fast as the database commits (bounded memory). Idempotent. The caller opens
 * and closes the store.
 */
export async function importRecords(
  records: Iterable<StoreRecord> | AsyncIterable<StoreRecord>,
  store: Store,
  options: Pick<ImportOptions, 'batchSize'> = {},
): Promise<Omit<ImportResult, 'discardedBytes'>> {
  return writeAll(store, records, options.batchSize ?? 5000)
}

/**
 * Imports a capture given as chunks (a recording's timed records, or raw bytes with `atMs`
 * null) into an open store (the caller closes it). A frame's receive time is the
 * `atMs` of the chunk that completes it, or `start + i × intervalMs` for raw chunks. Decodes and
 * writes as it goes (bounded memory). Importing the same capture twice leaves the same rows.
 */
export async function importChunks(
  chunks: Iterable<CaptureBytes> | AsyncIterable<CaptureBytes>,
  store: Store,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const intervalMs = options.intervalMs ?? 1500
  const decoder = createPipelineFrameDecoder({ mode: options.mode ?? 'auto', source: 'import' })
  let discardedBytes = 0
  let index = 0
  let at: number | null = null
  const pending: StoreRecord[] = []
  // Called once per frame with a reading, as it completes.
  const receivedAt = (): number => {
    let t = at
    if (t === null) {
      if (options.start === undefined)
        throw new TypeError("import: 'start' (epoch ms) is required for a capture without timing")
      t = options.start + index * intervalMs
    }
    index++
    return t
  }
  const sink: PipelineFrameSink = {
    frame: (f) => pending.push({ reading: f.reading, receivedAt: f.meta.receivedAt }),
    discarded: (e) => {
      discardedBytes += e.byteCount
    },
  }
  async function* records(): AsyncGenerator<StoreRecord> {
    for await (const chunk of chunks) {
      at = chunk.atMs
      decoder.write(chunk.bytes, receivedAt, sink)
      yield* pending.splice(0)
    }
    decoder.end(receivedAt, sink)
    yield* pending.splice(0)
  }
  const r = await importRecords(records(), store, options)
  return { ...r, discardedBytes }
}
