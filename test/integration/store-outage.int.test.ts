import { createServer, connect, type Server, type Socket } from 'node:net'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Subject, lastValueFrom, toArray } from 'rxjs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { postgresSink } from '@linkyrpi/sink-postgres'
import { openStore } from '@linkyrpi/pipeline'
import { StoreSpoolFullError } from '@linkyrpi/store'
import { syntheticFrameArray } from '@linkyrpi/store/testing'
import type { Ack, PipelineFrame } from '@linkyrpi/tic-core/stage'
import { describeWithService, PG_URL, tcpReachable } from '../support/services.js'
import { postgresTarget, testContext, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)

/** A TCP proxy to PostgreSQL that the test can cut (every connection dropped) and restore. */
async function startProxy(): Promise<{
  port: number
  cut(): void
  restore(): void
  close(): Promise<void>
}> {
  const pgUrl = new URL(PG_URL)
  const sockets = new Set<Socket>()
  let down = false
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy()
      return
    }
    const upstream = connect({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) })
    sockets.add(client)
    sockets.add(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    const drop = (): void => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', drop)
    upstream.on('error', drop)
    client.on('close', drop)
    upstream.on('close', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  return {
    port: address.port,
    cut() {
      down = true
      for (const s of sockets) s.destroy()
      sockets.clear()
    },
    restore() {
      down = false
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

const until = async (check: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describeWithService(
  'postgresql',
  pgUp,
  'store outage: PostgreSQL unreachable during ingest',
  () => {
    let target: TestTarget
    let proxy: Awaited<ReturnType<typeof startProxy>>
    let spoolRoot: string
    beforeAll(async () => {
      target = postgresTarget()
      proxy = await startProxy()
      spoolRoot = mkdtempSync(join(tmpdir(), 'linky-spool-'))
    })
    afterAll(async () => {
      await proxy?.close()
      await target?.dispose()
      rmSync(spoolRoot, { recursive: true, force: true })
    })

    const proxiedUrl = (): string => {
      const u = new URL(PG_URL)
      u.port = String(proxy.port)
      return u.toString()
    }
    const schema = (): string => (target.target.kind === 'postgres' ? target.target.schema! : '')

    it('spools while the database is unreachable, drains in order when it returns, and stores every frame once', async () => {
      const frames = syntheticFrameArray({
        start: Date.UTC(2026, 5, 1),
        count: 900,
        intervalMs: 2000,
      })
      const ctx = testContext('pg')
      const input = new Subject<PipelineFrame>()
      const acks: Ack[] = []
      const spoolDir = join(spoolRoot, 'a')
      const sink = postgresSink(
        {
          url: proxiedUrl(),
          schema: schema(),
          batchSize: 50,
          flushMs: 20,
          retry: { attempts: 2, delayMs: 10 },
          outageRetryMs: 50,
          spool: { dir: spoolDir },
          retentionDays: 0,
        },
        ctx,
      )
      const done = lastValueFrom(sink(input).pipe(toArray()))
      const all = done.then((a) => acks.push(...a))

      for (const f of frames.slice(0, 300)) input.next(f)
      const store = await openStore(target.target)
      const count = async (): Promise<number> =>
        Number(
          (
            await store.engine.db
              .selectFrom('samples')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      await until(async () => (await count()) === 300, 'the first 300 frames')

      proxy.cut()
      for (const f of frames.slice(300, 600)) input.next(f)
      await until(
        () => readdirSync(spoolDir).some((f) => f.endsWith('.jsonl')),
        'frames in the spool',
      )
      expect(
        ctx.logs.some(
          (l) =>
            l.level === 'warn' && l.message === 'database unreachable, spooling frames to disk',
        ),
      ).toBe(true)
      expect(ctx.events.some((e) => e.kind === 'state' && e.state === 'spooling')).toBe(true)
      expect(await count()).toBe(300)

      proxy.restore()
      for (const f of frames.slice(600)) input.next(f)
      input.complete()
      await all
      expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
      const rows = await store.engine.db.selectFrom('samples').select(['t']).orderBy('t').execute()
      expect(rows.map((r) => r.t)).toEqual(frames.map((f) => f.meta.receivedAt))
      expect(readdirSync(spoolDir).filter((f) => f.endsWith('.jsonl'))).toEqual([])
      expect(ctx.logs.some((l) => l.message === 'spool drained, writing directly again')).toBe(true)
      const rollup = await store.engine.db
        .selectFrom('power_rollups')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('res', '=', '1d')
        .executeTakeFirstOrThrow()
      expect(Number(rollup.n)).toBe(900)
      await store.close()
    })

    it("with onFull: 'fail', a full spool errors the sink instead of dropping frames", async () => {
      const frames = syntheticFrameArray({
        start: Date.UTC(2026, 6, 1),
        count: 200,
        intervalMs: 2000,
      })
      const ctx = testContext('pg-full')
      const input = new Subject<PipelineFrame>()
      proxy.cut()
      const sink = postgresSink(
        {
          url: proxiedUrl(),
          schema: schema(),
          batchSize: 20,
          flushMs: 10,
          retry: { attempts: 1 },
          outageRetryMs: 60_000,
          completeTimeoutMs: 0,
          spool: { dir: join(spoolRoot, 'b'), capacityBytes: 40_000, onFull: 'fail' },
          retentionDays: 0,
        },
        ctx,
      )
      const result = lastValueFrom(sink(input).pipe(toArray()))
      for (const f of frames) input.next(f)
      input.complete()
      await expect(result).rejects.toBeInstanceOf(StoreSpoolFullError)
      proxy.restore()
    })

    it("with onFull: 'drop-newest' (default), a full spool drops incoming frames, logs it and still acknowledges in order", async () => {
      const frames = syntheticFrameArray({
        start: Date.UTC(2026, 7, 1),
        count: 200,
        intervalMs: 2000,
      })
      const ctx = testContext('pg-drop')
      const input = new Subject<PipelineFrame>()
      proxy.cut()
      const sink = postgresSink(
        {
          url: proxiedUrl(),
          schema: schema(),
          batchSize: 20,
          flushMs: 10,
          retry: { attempts: 1 },
          outageRetryMs: 60_000,
          completeTimeoutMs: 0,
          spool: { dir: join(spoolRoot, 'c'), capacityBytes: 40_000 },
          retentionDays: 0,
        },
        ctx,
      )
      const result = lastValueFrom(sink(input).pipe(toArray()))
      for (const f of frames) input.next(f)
      input.complete()
      const acks = await result
      expect(acks.map((a) => a.seq)).toEqual(frames.map((f) => f.meta.seq))
      expect(
        ctx.logs.some(
          (l) => l.level === 'warn' && l.message === 'spool full, dropping incoming frames',
        ),
      ).toBe(true)
      expect(
        ctx.logs.some(
          (l) =>
            l.message ===
            'input ended with frames still spooled; they are written at the next start',
        ),
      ).toBe(true)
      proxy.restore()
    })
  },
)
