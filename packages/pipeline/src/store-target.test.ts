import { describe, expect, it } from 'vitest'
import { StoreTargetError } from '@linkyrpi/store'
import { parseStoreTarget } from './store-target.js'

describe('parseStoreTarget', () => {
  it('reads PostgreSQL URLs with an optional schema, and anything else as a SQLite path', () => {
    expect(parseStoreTarget('postgres://u@h:5432/db')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    })
    expect(parseStoreTarget('postgresql://u@h/db?schema=linky')).toEqual({
      kind: 'postgres',
      url: 'postgresql://u@h/db',
      schema: 'linky',
    })
    expect(parseStoreTarget('/var/lib/linkyrpi/linky.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/linkyrpi/linky.db',
    })
    expect(parseStoreTarget('linky.db')).toEqual({ kind: 'sqlite', path: 'linky.db' })
  })

  it('rejects other URLs, empty targets and unsafe schema names', () => {
    expect(() => parseStoreTarget('mysql://h/db')).toThrow(StoreTargetError)
    expect(() => parseStoreTarget('')).toThrow(StoreTargetError)
    expect(() => parseStoreTarget('postgres://h/db?schema=x;drop')).toThrow(/invalid schema name/)
  })
})
