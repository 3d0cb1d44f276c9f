import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { get as httpGet } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Subject, lastValueFrom, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { Ack, Logger, PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { displaySink } from './display-sink.js'
import { startDisplayServer } from './display-server.js'
import type { HelloEvent } from './protocol.js'

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
}
const ctx: StageContext = {
  stage: 'screen',
  logger: silent,
  diagnostics: { report: () => undefined },
  now: () => Date.now(),
}

function frames(n: number, msg1 = 'BONJOUR'): PipelineFrame[] {
  const dec = createTicDecoder({ reading: true })
  const out: PipelineFrame[] = []
  for (let i = 1; i <= n; i++) {
    const bytes = buildFrame('standard', [
      ['ADSC', '812164123456'],
      ['SINSTS', String(1000 + i).padStart(5, '0')],
      ['EAST', String(5000 + i).padStart(9, '0')],
      ['EASF01', String(5000 + i).padStart(9, '0')],
      ['PREF', '06'],
      ['LTARF', 'BASE'],
      ['MSG1', msg1],
    ])
    for (const e of dec.push(bytes)) {
      if (e.kind === 'frame' && e.frame.reading !== undefined)
        out.push({
          ...e.frame,
          reading: e.frame.reading,
          meta: { seq: i, receivedAt: Date.now(), source: 'm' },
        })
    }
  }
  return out
}

/** Reads `count` SSE events from a streaming response. */
async function readEvents(
  res: Response,
  count: number,
): Promise<{ event: string; data: string }[]> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buf = ''
  const events: { event: string; data: string }[] = []
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    buf += decoder.decode(value, { stream: true })
    let i: number
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i)
      buf = buf.slice(i + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event !== undefined && data !== undefined) events.push({ event, data })
    }
  }
  await reader.cancel()
  return events
}

async function listening(
  options: Parameters<typeof displaySink>[0],
  input: Subject<PipelineFrame>,
): Promise<{ url: string; acks: Promise<Ack[]> }> {
  let acks!: Promise<Ack[]>
  const url = await new Promise<string>((resolve) => {
    acks = lastValueFrom(
      displaySink(
        { ...options, port: 0, onListening: (l) => resolve(l.url) },
        ctx,
      )(input).pipe(toArray()),
    )
  })
  return { url, acks }
}

describe('displaySink', () => {
  it('acks every frame in order, pushes it to pages, and closes the server when the input completes', async () => {
    const input = new Subject<PipelineFrame>()
    const { url, acks } = await listening({}, input)
    const [f1, f2, f3] = frames(3)
    input.next(f1!)
    const res = await fetch(`${url}events`)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const pending = readEvents(res, 3)
    await new Promise((r) => setTimeout(r, 50))
    input.next(f2!)
    input.next(f3!)
    const events = await pending
    expect(events.map((e) => e.event)).toEqual(['hello', 'frame', 'frame'])
    const hello = JSON.parse(events[0]!.data) as HelloEvent
    expect(hello.config).toMatchObject({
      lang: 'fr',
      staleAfterMs: 10_000,
      history: false,
      diagnostics: false,
    })
    expect(hello.frame?.reading.power.apparentVA).toBe(1001)
    expect(JSON.parse(events[2]!.data).reading.power.apparentVA).toBe(1003)
    input.complete()
    expect(await acks).toEqual([1, 2, 3].map((seq) => ({ seq, sink: 'screen' })))
    await expect(fetch(url)).rejects.toThrow()
  })

  it('completes without error on an empty input', async () => {
    const input = new Subject<PipelineFrame>()
    const { acks } = await listening({}, input)
    input.complete()
    expect(await acks).toEqual([])
  })

  it('validates options before any I/O', () => {
    expect(() => displaySink({ port: 70000 }, ctx)).toThrow(/"port"/)
    expect(() => displaySink({ lang: 'de' as 'fr' }, ctx)).toThrow(/"lang"/)
    expect(() => displaySink({ staleAfterMs: 0 }, ctx)).toThrow(/"staleAfterMs"/)
    expect(() => displaySink({ token: 'short' }, ctx)).toThrow(/"token"/)
    expect(() => displaySink({ timeZone: 'Mars/Olympus' }, ctx)).toThrow(/"timeZone"/)
  })

  it('errors with a DisplayServerError when the port is taken', async () => {
    const first = await startDisplayServer({ port: 0 }, ctx)
    try {
      const input = new Subject<PipelineFrame>()
      await expect(
        lastValueFrom(displaySink({ port: first.port }, ctx)(input)),
      ).rejects.toMatchObject({ name: 'DisplayServerError', transient: true })
    } finally {
      await first.close()
    }
  })
})

