import { describe, expect, it } from 'vitest'
import {
  BLOCK_MS,
  blockHour,
  blockKey,
  blockSample,
  sampleOfBlock,
  sortBlockRegisters,
  sortBlockSamples,
} from './sample-blocks.js'
import type { BlockRegister, BlockSample } from './sample-blocks.js'
import { BLOCK_SAMPLE_FIELDS } from './schema.js'
import type { RowOf } from './schema.js'

const HOUR = Date.UTC(2026, 11, 5, 10)
const base: RowOf<'sample_rows'> = {
  m: 7,
  t: HOUR + 1234,
  rx: 5,
  flags: 1,
  va: 1500,
  va1: null,
  va2: null,
  va3: null,
  injected_va: null,
  i1: 6,
  i2: null,
  i3: null,
  u1: 231,
  u2: null,
  u3: null,
  period_index: 2,
  period_code: 1,
  import_wh: 12_345_678,
  export_wh: null,
}

describe('sample blocks', () => {
  it('names the hour and the meter-hour of a time', () => {
    expect(blockHour(HOUR)).toBe(HOUR)
    expect(blockHour(HOUR + BLOCK_MS - 1)).toBe(HOUR)
    expect(blockHour(HOUR + BLOCK_MS)).toBe(HOUR + BLOCK_MS)
    expect(blockHour(-1)).toBe(-BLOCK_MS)
    expect(blockKey(7, HOUR)).not.toBe(blockKey(7, HOUR + BLOCK_MS))
    expect(blockKey(7, HOUR)).not.toBe(blockKey(8, HOUR))
    expect(Number.isSafeInteger(blockKey(2 ** 31, HOUR))).toBe(true)
  })

  it('packs a single-phase sample without its trailing nulls, and unpacks it whole', () => {
    const a = blockSample(base, HOUR)
    expect(a).toEqual([1234, 5, 1, 1500, 6, 231, 2, 1, 12_345_678])
    expect(JSON.stringify(a)).toBe('[1234,5,1,1500,6,231,2,1,12345678]')
    expect(sampleOfBlock(7, HOUR, a)).toEqual(base)
  })

  it('puts each column at its BLOCK_SAMPLE_FIELDS position (what the views and down read)', () => {
    const row = Object.fromEntries(
      Object.keys(base).map((c, k) => [c, c === 'm' ? 7 : c === 't' ? HOUR + 99 : 1000 + k]),
    ) as RowOf<'sample_rows'>
    const a = blockSample(row, HOUR)
    expect(a).toHaveLength(BLOCK_SAMPLE_FIELDS.length)
    BLOCK_SAMPLE_FIELDS.forEach((f, k) => expect([f, a[k]]).toEqual([f, f === 'dt' ? 99 : row[f]]))
  })

  it('keeps inner nulls and every column of a three-phase producer', () => {
    const rows: RowOf<'sample_rows'>[] = [
      { ...base, import_wh: null },
      { ...base, export_wh: 99 },
      { ...base, va: null, period_index: null, export_wh: 4 },
      {
        ...base,
        flags: 3,
        va1: 500,
        va2: 400,
        va3: 600,
        injected_va: 30,
        i2: 2,
        i3: 3,
        u2: 229,
        u3: 232,
      },
      { ...base, va1: 500, va2: null, va3: null },
      { ...base, u3: 228 },
    ]
    for (const row of rows) {
      const a = blockSample(row, HOUR)
      expect(a.at(-1)).not.toBeNull()
      // Through JSON, as stored.
      const back = JSON.parse(JSON.stringify(a)) as BlockSample
      expect(sampleOfBlock(7, HOUR, back)).toEqual(row)
    }
  })

  it('sorts samples and register changes by time, keeping the order of equal times', () => {
    const s: BlockSample[] = [[5], [1], [3]]
    expect(sortBlockSamples(s).map((a) => a[0])).toEqual([1, 3, 5])
    const sorted: BlockSample[] = [[1], [2]]
    expect(sortBlockSamples(sorted)).toBe(sorted)
    const r: BlockRegister[] = [
      [200, 9, 1],
      [1, 2, 5],
      [200, 2, 6],
    ]
    expect(sortBlockRegisters(r)).toEqual([
      [1, 2, 5],
      [200, 2, 6],
      [200, 9, 1],
    ])
  })
})
