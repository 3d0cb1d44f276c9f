/**
 * The LinkyRPi recording format (`.ticrec`): raw serial bytes with their receive times, so a
 * replay keeps the original timing. Documented in docs/sources.md.
 *
 * ```
 * offset  size  content
 * 0       8     magic "LINKYREC" (ASCII)
 * 8       1     format version, 1
 * 9       4     header length N, unsigned 32-bit little-endian
 * 13      N     header: UTF-8 JSON object (RecordingHeader)
 * then, until the end of the file, one record per chunk received:
 *         8     receive time, epoch milliseconds, IEEE-754 float64 little-endian
 *         4     chunk length L, unsigned 32-bit little-endian
 *         L     the bytes exactly as the serial port delivered them
 * ```
 *
 * A file that does not start with the magic is a plain raw capture (like the fixtures) and is
 * accepted everywhere a recording is. A last record cut short (the recorder was killed) is
 * ignored and counted.
 */

/** The 8 bytes a recording starts with. */
export const RECORDING_MAGIC = 'LINKYREC'
/** The format version this code writes and reads. */
export const RECORDING_VERSION = 1
const PREFIX = 13
const RECORD_HEAD = 12

/** The JSON header of a recording. Unknown fields are kept and ignored. */
export interface RecordingHeader {
  /** When recording started, ISO 8601. */
  readonly startedAt: string
  /** Where the bytes came from (`/dev/ttyUSB0`, `simulator`). */
  readonly source?: string
  /** Serial speed in Bd when known. */
  readonly baudRate?: number
  /** TIC mode when known. */
  readonly mode?: 'historique' | 'standard'
  /** The program that wrote the file. */
  readonly tool?: string
  readonly [extra: string]: unknown
}

/** The file prefix: magic, version and JSON header. */
export function encodeRecordingHeader(header: RecordingHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header))
  const out = new Uint8Array(PREFIX + json.length)
  for (let i = 0; i < 8; i++) out[i] = RECORDING_MAGIC.charCodeAt(i)
  out[8] = RECORDING_VERSION
  new DataView(out.buffer).setUint32(9, json.length, true)
  out.set(json, PREFIX)
  return out
}

/** One record: `bytes` received at `atMs` (epoch ms). */
export function encodeRecord(atMs: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEAD + bytes.length)
  const view = new DataView(out.buffer)
  view.setFloat64(0, atMs, true)
  view.setUint32(8, bytes.length, true)
  out.set(bytes, RECORD_HEAD)
  return out
}

/** A chunk read back from a capture: `atMs` is null for a raw capture (no timing). */
export interface CaptureChunk {
  readonly atMs: number | null
  readonly bytes: Uint8Array
}

/** What {@link CaptureParser} found at the start of the input. */
export type CaptureKind = 'recording' | 'raw'

/**
 * Incremental parser of a capture file: push the file's chunks in order, get chunks back. It
 * decides between a recording and a raw capture from the first 8 bytes. Throws a TypeError on
 * a recording with an unknown version or a header that is not JSON.
 */
export class CaptureParser {
  kind: CaptureKind | null = null
  header: RecordingHeader | null = null
  /** Bytes of a last record cut short, reported by `end()`. */
  truncatedBytes = 0
  private pending: Uint8Array = new Uint8Array(0)

  /** Feeds the next part of the file; returns the chunks it completes. */
  push(data: Uint8Array): CaptureChunk[] {
    if (this.kind === 'raw') return data.length === 0 ? [] : [{ atMs: null, bytes: data }]
    let buf = this.pending.length === 0 ? data : concat(this.pending, data)
    this.pending = new Uint8Array(0)
    if (this.kind === null) {
      if (buf.length < 8) {
        if (isMagicPrefix(buf)) {
          this.pending = buf
          return []
        }
        this.kind = 'raw'
        return buf.length === 0 ? [] : [{ atMs: null, bytes: buf }]
      }
      if (!isMagicPrefix(buf.subarray(0, 8))) {
        this.kind = 'raw'
        return [{ atMs: null, bytes: buf }]
      }
      if (buf.length < PREFIX) {
        this.pending = buf
        return []
      }
      const version = buf[8]!
      if (version !== RECORDING_VERSION)
        throw new TypeError(
          `recording format version ${String(version)} is not supported (this program reads ${String(RECORDING_VERSION)})`,
        )
      const n = new DataView(buf.buffer, buf.byteOffset, buf.length).getUint32(9, true)
      if (buf.length < PREFIX + n) {
        this.pending = buf
        return []
      }
      try {
        this.header = JSON.parse(
          new TextDecoder().decode(buf.subarray(PREFIX, PREFIX + n)),
        ) as RecordingHeader
      } catch (error) {
        throw new TypeError('recording header is not valid JSON', { cause: error })
      }
      this.kind = 'recording'
      buf = buf.subarray(PREFIX + n)
    }
    const out: CaptureChunk[] = []
    let o = 0
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length)
    while (buf.length - o >= RECORD_HEAD) {
      const at = view.getFloat64(o, true)
      const len = view.getUint32(o + 8, true)
      if (buf.length - o - RECORD_HEAD < len) break
      out.push({ atMs: at, bytes: buf.subarray(o + RECORD_HEAD, o + RECORD_HEAD + len) })
      o += RECORD_HEAD + len
    }
    if (o < buf.length) this.pending = buf.slice(o)
    return out
  }

  /** Ends the input; returns the number of trailing bytes that did not form a whole record. */
  end(): number {
    if (this.kind === null && this.pending.length > 0) {
      // Shorter than a magic: it is raw bytes after all.
      this.kind = 'raw'
    }
    this.truncatedBytes = this.kind === 'recording' ? this.pending.length : 0
    return this.truncatedBytes
  }

  /** For a raw capture whose first bytes were held back while deciding: they, once. */
  takeHeld(): Uint8Array {
    const held = this.kind === 'raw' ? this.pending : new Uint8Array(0)
    if (this.kind === 'raw') this.pending = new Uint8Array(0)
    return held
  }
}

function isMagicPrefix(b: Uint8Array): boolean {
  for (let i = 0; i < b.length && i < 8; i++)
    if (b[i] !== RECORDING_MAGIC.charCodeAt(i)) return false
  return true
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
