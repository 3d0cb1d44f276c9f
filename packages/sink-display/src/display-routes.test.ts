import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import { afterEach, describe, expect, it } from 'vitest'
import { routeDisplayRequest } from './display-routes.js'
import type { DisplayRouteState } from './display-routes.js'
import { resolveDisplayOptions } from './options.js'
import type { DisplaySinkOptions } from './options.js'
import type { LiveSamplesAnswer, StatsSnapshot } from './protocol.js'
import { SECURITY_HEADERS } from './security-headers.js'
import { SseHub } from './sse-hub.js'

const stats: StatsSnapshot = {
  at: 0,
  frames: 0,
  framesPerSecond: 0,
  rejectedByReason: {},
  rejectedPerMinute: [],
  clients: 0,
  energy: null,
  diagnostics: null,
}

const samples: LiveSamplesAnswer = { meter: 'm', t: [1000], va: [500], inj: [null] }

const emptyStore: HistoryStore = {
  meters: () => Promise.resolve([]),
  latest: () => Promise.resolve(null),
  samples: () => Promise.resolve([]),
  energy: () => Promise.resolve([]),
  events: () => Promise.resolve([]),
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

/** Serves `routeDisplayRequest` on a loopback port; answers its base URL. */
async function serve(options: DisplaySinkOptions, latestJson: string | null = null) {
  const o = resolveDisplayOptions(options)
  const hub = new SseHub(o.maxClientBacklogBytes)
  const state: DisplayRouteState = {
    options: o,
    config: { lang: o.lang, staleAfterMs: 1, history: false, diagnostics: false, timeZone: 'UTC' },
    files: undefined,
    hub,
    latestJson: () => latestJson,
    stats: () => stats,
    liveSamples: () => samples,
    hello: () => SseHub.message('hello', '{}'),
    costsLive: () => ({ current: null, counted: null }),
  }
  const server = createServer((req, res) => void routeDisplayRequest(req, res, state))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        hub.closeAll()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  )
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
}

describe('routeDisplayRequest', () => {
  it('sets the security headers and answers the JSON API', async () => {
    const base = await serve({}, '{"a":1}')
    const res = await fetch(`${base}/api/latest`)
    expect(res.status).toBe(200)
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(k)).toBe(v)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({ a: 1 })
    expect(await (await fetch(`${base}/api/stats`)).json()).toEqual(stats)
    expect(await (await fetch(`${base}/api/live/samples`)).json()).toEqual(samples)
  })

  it('answers null as the latest frame before any frame', async () => {
    const base = await serve({})
    expect(await (await fetch(`${base}/api/latest`)).text()).toBe('null')
  })

  it('answers 404 for unknown API paths and unconfigured endpoints', async () => {
    const base = await serve({})
    for (const [path, error] of [
      ['/api/nope', 'no such endpoint'],
      ['/metrics', 'no metrics configured'],
      ['/api/diagnostics', 'no diagnostics configured'],
    ] as const) {
      const res = await fetch(base + path)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({ error })
    }
    const page = await fetch(`${base}/index.html`)
    expect(page.status).toBe(404)
    expect(await page.text()).toBe('dashboard client not built')
  })

  it('routes /api/history/… to the store: 404 without one, 400 for a bad query', async () => {
    const none = await fetch(`${await serve({})}/api/history/meters`)
    expect(none.status).toBe(404)
    expect(await none.json()).toEqual({ error: 'no history store configured' })
    const base = await serve({ history: emptyStore })
    const res = await fetch(`${base}/api/history/events?meter=m&from=0&to=1&limit=abc`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: `"limit" must be an integer from 1 to 500, got 'abc'`,
    })
    expect(await (await fetch(`${base}/api/history/meters`)).json()).toEqual([])
  })

  it('serves /metrics as Prometheus text, without a body on HEAD', async () => {
    const base = await serve({ metrics: () => 'x 1\n' })
    const res = await fetch(`${base}/metrics`)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(await res.text()).toBe('x 1\n')
    expect(await (await fetch(`${base}/metrics`, { method: 'HEAD' })).text()).toBe('')
  })

  it('refuses writes without a token (405), with a bad token (401), unknown ones (404)', async () => {
    const open = await serve({})
    const r1 = await fetch(`${open}/api/automation/override`, { method: 'POST' })
    expect(r1.status).toBe(405)
    const base = await serve({ token: 'secret-secret-secret' })
    const r2 = await fetch(`${base}/api/automation/override`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
    })
    expect(r2.status).toBe(401)
    const r3 = await fetch(`${base}/api/nope`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-secret-secret' },
    })
    expect(r3.status).toBe(404)
    expect(await r3.json()).toEqual({ error: 'no such endpoint' })
  })

  it('refuses an event stream beyond maxClients with 503', async () => {
    const base = await serve({ maxClients: 1 })
    const first = await fetch(`${base}/events`)
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const res = await fetch(`${base}/events`)
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ error: 'too many dashboards connected' })
  })
})
