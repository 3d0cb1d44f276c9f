import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { StoreRecord } from './rows.js'

/** Default spool capacity: 256 MiB (about 120,000 frames, more than two days at one frame per 1.5 s). */
export const DEFAULT_SPOOL_CAPACITY_BYTES = 256 * 1024 * 1024

const NAME = /^(\d{16})\.jsonl$/
const MIDDLE = 5_000_000_000_000_000

function serialize(records: readonly StoreRecord[]): string {
  let text = ''
  for (const r of records)
    text += `${JSON.stringify({ receivedAt: r.receivedAt, reading: r.reading })}\n`
  return text
}

/** One spooled batch. */
export interface SpoolSegment {
  readonly name: string
  readonly records: StoreRecord[]
  readonly bytes: number
}

/**
 * A bounded on-disk FIFO of records, for database outages. Each batch is one file (`<16 digits>.jsonl`,
 * one JSON record per line) written to a temporary name, fsynced and renamed, so a crash leaves
 * either the whole batch or nothing. Segments are read back oldest first; `prepend` puts a batch
 * before every other one (a batch that failed while newer frames were already spooled).
 */
export class Spool {
  readonly #dir: string
  readonly #capacity: number
  #segments: { seq: number; bytes: number }[] = []
  #used = 0

  /** Opens (creates) the spool directory and picks up segments left by a previous run. */
  constructor(dir: string, capacityBytes: number = DEFAULT_SPOOL_CAPACITY_BYTES) {
    this.#dir = dir
    this.#capacity = capacityBytes
    mkdirSync(dir, { recursive: true })
    for (const f of readdirSync(dir)) {
      const m = NAME.exec(f)
      if (m === null) {
        // A temporary file from a write interrupted by a crash: its batch was never acknowledged.
        if (f.endsWith('.tmp')) rmSync(join(dir, f), { force: true })
        continue
      }
      const bytes = statSync(join(dir, f)).size
      this.#segments.push({ seq: Number(m[1]), bytes })
      this.#used += bytes
    }
    this.#segments.sort((a, b) => a.seq - b.seq)
  }

  /** The spool directory. */
  get dir(): string {
    return this.#dir
  }
  /** Bytes used by spooled batches. */
  get usedBytes(): number {
    return this.#used
  }
  /** Capacity in bytes. */
  get capacityBytes(): number {
    return this.#capacity
  }
  /** True when nothing is spooled. */
  get isEmpty(): boolean {
    return this.#segments.length === 0
  }

  /** Appends a batch after every other one; false (nothing written) when it would exceed the capacity. */
  append(records: readonly StoreRecord[]): boolean {
    const last = this.#segments.at(-1)
    return this.#write(records, last === undefined ? MIDDLE : last.seq + 1, false)
  }

  /** Puts a batch before every other one; false (nothing written) when it would exceed the capacity. */
  prepend(records: readonly StoreRecord[]): boolean {
    const first = this.#segments[0]
    return this.#write(records, first === undefined ? MIDDLE : first.seq - 1, true)
  }

  /**
   * Puts several batches (oldest first) before every other one, keeping their order. When they do
   * not all fit, the oldest ones that fit are written. Returns how many batches were written.
   */
  prependBatches(batches: readonly (readonly StoreRecord[])[]): number {
    const texts = batches.map((b) => serialize(b))
    let room = this.#capacity - this.#used
    let fit = 0
    while (fit < texts.length && Buffer.byteLength(texts[fit]!) <= room)
      room -= Buffer.byteLength(texts[fit++]!)
    for (let i = fit - 1; i >= 0; i--) {
      const first = this.#segments[0]
      this.#store(texts[i]!, first === undefined ? MIDDLE : first.seq - 1, true)
    }
    return fit
  }

  /** The oldest batch, or null. */
  peek(): SpoolSegment | null {
    const s = this.#segments[0]
    if (s === undefined) return null
    const name = `${String(s.seq).padStart(16, '0')}.jsonl`
    const text = readFileSync(join(this.#dir, name), 'utf8')
    const records: StoreRecord[] = []
    for (const line of text.split('\n'))
      if (line.length > 0) records.push(JSON.parse(line) as StoreRecord)
    return { name, records, bytes: s.bytes }
  }

  /** Deletes the oldest batch (after it has been committed to the database). */
  shift(): void {
    const s = this.#segments.shift()
    if (s === undefined) return
    rmSync(join(this.#dir, `${String(s.seq).padStart(16, '0')}.jsonl`), { force: true })
    this.#used -= s.bytes
  }

  #write(records: readonly StoreRecord[], seq: number, front: boolean): boolean {
    if (records.length === 0) return true
    const text = serialize(records)
    if (this.#used + Buffer.byteLength(text) > this.#capacity) return false
    this.#store(text, seq, front)
    return true
  }

  #store(text: string, seq: number, front: boolean): void {
    const bytes = Buffer.byteLength(text)
    const name = `${String(seq).padStart(16, '0')}.jsonl`
    const tmp = join(this.#dir, `${name}.tmp`)
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, join(this.#dir, name))
    const entry = { seq, bytes }
    if (front) this.#segments.unshift(entry)
    else this.#segments.push(entry)
    this.#used += bytes
  }
}
