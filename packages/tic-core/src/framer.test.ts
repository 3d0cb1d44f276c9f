import { describe, expect, it } from 'vitest'
import { createTicFramer } from './framer.js'
import type { FramerEvent } from './framer.js'
import { buildFrame, bytesOf, chunks, concat, splits } from './testing/index.js'

const decoder = new TextDecoder('latin1')
const text = (e: FramerEvent): string =>
  e.kind === 'frame' ? decoder.decode(e.frame.bytes) : `<${e.reason}:${String(e.byteCount)}>`

function run(input: Uint8Array | Uint8Array[], options?: { maxFrameBytes?: number }): string[] {
  const framer = createTicFramer(options)
  const parts = Array.isArray(input) ? input : [input]
  return [...parts.flatMap((p) => framer.push(p)), ...framer.end()].map(text)
}

const A = buildFrame('historique', [
  ['ADCO', '021861348497'],
  ['PAPP', '00450'],
])
const B = buildFrame('standard', [
  ['ADSC', '021861348497'],
  ['SINSTS', '00263'],
])
const inner = (f: Uint8Array): string => decoder.decode(f.subarray(1, f.length - 1))

describe('createTicFramer', () => {
  it('emits the content between STX and ETX', () => {
    expect(run(A)).toEqual([inner(A)])
  })
  it('is independent of chunking: every split point', () => {
    const stream = concat([A, B])
    for (const [x, y] of splits(stream)) expect(run([x, y])).toEqual([inner(A), inner(B)])
  })
  it('works one byte at a time', () => {
    expect(run(chunks(concat([A, B, A]), 1))).toEqual([inner(A), inner(B), inner(A)])
  })
  it('emits two frames from one chunk', () => {
    expect(run(concat([A, B]))).toEqual([inner(A), inner(B)])
  })
  it('discards bytes before the first STX and between frames, with a reason and count', () => {
    expect(run(concat([bytesOf('garbage'), A, bytesOf('\r\n'), B]))).toEqual([
      '<outside-frame:7>',
      inner(A),
      '<outside-frame:2>',
      inner(B),
    ])
  })
  it('drops a frame interrupted by EOT and resumes at the next STX', () => {
    const cut = A.subarray(0, 20)
    expect(run(concat([cut, bytesOf('\x04'), B]))).toEqual(['<interrupted:21>', inner(B)])
  })
  it('restarts on an STX inside a frame', () => {
    const cut = A.subarray(0, 15)
    expect(run(concat([cut, B]))).toEqual(['<restarted:15>', inner(B)])
  })
  it('drops an oversize frame up to the next STX, holding bounded memory', () => {
    const big = concat([bytesOf('\x02'), new Uint8Array(5000).fill(0x41), bytesOf('\x03')])
    expect(run(concat([big, A]), { maxFrameBytes: 1024 })).toEqual(['<oversize:5002>', inner(A)])
  })
  it('reports a frame still open at the end of input as truncated', () => {
    expect(run(A.subarray(0, 30))).toEqual(['<truncated:30>'])
  })
  it('masks bit 7 (a port opened 8N1 leaves parity there)', () => {
    const parity = A.map((b) => b | 0x80)
    expect(run(parity)).toEqual([inner(A)])
  })
  it('rejects a nonsensical maxFrameBytes', () => {
    expect(() => createTicFramer({ maxFrameBytes: 3 })).toThrow(RangeError)
  })
  it('gives each frame its own copy of the bytes', () => {
    const framer = createTicFramer()
    const [first] = framer.push(A)
    framer.push(B)
    expect(first?.kind === 'frame' && decoder.decode(first.frame.bytes)).toBe(inner(A))
  })
})

describe('createTicFramer word scan', () => {
  // Long runs are scanned 4 bytes at a time from aligned memory: a control or 8-bit byte at any
  // position and any memory alignment must give what the byte-by-byte path (1-byte chunks) gives.
  const long = buildFrame('standard', [
    ['ADSC', '021861348497'],
    ['NGTF', 'H PLEINE/CREUSE '],
    ['EAST', '000123456'],
    ['SINSTS', '00263'],
  ])
  const byteByByte = (stream: Uint8Array): string[] => run(chunks(stream, 1))
  it('finds control and 8-bit bytes at every position and alignment', () => {
    for (const odd of [0x00, 0x02, 0x03, 0x04, 0x82, 0x83, 0x84, 0x80, 0xc1, 0xff]) {
      for (let at = 1; at < long.length; at++) {
        const stream = concat([long, long])
        stream[long.length + at] = odd
        for (let shift = 0; shift < 4; shift++) {
          const memory = new Uint8Array(stream.length + 8)
          memory.set(stream, shift)
          const view = memory.subarray(shift, shift + stream.length)
          expect(run(view)).toEqual(byteByByte(stream))
        }
      }
    }
  })
  it('reads Node Buffers sharing one memory', () => {
    const stream = Buffer.from(concat([long, long, long]))
    const framer = createTicFramer()
    const out: string[] = []
    for (const [x, y] of [
      [0, 77],
      [77, 301],
      [301, stream.length],
    ] as const) {
      out.push(...framer.push(stream.subarray(x, y)).map(text))
    }
    expect([...out, ...framer.end().map(text)]).toEqual(byteByByte(stream))
  })
})
