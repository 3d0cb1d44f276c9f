import { existsSync } from 'node:fs'
import { from, lastValueFrom, toArray } from 'rxjs'
import { afterAll, describe, expect, it } from 'vitest'
import { postgresSink } from '@linkyrpi/sink-postgres'
import { sqliteSink } from '@linkyrpi/sink-sqlite'
import { openStore } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, testContext } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)
const frames = syntheticFrameArray({ start: Date.UTC(2026, 10, 1), count: 300, intervalMs: 2000 })

describe('sqliteSink', () => {
  const target = sqliteTarget()
  afterAll(() => target.dispose())
  const path = target.target.kind === 'sqlite' ? target.target.path : ''

  it('stores the frames in a WAL-mode file, acknowledges each in order, and spools next to the file', async () => {
    const acks = await lastValueFrom(sqliteSink({ path, batchSize: 64, flushMs: 20, retentionDays: 0 }, testContext('sqlite'))(from(frames)).pipe(toArray()))
    expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
    expect(existsSync(`${path}.spool`)).toBe(true)
    expect(existsSync(`${path}-wal`)).toBe(true)
    const store = await openStore(target.target)
    expect((await store.history.samples(frames[0]!.reading.meter.id!, 0, Date.UTC(2030, 0, 1), 'raw')).length).toBe(300)
    await store.close()
  })

  it('rejects an empty path before any I/O', () => {
    expect(() => sqliteSink({ path: '' }, testContext())).toThrow(TypeError)
  })
})

describeWithService('postgresql', pgUp, 'postgresSink', () => {
  const target = postgresTarget()
  afterAll(() => target.dispose())

  it('stores the frames in its schema and acknowledges each in order', async () => {
    if (target.target.kind !== 'postgres') throw new Error('unreachable')
    const { url, schema } = target.target
    const acks = await lastValueFrom(
      postgresSink({ url, schema, batchSize: 64, flushMs: 20, retentionDays: 0, spool: { dir: `${target.dir}/spool` } }, testContext('pg'))(from(frames)).pipe(toArray()),
    )
    expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
    const store = await openStore(target.target)
    expect((await store.history.meters()).map((m) => m.id)).toEqual([frames[0]!.reading.meter.id])
    await store.close()
  })

  it('rejects a URL that is not postgres:// before any I/O', () => {
    expect(() => postgresSink({ url: 'mysql://h/db' }, testContext())).toThrow(/postgres:\/\//)
  })
})
