import { describe, expect, it } from 'vitest'
import { cachedLatin1 } from './string-cache.js'

describe('cachedLatin1', () => {
  it('gives the latin1 text of any length (1-16 built in one call, longer ones otherwise) at any offset', () => {
    const bytes = new Uint8Array(200).map((_, i) => 0x20 + ((i * 7) % 0x5f))
    for (let start = 0; start < 5; start++) {
      for (let n = 0; n <= 40; n++) {
        const text = cachedLatin1(bytes, start, start + n)
        expect(text).toBe(Buffer.from(bytes.subarray(start, start + n)).toString('latin1'))
        expect(cachedLatin1(bytes.slice(start, start + n), 0, n)).toBe(text)
      }
    }
  })
})
