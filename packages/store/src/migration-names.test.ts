import { expect, it } from 'vitest'
import { MIGRATIONS } from './migrations/index.js'
import { MIGRATION_NAMES } from './migration-names.js'

it('lists every embedded migration, in the order they apply', () => {
  expect(MIGRATION_NAMES).toEqual(Object.keys(MIGRATIONS).sort())
})
