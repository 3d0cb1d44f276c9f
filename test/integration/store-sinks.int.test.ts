import { existsSync } from 'node:fs'
import { from, lastValueFrom, toArray } from 'rxjs'
import { afterAll, describe, expect, it } from 'vitest'
import { postgresSink } from '@linkyrpi/sink-postgres'
import { sqliteSink } from '@linkyrpi/sink-sqlite'
import { createStage, openStore } from '@linkyrpi/pipeline'
import type { PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import pg from 'pg'
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
    const acks = await lastValueFrom(
      sqliteSink(
        { path, batchSize: 64, flushMs: 20, retentionDays: 0 },
        testContext('sqlite'),
      )(from(frames)).pipe(toArray()),
    )
    expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
    expect(existsSync(`${path}.spool`)).toBe(true)
    expect(existsSync(`${path}-wal`)).toBe(true)
    const store = await openStore(target.target)
    expect(
      (await store.history.samples(frames[0]!.reading.meter.id!, 0, Date.UTC(2030, 0, 1), 'raw'))
        .length,
    ).toBe(300)
    await store.close()
  })

  it("the `sqlite` stage serves its history from the sink's own engine: before the sink runs, while it runs, after it completed", async () => {
    const dir = sqliteTarget()
    try {
      const path = dir.target.kind === 'sqlite' ? dir.target.path : ''
      const stage = await createStage<Sink<PipelineFrame>>(
        'sqlite',
        { path, flushMs: 20, retentionDays: 0 },
        testContext('sqlite-history'),
      )
      const history = stage.history!
      // A query before the sink subscribed opens and migrates the file: no "no such table".
      expect(await history.meters()).toEqual([])
      await lastValueFrom(stage.stage(from(frames)).pipe(toArray()))
      expect((await history.meters()).map((m) => m.id)).toEqual([frames[0]!.reading.meter.id])
      expect(
        await history.samples(frames[0]!.reading.meter.id!, 0, Date.UTC(2030, 0, 1), 'raw'),
      ).toHaveLength(frames.length)
      await stage.dispose?.()
    } finally {
      await dir.dispose()
    }
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
      postgresSink(
        {
          url,
          schema,
          batchSize: 64,
          flushMs: 20,
          retentionDays: 0,
          spool: { dir: `${target.dir}/spool` },
        },
        testContext('pg'),
      )(from(frames)).pipe(toArray()),
    )
    expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
    const store = await openStore(target.target)
    expect((await store.history.meters()).map((m) => m.id)).toEqual([frames[0]!.reading.meter.id])
    await store.close()
  })

  it('rejects a URL that is not postgres:// before any I/O', () => {
    expect(() => postgresSink({ url: 'mysql://h/db' }, testContext())).toThrow(/postgres:\/\//)
  })

  it('writes into the schema a `postgres` stage names with ?schema= in its url (not into public)', async () => {
    const named = postgresTarget()
    try {
      const stage = await createStage<Sink<PipelineFrame>>(
        'postgres',
        { url: named.text, flushMs: 20, retentionDays: 0, spool: { dir: `${named.dir}/spool` } },
        testContext('pg-url-schema'),
      )
      const acks = await lastValueFrom(stage.stage(from(frames)).pipe(toArray()))
      await stage.dispose?.()
      expect(acks).toHaveLength(frames.length)
      if (named.target.kind !== 'postgres') throw new Error('unreachable')
      const client = new pg.Client({ connectionString: named.target.url })
      await client.connect()
      try {
        const r = await client.query<{ n: string }>(
          `select count(*) as n from ${named.target.schema ?? ''}.samples`,
        )
        expect(Number(r.rows[0]?.n)).toBe(frames.length)
      } finally {
        await client.end()
      }
    } finally {
      await named.dispose()
    }
  })
})
