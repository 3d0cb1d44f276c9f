import { describe, expect, it } from 'vitest'
import { CaptureParser, encodeRecord, encodeRecordingHeader } from './capture-format.js'
import type { CaptureChunk } from './capture-format.js'
import { concat } from '@linkyrpi/tic-core/testing'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

function file(): Uint8Array {
  const parts = [
    encodeRecordingHeader({
      startedAt: '2026-01-12T00:00:00.000Z',
      source: '/dev/ttyAMA0',
      baudRate: 1200,
    }),
    encodeRecord(1000, bytes('\x02\nADCO')),
    encodeRecord(1250.5, bytes(' 0123\r\x03')),
  ]
  return concat(parts)
}

function parseInPieces(
  data: Uint8Array,
  size: number,
): { chunks: CaptureChunk[]; parser: CaptureParser } {
  const parser = new CaptureParser()
  const chunks: CaptureChunk[] = []
  for (let o = 0; o < data.length; o += size)
    chunks.push(
      ...parser
        .push(data.slice(o, o + size))
        .map((c) => ({ atMs: c.atMs, bytes: c.bytes.slice() })),
    )
  parser.end()
  const held = parser.takeHeld()
  if (held.length > 0) chunks.push({ atMs: null, bytes: held })
  return { chunks, parser }
}

describe('recording format', () => {
  it('round-trips header, timestamps and bytes whatever the read size', () => {
    const data = file()
    for (const size of [1, 2, 7, 13, 64, data.length]) {
      const { chunks, parser } = parseInPieces(data, size)
      expect(parser.kind).toBe('recording')
      expect(parser.header).toMatchObject({ source: '/dev/ttyAMA0', baudRate: 1200 })
      expect(chunks).toEqual([
        { atMs: 1000, bytes: bytes('\x02\nADCO') },
        { atMs: 1250.5, bytes: bytes(' 0123\r\x03') },
      ])
    }
  })

  it('ignores and counts a last record cut short', () => {
    const data = file()
    const { chunks, parser } = parseInPieces(data.subarray(0, data.length - 3), 5)
    expect(chunks).toHaveLength(1)
    expect(parser.truncatedBytes).toBe(12 + 7 - 3)
  })

  it('passes a raw capture through unchanged, even a tiny one', () => {
    for (const raw of [bytes('\x02\nADCO 0123 ?\r\x03'), bytes('LINK'), bytes('\x02')]) {
      const { chunks, parser } = parseInPieces(raw, 3)
      expect(parser.kind).toBe('raw')
      expect(chunks.every((c) => c.atMs === null)).toBe(true)
      expect(Buffer.concat(chunks.map((c) => c.bytes))).toEqual(Buffer.from(raw))
    }
  })

  it('rejects an unknown version and a damaged header with a clear message', () => {
    const data = file()
    data[8] = 9
    expect(() => new CaptureParser().push(data)).toThrow(/version 9/)
    const bad = file()
    bad[13] = 0x7b + 1
    expect(() => new CaptureParser().push(bad)).toThrow(/not valid JSON/)
  })
})
