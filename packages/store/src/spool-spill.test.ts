import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '@linkyrpi/tic-core/stage'
import { StoreSpoolFullError } from './errors.js'
import type { StoreRecord } from './rows.js'
import { Spool } from './spool.js'
import { SpoolSpill } from './spool-spill.js'

describe('SpoolSpill', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const spoolOf = (capacityBytes: number): Spool => {
    const d = mkdtempSync(join(tmpdir(), 'linky-spill-'))
    dirs.push(d)
    return new Spool(d, capacityBytes)
  }
  const records = (n: number, from = 0): StoreRecord[] =>
    Array.from(
      { length: n },
      (_, i) =>
        ({ receivedAt: from + i, reading: { x: 'y'.repeat(50) } }) as unknown as StoreRecord,
    )
  const warnings: unknown[] = []
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => warnings.push(m),
    error: () => undefined,
    child: () => log,
  } as unknown as Logger

  it('puts frames that fail before everything spooled, in batches, and drops (counting) what does not fit', () => {
    const spill = new SpoolSpill(spoolOf(1000), 'drop-newest', log)
    expect(spill.append(records(2, 100))).toBeUndefined()
    expect(spill.prepend(records(4), 2)).toBeUndefined()
    expect(spill.spool.peek()?.records.map((r) => r.receivedAt)).toEqual([0, 1])
    spill.spool.shift()
    expect(spill.spool.peek()?.records.map((r) => r.receivedAt)).toEqual([2, 3])
    expect(spill.append(records(20, 200))).toBeUndefined()
    expect(spill.dropped).toBe(20)
    expect(warnings).toContain('spool full, dropping incoming frames')
  })

  it("returns a StoreSpoolFullError with onFull: 'fail'", () => {
    const spill = new SpoolSpill(spoolOf(100), 'fail', log)
    expect(spill.append(records(5))).toBeInstanceOf(StoreSpoolFullError)
    expect(spill.prepend(records(5), 1)).toBeInstanceOf(StoreSpoolFullError)
    expect(spill.dropped).toBe(0)
  })
})
