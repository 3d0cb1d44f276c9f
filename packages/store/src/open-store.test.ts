import { describe, expect, it } from 'vitest'
import { autoResolution } from './history-store.js'
import { parseStoreTarget } from './open-store.js'
import { StoreTargetError } from './errors.js'

describe('parseStoreTarget', () => {
  it('reads PostgreSQL URLs with an optional schema, and anything else as a SQLite path', () => {
    expect(parseStoreTarget('postgres://u@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' })
    expect(parseStoreTarget('postgresql://u@h/db?schema=linky')).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db', schema: 'linky' })
    expect(parseStoreTarget('/var/lib/linkyrpi/linky.db')).toEqual({ kind: 'sqlite', path: '/var/lib/linkyrpi/linky.db' })
    expect(parseStoreTarget('linky.db')).toEqual({ kind: 'sqlite', path: 'linky.db' })
  })

  it('rejects other URLs, empty targets and unsafe schema names', () => {
    expect(() => parseStoreTarget('mysql://h/db')).toThrow(StoreTargetError)
    expect(() => parseStoreTarget('')).toThrow(StoreTargetError)
    expect(() => parseStoreTarget('postgres://h/db?schema=x;drop')).toThrow(/invalid schema name/)
  })
})

describe('autoResolution', () => {
  const DAY = 86_400_000
  it('serves raw samples up to a day, then the coarsest rollup giving at least 300 points', () => {
    expect(autoResolution(0, DAY)).toBe('raw')
    expect(autoResolution(0, 7 * DAY)).toBe('1m')
    expect(autoResolution(0, 30 * DAY)).toBe('1h')
    expect(autoResolution(0, 365 * DAY)).toBe('1d')
  })
})
