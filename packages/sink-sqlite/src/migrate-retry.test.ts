import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { MIGRATE_ATTEMPTS, migrateToLatest } from '@linkyrpi/store/core'
import type { StoreDatabase } from '@linkyrpi/store/core'
import { openSqlite } from './sqlite-engine.js'

/** PostgreSQL's error when a relation listed by the introspection query was dropped meanwhile. */
const dropped = (): Error =>
  Object.assign(new Error('relation "t_x.samples" does not exist'), { code: '42P01' })

/** `target`'s property `key`, methods bound to `target` (Kysely's classes have private fields). */
function own(target: object, key: string | symbol): unknown {
  const value = Reflect.get(target, key) as unknown
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
}

/** `db` whose table listing (Kysely's introspection, run before any migration) fails `failures` times. */
function failingListing(
  db: Kysely<StoreDatabase>,
  failures: number,
  error: () => Error,
): Kysely<StoreDatabase> {
  let left = failures
  const listing = db.introspection
  const introspection = new Proxy(listing, {
    get: (target, key) =>
      key === 'getTables'
        ? (...args: Parameters<typeof listing.getTables>) =>
            left-- > 0 ? Promise.reject(error()) : target.getTables(...args)
        : own(target, key),
  })
  return new Proxy(db, {
    get: (target, key) => (key === 'introspection' ? introspection : own(target, key)),
  })
}

describe('migrateToLatest while other clients drop schemas', () => {
  it('lists the tables again when a dropped schema failed the listing, then migrates', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      const outcome = await migrateToLatest(failingListing(engine.db, 2, dropped))
      expect(outcome.applied.length).toBeGreaterThan(3)
      expect((await migrateToLatest(engine.db)).applied).toEqual([])
    } finally {
      await engine.close()
    }
  })

  it('gives up after MIGRATE_ATTEMPTS listings, and never retries another error', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await expect(
        migrateToLatest(failingListing(engine.db, MIGRATE_ATTEMPTS, dropped)),
      ).rejects.toThrow('database migration failed')
      const other = () => Object.assign(new Error('permission denied'), { code: '42501' })
      await expect(migrateToLatest(failingListing(engine.db, 1, other))).rejects.toThrow(
        'database migration failed',
      )
      // The same store still migrates once the listing answers.
      expect((await migrateToLatest(engine.db)).applied.length).toBeGreaterThan(3)
    } finally {
      await engine.close()
    }
  })
})
