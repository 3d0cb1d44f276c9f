import { createStore } from '@linkyrpi/store/core'
import type { Store, StoreOptions } from '@linkyrpi/store/core'
import { openSqlite } from './sqlite-engine.js'

/** Opens (creates) the store in a SQLite file and migrates it. */
export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<Store> {
  return createStore(await openSqlite({ path }), options)
}
