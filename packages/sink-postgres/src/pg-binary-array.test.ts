import { describe, expect, it } from 'vitest'
import { binaryIntArray, binaryTextArray } from './pg-binary-array.js'

describe('binaryIntArray', () => {
  it('writes the header, then each element with its length, nulls as -1', () => {
    const buf = binaryIntArray([[5], [null], [-2]], 0, 'int4')
    expect(buf.readInt32BE(0)).toBe(1)
    expect(buf.readInt32BE(4)).toBe(1)
    expect(buf.readInt32BE(8)).toBe(23)
    expect(buf.readInt32BE(12)).toBe(3)
    expect(buf.readInt32BE(16)).toBe(1)
    expect([buf.readInt32BE(20), buf.readInt32BE(24)]).toEqual([4, 5])
    expect(buf.readInt32BE(28)).toBe(-1)
    expect([buf.readInt32BE(32), buf.readInt32BE(36)]).toEqual([4, -2])
    expect(buf.length).toBe(40)
  })

  it('writes int8 values beyond 32 bits and negative ones exactly', () => {
    const values = [2 ** 40 + 7, -(2 ** 35) - 3, Number.MAX_SAFE_INTEGER, -1]
    const buf = binaryIntArray(
      values.map((v) => ({ v })),
      'v',
      'int8',
    )
    expect(buf.readInt32BE(4)).toBe(0)
    expect(buf.readInt32BE(8)).toBe(20)
    const out = values.map((_, i) => Number(buf.readBigInt64BE(20 + i * 12 + 4)))
    expect(out).toEqual(values)
  })

  it('writes int2 and refuses what the type cannot hold', () => {
    expect(binaryIntArray([[-7]], 0, 'int2').readInt16BE(24)).toBe(-7)
    expect(() => binaryIntArray([[40_000]], 0, 'int2')).toThrow(RangeError)
    expect(() => binaryIntArray([[1.5]], 0, 'int8')).toThrow(TypeError)
    expect(() => binaryIntArray([['3']], 0, 'int4')).toThrow(TypeError)
  })
})

describe('binaryTextArray', () => {
  it('writes each element as its UTF-8 bytes after their length, nulls as -1, nothing escaped', () => {
    const buf = binaryTextArray([['a"b\\c'], [null], ['é{},']], 0)
    expect(buf.readInt32BE(0)).toBe(1)
    expect(buf.readInt32BE(4)).toBe(1)
    expect(buf.readInt32BE(8)).toBe(25)
    expect(buf.readInt32BE(12)).toBe(3)
    expect(buf.readInt32BE(16)).toBe(1)
    expect(buf.readInt32BE(20)).toBe(5)
    expect(buf.toString('utf8', 24, 29)).toBe('a"b\\c')
    expect(buf.readInt32BE(29)).toBe(-1)
    expect(buf.readInt32BE(33)).toBe(5)
    expect(buf.toString('utf8', 37, 42)).toBe('é{},')
    expect(buf.length).toBe(42)
  })

  it('has no null flag without nulls, and refuses a NUL character (PostgreSQL text cannot hold one)', () => {
    expect(binaryTextArray([{ v: 'x' }, { v: 7 }], 'v').readInt32BE(4)).toBe(0)
    expect(() => binaryTextArray([['a\0b']], 0)).toThrow(TypeError)
  })
})
