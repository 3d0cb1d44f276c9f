import { readFile, stat } from 'node:fs/promises'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecoderEvent, TicModeSetting } from '@linkyrpi/tic-core'
import { FIRST_MIGRATION } from './migrations/index.js'
import { openStore } from './open-store.js'
import type { OpenStoreOptions, Store, StoreTarget } from './open-store.js'
import type { StoreRecord } from './rows.js'

/** A piece of a capture: bytes, and when they were received (epoch ms), or null in a raw capture. */
export interface CaptureBytes {
  readonly atMs: number | null
  readonly bytes: Uint8Array
}

/** Options of {@link importChunks} and {@link importCapture}. */
export interface ImportOptions extends OpenStoreOptions {
  /** TIC mode of the capture (default `auto`). */
  readonly mode?: TicModeSetting
  /**
   * Receive time of the first frame of a raw capture (no timing), epoch ms; frame i is timed
   * `start + i × intervalMs`. Only frames without a meter clock (historique) are keyed by that
   * time. Required for raw bytes; `importCapture(path)` defaults it to the file's modification
   * time (whole seconds), so importing the same file again gives the same times.
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
  /** True when the target held no store: this import created it (a new file or schema). */
  readonly created: boolean
}

async function writeAll(store: Store, records: AsyncIterable<StoreRecord> | Iterable<StoreRecord>, batchSize: number): Promise<Omit<ImportResult, 'discardedBytes' | 'created'>> {
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
 * Writes records (readings with their receive times) into a store in batches, pulling from
 * `records` only as fast as the database commits (bounded memory). Idempotent.
 */
export async function importRecords(
  records: Iterable<StoreRecord> | AsyncIterable<StoreRecord>,
  target: string | StoreTarget,
  options: ImportOptions = {},
): Promise<Omit<ImportResult, 'discardedBytes'>> {
  const store = await openStore(target, options)
  try {
    // The first migration applied now: there was no store at the target.
    const created = store.migrated.includes(FIRST_MIGRATION)
    return { ...(await writeAll(store, records, options.batchSize ?? 5000)), created }
  } finally {
    await store.close()
  }
}

/**
 * Imports a capture given as chunks (a recording's timed records, or raw bytes with `atMs`
 * null) into a store: a SQLite file path or a `postgres://` URL. A frame's receive time is the
 * `atMs` of the chunk that completes it, or `start + i × intervalMs` for raw chunks. Decodes and
 * writes as it goes (bounded memory). Importing the same capture twice leaves the same rows.
 */
export async function importChunks(
  chunks: Iterable<CaptureBytes> | AsyncIterable<CaptureBytes>,
  target: string | StoreTarget,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const intervalMs = options.intervalMs ?? 1500
  const decoder = createTicDecoder({ mode: options.mode ?? 'auto', reading: true })
  let discardedBytes = 0
  let index = 0
  let at: number | null = null
  const pending: StoreRecord[] = []
  const onEvent = (e: DecoderEvent): void => {
    if (e.kind === 'frame') {
      const reading = e.frame.reading
      if (reading === undefined) return
      let receivedAt = at
      if (receivedAt === null) {
        if (options.start === undefined) throw new TypeError("import: 'start' (epoch ms) is required for a capture without timing")
        receivedAt = options.start + index * intervalMs
      }
      index++
      pending.push({ reading, receivedAt })
    } else discardedBytes += e.byteCount
  }
  async function* records(): AsyncGenerator<StoreRecord> {
    for await (const chunk of chunks) {
      at = chunk.atMs
      decoder.write(chunk.bytes, onEvent)
      yield* pending.splice(0)
    }
    for (const e of decoder.end()) onEvent(e)
    yield* pending.splice(0)
  }
  const r = await importRecords(records(), target, options)
  return { ...r, discardedBytes }
}

/**
 * Imports raw TIC bytes (a capture as read from the serial port, or a file of them) into a
 * store. For a file, `start` defaults to its modification time; for bytes it is required.
 */
export async function importCapture(input: Uint8Array | string, target: string | StoreTarget, options: ImportOptions = {}): Promise<ImportResult> {
  const bytes = typeof input === 'string' ? await readFile(input) : input
  let start = options.start
  if (start === undefined && typeof input === 'string') start = Math.floor((await stat(input)).mtimeMs / 1000) * 1000
  return importChunks([{ atMs: null, bytes }], target, { ...options, start })
}