describe('dashboard HTTP server', () => {
  it('sends the CSP and security headers and is read-only without a token', async () => {
    const s = await startDisplayServer({ port: 0 }, ctx)
    try {
      const res = await fetch(`${s.url}api/config`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
      expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect((await fetch(`${s.url}api/anything`, { method: 'POST' })).status).toBe(405)
      expect((await fetch(`${s.url}api/latest`)).status).toBe(200)
      expect(await (await fetch(`${s.url}api/latest`)).json()).toBeNull()
      expect((await fetch(`${s.url}api/history/meters`)).status).toBe(404)
      expect((await fetch(`${s.url}..%2f..%2fpackage.json`)).status).toBe(404)
    } finally {
      await s.close()
    }
  })

  it('serves at most maxClients event streams at once', async () => {
    const s = await startDisplayServer({ port: 0, maxClients: 1 }, ctx)
    try {
      const first = await fetch(`${s.url}events`)
      expect(first.status).toBe(200)
      expect((await fetch(`${s.url}events`)).status).toBe(503)
      await first.body?.cancel()
    } finally {
      await s.close()
    }
  })

  it('requires the bearer token on write methods when one is configured', async () => {
    const token = 'a-long-enough-secret-token'
    const s = await startDisplayServer({ port: 0, token }, ctx)
    try {
      expect((await fetch(`${s.url}api/x`, { method: 'POST' })).status).toBe(401)
      expect(
        (
          await fetch(`${s.url}api/x`, {
            method: 'POST',
            headers: { authorization: 'Bearer wrong' },
          })
        ).status,
      ).toBe(401)
      expect(
        (
          await fetch(`${s.url}api/x`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          })
        ).status,
      ).toBe(404)
    } finally {
      await s.close()
    }
  })

  it('answers the history API from the store and rejects bad ranges', async () => {
    const calls: string[] = []
    const s = await startDisplayServer(
      {
        port: 0,
        history: {
          meters: async () => [],
          latest: async () => null,
          samples: async (m, from, to, r) => (
            calls.push(`samples ${m} ${String(from)} ${String(to)} ${r}`),
            []
          ),
          energy: async (m, _f, _t, b) => (calls.push(`energy ${m} ${b}`), []),
          events: async () => [],
        },
      },
      ctx,
    )
    try {
      expect(
        (await fetch(`${s.url}api/history/samples?meter=A&from=10&to=20&resolution=1h`)).status,
      ).toBe(200)
      expect(
        (await fetch(`${s.url}api/history/energy?meter=A&from=10&to=20&bucket=month`)).status,
      ).toBe(200)
      expect(calls).toEqual(['samples A 10 20 1h', 'energy A month'])
      expect((await fetch(`${s.url}api/history/samples?meter=A&from=20&to=10`)).status).toBe(400)
      expect(
        (await fetch(`${s.url}api/history/samples?meter=A&from=0&to=${String(500 * 86_400_000)}`))
          .status,
      ).toBe(400)
      expect(
        (await fetch(`${s.url}api/history/samples?meter=A&from=1&to=2&resolution=5s`)).status,
      ).toBe(400)
      expect(
        (await fetch(`${s.url}api/history/energy?meter=A&from=1&to=2&bucket=week`)).status,
      ).toBe(400)
    } finally {
      await s.close()
    }
  })

  it('events: "limit" must be an integer from 1 to 500, else 400 with a clear message (never everything)', async () => {
    const limits: number[] = []
    const s = await startDisplayServer(
      {
        port: 0,
        history: {
          meters: async () => [],
          latest: async () => null,
          samples: async () => [],
          energy: async () => [],
          events: async (_m, _f, _t, limit) => (limits.push(limit ?? -1), []),
        },
      },
      ctx,
    )
    try {
      const events = (limit: string | null): Promise<Response> =>
        fetch(
          `${s.url}api/history/events?meter=A&from=10&to=20${limit === null ? '' : `&limit=${encodeURIComponent(limit)}`}`,
        )
      for (const bad of ['abc', '', '0', '-3', '2.5', '501', '1e3', '10abc', 'Infinity']) {
        const res = await events(bad)
        expect(res.status, bad).toBe(400)
        expect(await res.json()).toEqual({
          error: `"limit" must be an integer from 1 to 500, got '${bad}'`,
        })
      }
      for (const ok of ['1', '100', '500', null]) expect((await events(ok)).status).toBe(200)
      expect(limits).toEqual([1, 100, 500, 100])
    } finally {
      await s.close()
    }
  })

  it('gzips large history answers and static text files for clients that accept it, and only those', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-client-'))
    const js = `/* app */\n${'console.log("linky");\n'.repeat(400)}`
    await mkdir(join(dir, 'assets'))
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>')
    await writeFile(join(dir, 'assets', 'app.js'), js)
    const points = Array.from({ length: 3000 }, (_, i) => ({
      t: 1_767_225_600_000 + i * 2000,
      avgVA: 400 + (i % 37),
      minVA: 400,
      maxVA: 480,
      avgVAByPhase: null,
      avgInjectedVA: null,
    }))
    const s = await startDisplayServer(
      {
        port: 0,
        clientDir: dir,
        history: {
          meters: async () => [],
          latest: async () => null,
          samples: async () => points,
          energy: async () => [],
          events: async () => [],
        },
      },
      ctx,
    )
    const get = (
      path: string,
      encoding?: string,
    ): Promise<{ headers: Record<string, unknown>; body: Buffer }> =>
      new Promise((resolve, reject) => {
        httpGet(
          new URL(path, s.url),
          { headers: encoding === undefined ? {} : { 'accept-encoding': encoding } },
          (res) => {
            const parts: Buffer[] = []
            res.on('data', (d: Buffer) => parts.push(d))
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }))
          },
        ).on('error', reject)
      })
    try {
      const api = 'api/history/samples?meter=A&from=1&to=2&resolution=raw'
      const zipped = await get(api, 'gzip, deflate')
      expect(zipped.headers['content-encoding']).toBe('gzip')
      expect(zipped.headers.vary).toBe('accept-encoding')
      expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(points)
      expect(zipped.body.length).toBeLessThan(JSON.stringify(points).length / 5)
      const plain = await get(api)
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect(JSON.parse(plain.body.toString('utf8'))).toEqual(points)
      const asset = await get('assets/app.js', 'gzip')
      expect(asset.headers['content-encoding']).toBe('gzip')
      expect(Number(asset.headers['content-length'])).toBe(asset.body.length)
      expect(gunzipSync(asset.body).toString('utf8')).toBe(js)
      expect((await get('assets/app.js', 'gzip;q=0')).headers['content-encoding']).toBeUndefined()
      // Small answers are not worth it: sent as they are.
      expect((await get('', 'gzip')).headers['content-encoding']).toBeUndefined()
      expect((await get('api/history/meters', 'gzip')).headers['content-encoding']).toBeUndefined()
    } finally {
      await s.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('pushes the tariff at once when it changes and statistics at their cadence', async () => {
    const s = await startDisplayServer({ port: 0, statsIntervalMs: 100 }, ctx)
    try {
      const res = await fetch(`${s.url}events`)
      const pending = readEvents(res, 4)
      await new Promise((r) => setTimeout(r, 20))
      const [f1] = frames(1)
      s.publish(f1!)
      const events = await pending
      const names = events.map((e) => e.event)
      expect(names.slice(0, 3)).toEqual(['hello', 'frame', 'tariff'])
      expect(names).toContain('stats')
      const tariff = JSON.parse(events[2]!.data)
      expect(tariff.period.code).toBe('base')
    } finally {
      await s.close()
    }
  })
})
