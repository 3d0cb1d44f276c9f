import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { syntheticFrameArray } from './testing/index.js'
import { Spool } from './spool.js'

const records = syntheticFrameArray({ start: Date.UTC(2026, 0, 1), count: 6 }).map((f) => ({
  reading: f.reading,
  receivedAt: f.meta.receivedAt,
}))
const dirs: string[] = []
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'linky-spool-unit-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('Spool', () => {
  it('gives batches back oldest first; prepend goes before everything', () => {
    const s = new Spool(dir())
    expect(s.isEmpty).toBe(true)
    expect(s.append(records.slice(2, 4))).toBe(true)
    expect(s.append(records.slice(4, 6))).toBe(true)
    expect(s.prepend(records.slice(0, 2))).toBe(true)
    const seen: number[] = []
    for (let seg = s.peek(); seg !== null; seg = s.peek()) {
      seen.push(...seg.records.map((r) => r.receivedAt))
      s.shift()
    }
    expect(seen).toEqual(records.map((r) => r.receivedAt))
    expect(s.usedBytes).toBe(0)
  })

  it('keeps what a previous run left, and removes a half-written batch', () => {
    const d = dir()
    const a = new Spool(d)
    a.append(records.slice(0, 3))
    writeFileSync(join(d, '5000000000000001.jsonl.tmp'), '{"truncated')
    const b = new Spool(d)
    expect(b.usedBytes).toBe(a.usedBytes)
    expect(b.peek()!.records).toEqual(JSON.parse(JSON.stringify(records.slice(0, 3))))
    expect(readdirSync(d).some((f) => f.endsWith('.tmp'))).toBe(false)
  })

  it('refuses a batch that would exceed its capacity, writing nothing', () => {
    const s = new Spool(dir(), 4000)
    expect(s.append(records.slice(0, 1))).toBe(true)
    const used = s.usedBytes
    expect(s.append(records)).toBe(false)
    expect(s.usedBytes).toBe(used)
  })
})

describe('Spool.prependBatches', () => {
  it('puts several batches first, in order, and keeps the oldest ones that fit', () => {
    const s = new Spool(dir())
    s.append(records.slice(4, 6))
    expect(s.prependBatches([records.slice(0, 2), records.slice(2, 4)])).toBe(2)
    const seen: number[] = []
    for (let seg = s.peek(); seg !== null; seg = s.peek()) {
      seen.push(...seg.records.map((r) => r.receivedAt))
      s.shift()
    }
    expect(seen).toEqual(records.map((r) => r.receivedAt))
    const small = new Spool(dir(), 5000)
    expect(small.prependBatches([records.slice(0, 1), records.slice(1, 6)])).toBe(1)
    expect(small.peek()!.records.map((r) => r.receivedAt)).toEqual([records[0]!.receivedAt])
  })
})
