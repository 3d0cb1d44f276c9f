import { describe, expect, it } from 'vitest'
import { memoByString } from './memo-last.js'

describe('memoByString', () => {
  it('gives what the function gives, computing each input once while it stays cached', () => {
    let calls = 0
    const f = memoByString((raw) => {
      calls++
      return raw === undefined ? null : { upper: raw.toUpperCase() }
    }, 8)
    const inputs = ['a', 'b', 'c', 'd', 'e', 'a', 'b', 'c', 'd', 'e', 'a', 'e', 'z']
    const first = new Map<string, unknown>()
    for (const raw of inputs) {
      const out = f(raw)
      expect(out).toEqual({ upper: raw.toUpperCase() })
      if (first.has(raw)) expect(out).toBe(first.get(raw))
      else first.set(raw, out)
    }
    expect(calls).toBe(6)
    expect(f(undefined)).toBeNull()
    expect(f('A'.toLowerCase())).toBe(first.get('a'))
  })
  it('stays bounded: past `size` entries it starts afresh, results still right', () => {
    let calls = 0
    const f = memoByString((raw) => {
      calls++
      return raw?.length ?? -1
    }, 4)
    for (let i = 0; i < 100; i++) expect(f(String(i))).toBe(String(i).length)
    expect(calls).toBe(100)
    expect(f('99')).toBe(2)
    expect(calls).toBe(100)
  })
})
