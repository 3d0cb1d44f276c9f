import { describe, expect, it } from 'vitest'
import { StoreTargetError } from '@linkyrpi/store'
import { parsePostgresUrl } from './postgres-url.js'

describe('parsePostgresUrl', () => {
  it('takes the schema out of the URL, and keeps a URL without one as given', () => {
    expect(parsePostgresUrl('postgres://u@h:5432/db?schema=linky')).toEqual({
      url: 'postgres://u@h:5432/db',
      schema: 'linky',
    })
    expect(parsePostgresUrl('postgresql://u@h/db?sslmode=disable&schema=a_1')).toEqual({
      url: 'postgresql://u@h/db?sslmode=disable',
      schema: 'a_1',
    })
    expect(parsePostgresUrl('postgres://u@h/db')).toEqual({ url: 'postgres://u@h/db' })
  })

  it('accepts the schema as an option, alone or agreeing with the URL', () => {
    expect(parsePostgresUrl('postgres://u@h/db', 'linky')).toEqual({
      url: 'postgres://u@h/db',
      schema: 'linky',
    })
    expect(parsePostgresUrl('postgres://u@h/db?schema=linky', 'linky')).toEqual({
      url: 'postgres://u@h/db',
      schema: 'linky',
    })
    expect(() => parsePostgresUrl('postgres://u@h/db?schema=a', 'b')).toThrow(/schema 'a'.*'b'/)
  })

  it('rejects another scheme and unsafe schema names with a StoreTargetError (a TypeError)', () => {
    expect(() => parsePostgresUrl('mysql://h/db')).toThrow(StoreTargetError)
    expect(() => parsePostgresUrl('mysql://h/db')).toThrow(TypeError)
    expect(() => parsePostgresUrl('postgres://h/db?schema=x;drop')).toThrow(
      /invalid schema name 'x;drop'/,
    )
    expect(() => parsePostgresUrl('postgres://h/db', 'Public')).toThrow(/invalid schema name/)
  })
})
