import { readFile, stat } from 'node:fs/promises'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicModeSetting } from '@linkyrpi/tic-core'
import { openStore } from './open-store.js'
import type { OpenStoreOptions, StoreTarget } from './open-store.js'
import type { StoreRecord } from './rows.js'

/** Options of {@link importCapture} and {@link importRecords}. */
export interface ImportOptions extends OpenStoreOptions {
  /** TIC mode of the capture (default `auto`). */
  readonly mode?: TicModeSetting
  /**
   * Receive time of the first frame, epoch ms. Frames without a meter clock (historique) are
   * timed `start + i × intervalMs`. Default: the file's modification time minus the capture's
   * duration at `intervalMs`, so that importing the same file again gives the same times; for
   * bytes, 0 is not a sensible default, so `start` is required.
   */
  readonly start?: number
  /** Interval between frames for frames without a clock (ms, default 1500 — a historique meter's pace). */
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
  /** Frames already in the store (a second import of the same capture stores nothing). */
  readonly duplicates: number
  /** Frames without a meter id, which cannot be stored. */
  readonly unstorable: number
  /** Bytes discarded by the framer (noise, interrupted frames). */
  readonly discardedBytes: number
}

/**
 * Writes records into a store in batches, pulling from `records` only as fast as the database
 * commits (bounded memory). Idempotent: records already stored are counted as duplicates.
 */
export async function importRecords(
  records: Iterable<StoreRecord> | AsyncIterable<StoreRecord>,
  target: string | StoreTarget,
  options: ImportOptions = {},
): Promise<Omit<ImportResult, 'discardedBytes'>> {
  const store = await openStore(target, options)
  const batchSize = options.batchSize ?? 5000
  let frames = 0
  let stored = 0
  let duplicates = 0
  let unstorable = 0
  try {
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
  } finally {
    await store.close()
  }
  return { frames, stored, duplicates, unstorable }
}

/**
 * Imports a raw TIC capture (bytes as read from the serial port) into a store: a SQLite file
 * path or a `postgres://` URL. Importing the same capture twice leaves exactly the same rows.
 */
export async function importCapture(input: Uint8Array | string, target: string | StoreTarget, options: ImportOptions = {}): Promise<ImportResult> {
  const bytes = typeof input === 'string' ? await readFile(input) : input
  const intervalMs = options.intervalMs ?? 1500
  const decoder = createTicDecoder({ mode: options.mode ?? 'auto', reading: true })
  const readings: StoreRecord['reading'][] = []
  let discardedBytes = 0
  const onEvent = (e: ReturnType<typeof decoder.end>[number]): void => {
    if (e.kind === 'frame') {
      if (e.frame.reading !== undefined) readings.push(e.frame.reading)
    } else discardedBytes += e.byteCount
  }
  decoder.write(bytes, onEvent)
  for (const e of decoder.end()) onEvent(e)
  let start = options.start
  if (start === undefined) {
    if (typeof input !== 'string') throw new TypeError("importCapture: 'start' (epoch ms) is required when importing bytes")
    start = (await stat(input)).mtimeMs - readings.length * intervalMs
    start = Math.floor(start / 1000) * 1000
  }
  const t0 = start
  const records = readings.map((reading, i): StoreRecord => ({ reading, receivedAt: t0 + i * intervalMs }))
  const r = await importRecords(records, target, options)
  return { ...r, discardedBytes }
}
