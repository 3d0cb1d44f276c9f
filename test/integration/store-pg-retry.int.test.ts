// PostgreSQL rolls back one of two transactions that wait on each other (deadlock, 40P01) and may
// refuse a transaction it cannot serialise (40001): the engine runs such a transaction again.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openEngine } from '@linkyrpi/pipeline'
import { PG_RETRY_ATTEMPTS } from '@linkyrpi/sink-postgres'
import type { Engine } from '@linkyrpi/store'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)

describeWithService(
  'postgresql',
  pgUp,
  'store: PostgreSQL transactions run again after a deadlock or a serialization failure',
  () => {
    let target: TestTarget
    let engine: Engine
    beforeAll(async () => {
      target = postgresTarget()
      if (target.target.kind !== 'postgres') throw new Error('unreachable')
      engine = await openEngine(target.target)
      await engine.transaction(async (tx) => {
        await tx.query('create table locks (k integer primary key, v integer not null)', [])
        await tx.query('insert into locks (k, v) values (1, 0), (2, 0)', [])
      })
    })
    afterAll(async () => {
      await engine?.close()
      await target?.dispose()
    })

    it('two transactions locking the same rows in opposite orders both commit', async () => {
      let firstLocks = 0
      let release: () => void = () => undefined
      const bothLocked = new Promise<void>((resolve) => {
        release = resolve
      })
      const attempts = [0, 0]
      const writer = (me: number, first: number, second: number) =>
        engine.transaction(async (tx) => {
          attempts[me]!++
          await tx.query('update locks set v = v + 1 where k = ?', [first])
          if (attempts[me] === 1) {
            // Both hold their first row before either asks for its second: a certain deadlock.
            if (++firstLocks === 2) release()
            await bothLocked
          }
          await tx.query('update locks set v = v + 1 where k = ?', [second])
        })
      await Promise.all([writer(0, 1, 2), writer(1, 2, 1)])
      // One of them was chosen as the victim and ran again; both updates of both writers are there.
      expect(attempts.sort()).toEqual([1, 2])
      const rows = await engine.transaction((tx) =>
        tx.query<{ k: number; v: number }>('select k, v from locks order by k', []),
      )
      expect(rows).toEqual([
        { k: 1, v: 2 },
        { k: 2, v: 2 },
      ])
    })

    it('a serialization failure runs the transaction again; one that keeps failing gives its error', async () => {
      let n = 0
      const out = await engine.transaction(async () => {
        if (++n === 1)
          throw Object.assign(new Error('could not serialize access'), { code: '40001' })
        return 'done'
      })
      expect([out, n]).toEqual(['done', 2])
      let m = 0
      const failing = engine.transaction(async () => {
        m++
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' })
      })
      await expect(failing).rejects.toMatchObject({ code: '40P01' })
      expect(m).toBe(PG_RETRY_ATTEMPTS)
    })
  },
)
