import { describe, expect, it } from 'vitest'
import { migrateToLatest } from '@linkyrpi/store/core'
import { SQLITE_INSERT_CHUNK, SQLITE_SAMPLE_CHUNK, openSqlite } from './sqlite-engine.js'

describe('SQLite bulk inserts', () => {
  const row = (t: number): Record<string, number | null> => ({
    m: 1,
    t,
    rx: 0,
    flags: 1,
    va: 100 + t,
    va1: null,
    va2: null,
    va3: null,
    injected_va: null,
    i1: 1,
    i2: null,
    i3: null,
    u1: 230,
    u2: null,
    u3: null,
    period_index: 1,
    period_code: 1,
    import_wh: 1000 + t,
    export_wh: null,
  })

  it('say which rows were inserted, a key given twice counting once', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await migrateToLatest(engine.db)
      const n = 2 * SQLITE_INSERT_CHUNK + 7
      const first = Array.from({ length: n }, (_, i) => row(2 * i))
      const conflict = 'on conflict (m, t) do nothing'
      const a = await engine.transaction((tx) => tx.insert('sample_rows', first as never, conflict))
      expect(a).toEqual(first.map(() => true))
      // Every other row already stored; one new key given twice: its first row is the insert.
      const second = Array.from({ length: n }, (_, i) => row(i))
      second.splice(5, 0, row(1))
      const b = await engine.transaction((tx) =>
        tx.insert('sample_rows', second as never, conflict),
      )
      expect(b).toEqual(second.map((r, i) => i !== 5 && r.t! % 2 === 1))
      const rows = await engine.selectRows('select count(*), sum(va) from sample_rows', [])
      const all = [...new Set([...first, ...second].map((r) => r.t!))]
      expect(rows[0]).toEqual([all.length, all.reduce((s, t) => s + 100 + t, 0)])
    } finally {
      await engine.close()
    }
  })

  it('say which samples in key order were inserted, over several meters and multi-row statements', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await migrateToLatest(engine.db)
      const n = 3 * SQLITE_SAMPLE_CHUNK + 5
      const conflict = 'on conflict (m, t) do nothing'
      const of = (m: number, t: number): Record<string, number | null> => ({ ...row(t), m })
      // Meter 2 stores every third key first; meter 1 nothing.
      const before = Array.from({ length: n }, (_, i) => of(2, 3 * i))
      await engine.transaction((tx) => tx.insert('sample_rows', before as never, conflict))
      // In key order: meter 1 then meter 2, one key given twice in a row (the first counts).
      const rows = [
        ...Array.from({ length: n }, (_, i) => of(1, i)),
        ...Array.from({ length: 2 * n }, (_, i) => of(2, i)),
      ]
      rows.splice(n + 4, 0, of(2, 4))
      const out = await engine.transaction((tx) =>
        tx.insert('sample_rows', rows as never, conflict),
      )
      expect(out).toEqual(
        rows.map((r, i) => (r.m === 1 ? true : i !== n + 5 && (r.t! % 3 !== 0 || r.t! >= 3 * n))),
      )
      const count = await engine.selectRows('select m, count(*) from sample_rows group by m', [])
      expect(count).toEqual([
        [1, n],
        [2, 2 * n + n - Math.ceil((2 * n) / 3)],
      ])
    } finally {
      await engine.close()
    }
  })

  it('write every row of insertNew, across multi-row statements and the rest', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await migrateToLatest(engine.db)
      const n = 3 * SQLITE_INSERT_CHUNK + 5
      const regs = Array.from({ length: n }, (_, i) => ({ m: 1, reg: 1 + (i % 3), t: i, value: i }))
      await engine.transaction((tx) =>
        tx.insertNew('register_rows', regs as never, 'on conflict (m, reg, t) do nothing'),
      )
      const rows = await engine.selectRows('select count(*), sum(value) from register_rows', [])
      expect(rows[0]).toEqual([n, (n * (n - 1)) / 2])
    } finally {
      await engine.close()
    }
  })
})

describe('SQLite write transactions on the one connection', () => {
  const conflict = 'on conflict (meter, t, kind) do nothing'
  const event = (t: number): Record<string, string | number> => ({
    meter: '041234567890',
    t,
    kind: 'automation-switch',
    detail: '{}',
  })
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
  const count = async (engine: Awaited<ReturnType<typeof openSqlite>>): Promise<unknown> =>
    (await engine.selectRows('select count(*) from events', []))[0]![0]

  // The automation journal (`storeJournal`) wrote while the store sink's retention, a Kysely
  // transaction on the same connection, was open: `begin immediate` failed, and every write after
  // it failed as nested; the store sink never acknowledged a frame and the node never stopped.
  it('wait for a Kysely transaction in progress, and keep working after it', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await migrateToLatest(engine.db)
      let release = (): void => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      const retention = engine.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('events').where('t', '<', 0).execute()
        await gate
      })
      await turn() // Kysely's `begin` has run
      const write = engine
        .transaction((tx) => tx.insert('events', [event(1)] as never, conflict))
        .catch((error: unknown) => error)
      await turn()
      release()
      await retention
      expect(await write).toEqual([true])
      await engine.transaction((tx) => tx.insert('events', [event(2)] as never, conflict))
      expect(await count(engine)).toBe(2)
    } finally {
      await engine.close()
    }
  })

  it('run one after the other when they overlap (journal and batch writes)', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await migrateToLatest(engine.db)
      const order: string[] = []
      const slow =
        (name: string, t: number) =>
        async (tx: Parameters<Parameters<typeof engine.transaction>[0]>[0]) => {
          order.push(`${name} begin`)
          await tx.insert('events', [event(t)] as never, conflict)
          await turn()
          order.push(`${name} end`)
        }
      await Promise.all([engine.transaction(slow('a', 1)), engine.transaction(slow('b', 2))])
      expect(order).toEqual(['a begin', 'a end', 'b begin', 'b end'])
      expect(await count(engine)).toBe(2)
    } finally {
      await engine.close()
    }
  })

  it('still refuse a transaction nested in another one, without waiting for it', async () => {
    const engine = await openSqlite({ path: ':memory:' })
    try {
      await migrateToLatest(engine.db)
      await expect(
        engine.transaction(() =>
          engine.transaction((tx) => tx.insert('events', [event(1)] as never, conflict)),
        ),
      ).rejects.toThrow('nested SQLite write transaction')
      expect(await count(engine)).toBe(0)
      await engine.transaction((tx) => tx.insert('events', [event(2)] as never, conflict))
      expect(await count(engine)).toBe(1)
    } finally {
      await engine.close()
    }
  })
})
