import { describe, expect, it } from 'vitest'
import { intArrayLiteral, intArraysLiteral, textArrayLiteral } from './pg-array-literal.js'

describe('intArrayLiteral', () => {
  it('writes integers and nulls of one column', () => {
    const rows = [
      ['a', 1],
      ['b', null],
      ['c', -9_007_199_254_740_991],
      ['d', undefined],
    ]
    expect(intArrayLiteral(rows, 1)).toBe('{1,NULL,-9007199254740991,NULL}')
  })

  it('writes an empty array', () => {
    expect(intArrayLiteral([], 0)).toBe('{}')
  })

  it('refuses fractions, NaN and strings rather than storing them wrong', () => {
    expect(() => intArrayLiteral([[1.5]], 0)).toThrow(/row 0, column 0: 1.5 is not an integer/)
    expect(() => intArrayLiteral([[1], [Number.NaN]], 0)).toThrow(/row 1/)
    expect(() => intArrayLiteral([['12']], 0)).toThrow(TypeError)
  })
})

describe('textArrayLiteral', () => {
  it('quotes every string and escapes quotes and backslashes', () => {
    const rows = [['x'], [null], ['say "hi"'], ['C:\\dir'], ['{a,b}'], ['NULL'], ['']]
    expect(textArrayLiteral(rows, 0)).toBe(
      '{"x",NULL,"say \\"hi\\"","C:\\\\dir","{a,b}","NULL",""}',
    )
  })
})

describe('intArraysLiteral', () => {
  it('writes one quoted array literal per row, null arrays as NULL', () => {
    const rows = [{ a: [1, null, 3] }, { a: null }, { a: [] }]
    expect(intArraysLiteral(rows, 'a')).toBe('{"{1,NULL,3}",NULL,"{}"}')
  })

  it('refuses a non-integer element', () => {
    expect(() => intArraysLiteral([{ a: [1.5] }], 'a')).toThrow(TypeError)
    expect(() => intArraysLiteral([{ a: 7 }], 'a')).toThrow(/not an array/)
  })
})
