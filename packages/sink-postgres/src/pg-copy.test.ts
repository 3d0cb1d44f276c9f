import { describe, expect, it } from 'vitest'
import { CopyIn, copyBinaryRows } from './pg-copy.js'

describe('copyBinaryRows', () => {
  it('writes the header, each tuple with its field count and lengths, nulls as -1, the trailer', () => {
    const buf = copyBinaryRows(
      [
        { a: 5, b: null, c: 'é' },
        { a: -2, b: 7, c: undefined },
      ],
      [
        { name: 'a', type: 'int2' },
        { name: 'b', type: 'int4' },
        { name: 'c', type: 'text' },
      ],
    )
    expect(buf.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0')
    expect([buf.readInt32BE(11), buf.readInt32BE(15)]).toEqual([0, 0])
    let o = 19
    const next = (n: 2 | 4): number => {
      const v = n === 2 ? buf.readInt16BE(o) : buf.readInt32BE(o)
      o += n
      return v
    }
    // Row 1: 3 fields; a = 5 (2 bytes); b null; c = 'é' (2 UTF-8 bytes).
    expect([next(2), next(4), next(2), next(4), next(4)]).toEqual([3, 2, 5, -1, 2])
    expect(buf.subarray(o, o + 2).toString('utf8')).toBe('é')
    o += 2
    // Row 2: a = -2, b = 7, c null.
    expect([next(2), next(4), next(2), next(4), next(4), next(4)]).toEqual([3, 2, -2, 4, 7, -1])
    expect(next(2)).toBe(-1)
    expect(buf.length).toBe(o)
  })

  it('writes int8 values beyond 32 bits and negative ones exactly', () => {
    const values = [2 ** 40 + 7, -(2 ** 35) - 3, Number.MAX_SAFE_INTEGER, -1]
    const buf = copyBinaryRows(
      values.map((v) => ({ v })),
      [{ name: 'v', type: 'int8' }],
    )
    const out = values.map((_, i) => Number(buf.readBigInt64BE(19 + i * 14 + 2 + 4)))
    expect(out).toEqual(values)
    expect(buf.length).toBe(19 + values.length * 14 + 2)
  })

  it('refuses what the column cannot hold, as the unnest path does', () => {
    expect(() => copyBinaryRows([{ v: 1.5 }], [{ name: 'v', type: 'int4' }])).toThrow(TypeError)
    expect(() => copyBinaryRows([{ v: '3' }], [{ name: 'v', type: 'int8' }])).toThrow(TypeError)
    expect(() => copyBinaryRows([{ v: 40_000 }], [{ name: 'v', type: 'int2' }])).toThrow(RangeError)
    expect(() => copyBinaryRows([{ v: 'a\0b' }], [{ name: 'v', type: 'text' }])).toThrow(TypeError)
  })
})

describe('CopyIn', () => {
  /** A connection that records what the query sends. */
  const connection = (): { sent: string[]; c: Record<string, (x?: unknown) => void> } => {
    const sent: string[] = []
    return {
      sent,
      c: {
        query: (text) => sent.push(`query ${String(text)}`),
        sendCopyFromChunk: (chunk) => sent.push(`data ${String((chunk as Buffer).length)}`),
        endCopyFrom: () => sent.push('done'),
      },
    }
  }

  it('sends the statement, then the data when the server asks, and resolves when it is ready', async () => {
    const { sent, c } = connection()
    const copy = new CopyIn('copy t (a) from stdin (format binary)', Buffer.alloc(21))
    copy.submit(c)
    copy.handleCopyInResponse(c)
    copy.handleCommandComplete()
    copy.handleReadyForQuery()
    await expect(copy.done).resolves.toBeUndefined()
    expect(sent).toEqual(['query copy t (a) from stdin (format binary)', 'data 21', 'done'])
  })

  it("rejects with the server's error, once", async () => {
    const { c } = connection()
    const copy = new CopyIn('copy t (a) from stdin (format binary)', Buffer.alloc(21))
    copy.submit(c)
    copy.handleCopyInResponse(c)
    const error = Object.assign(new Error('duplicate key'), { code: '23505' })
    copy.handleError(error)
    copy.handleReadyForQuery()
    await expect(copy.done).rejects.toBe(error)
  })
})
