import { afterEach, describe, expect, it, vi } from 'vitest'
import { sharedEvents } from './shared-events.js'
import type { EventsPlatform, EventStream, SharedEvents } from './shared-events.js'

const URL = 'http://dashboard.test/events'
const KEY = `linkyrpi-events:${URL}`

/** An EventSource the test drives. */
class FakeStream implements EventStream {
  readonly #listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>()
  closed = false
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener])
  }
  close(): void {
    this.closed = true
  }
  emit(type: string, data: string): void {
    for (const l of this.#listeners.get(type) ?? []) l({ data } as MessageEvent<string>)
  }
}

/** One exclusive lock, granted to the requests in order, as the Web Locks API does. */
class FakeLocks {
  #held = false
  readonly #waiting: (() => void)[] = []
  readonly names: string[] = []
  request(name: string, callback: () => Promise<void>): Promise<unknown> {
    this.names.push(name)
    return new Promise((resolve) => {
      const run = (): void => {
        void callback().then(() => {
          resolve(undefined)
          const next = this.#waiting.shift()
          if (next === undefined) this.#held = false
          else next()
        })
      }
      if (this.#held) this.#waiting.push(run)
      else {
        this.#held = true
        queueMicrotask(run)
      }
    })
  }
}

/** A browser: real BroadcastChannels (Node's), fake locks and streams. */
function browser(parts: Partial<EventsPlatform> = {}) {
  const streams: FakeStream[] = []
  const locks = new FakeLocks()
  const platform: EventsPlatform = {
    locks,
    channel: (name) => new BroadcastChannel(name),
    stream: (url) => {
      expect(url).toBe(URL)
      const s = new FakeStream()
      streams.push(s)
      return s
    },
    ...parts,
  }
  return { platform, streams, locks }
}

const opened: SharedEvents[] = []
const raw: BroadcastChannel[] = []
afterEach(() => {
  for (const e of opened.splice(0)) e.close()
  for (const c of raw.splice(0)) c.close()
})

/** A tab: records what it receives; its snapshot is `state:<last data>`. */
function tab(platform: EventsPlatform) {
  const seen: string[] = []
  let last: string | null = null
  const events = sharedEvents({
    url: URL,
    events: ['hello', 'frame'],
    hello: 'hello',
    snapshot: () => (last === null ? null : `state:${last}`),
    platform,
  })
  events.addEventListener('hello', (d) => {
    seen.push(`hello ${d}`)
    last = d
  })
  events.addEventListener('frame', (d) => {
    seen.push(`frame ${d}`)
    last = d
  })
  opened.push(events)
  return { events, seen }
}

describe('sharedEvents', () => {
  it('opens one stream for all tabs: the leader relays every event, in order, to the others', async () => {
    const { platform, streams, locks } = browser()
    const tabs = [tab(platform), tab(platform), tab(platform)]
    await vi.waitFor(() => expect(streams).toHaveLength(1))
    expect(tabs.map((t) => t.events.role)).toEqual(['leader', 'follower', 'follower'])
    expect(locks.names).toEqual([KEY, KEY, KEY])
    streams[0]!.emit('hello', 'h1')
    streams[0]!.emit('frame', 'f1')
    streams[0]!.emit('frame', 'f2')
    for (const t of tabs)
      await vi.waitFor(() => expect(t.seen).toEqual(['hello h1', 'frame f1', 'frame f2']))
    expect(streams).toHaveLength(1)
  })

  it('gives a tab that joins the current state at once, as a hello to that tab only', async () => {
    const { platform, streams } = browser()
    const a = tab(platform)
    const b = tab(platform)
    await vi.waitFor(() => expect(streams).toHaveLength(1))
    streams[0]!.emit('hello', 'h1')
    streams[0]!.emit('frame', 'f1')
    await vi.waitFor(() => expect(b.seen).toEqual(['hello h1', 'frame f1']))
    const c = tab(platform)
    await vi.waitFor(() => expect(c.seen).toEqual(['hello state:f1']))
    streams[0]!.emit('frame', 'f2')
    await vi.waitFor(() => expect(c.seen).toEqual(['hello state:f1', 'frame f2']))
    // The leader sent the state before f2: b has had f2, so it would have had the state too.
    await vi.waitFor(() => expect(b.seen).toEqual(['hello h1', 'frame f1', 'frame f2']))
    expect(a.seen).toEqual(['hello h1', 'frame f1', 'frame f2'])
    expect(streams).toHaveLength(1)
  })

  it('hands over when the leader goes: the next tab opens the stream and its hello reaches the others', async () => {
    const { platform, streams } = browser()
    const a = tab(platform)
    const b = tab(platform)
    const c = tab(platform)
    await vi.waitFor(() => expect(streams).toHaveLength(1))
    streams[0]!.emit('hello', 'h1')
    await vi.waitFor(() => expect(c.seen).toEqual(['hello h1']))
    a.events.close()
    expect(streams[0]!.closed).toBe(true)
    await vi.waitFor(() => expect(streams).toHaveLength(2))
    expect([b.events.role, c.events.role]).toEqual(['leader', 'follower'])
    streams[1]!.emit('hello', 'h2')
    streams[1]!.emit('frame', 'f3')
    await vi.waitFor(() => expect(c.seen).toEqual(['hello h1', 'hello h2', 'frame f3']))
    expect(b.seen).toEqual(['hello h1', 'hello h2', 'frame f3'])
    expect(a.seen).toEqual(['hello h1'])
  })

  it('delivers nothing before a hello, and ignores channel messages it did not send', async () => {
    const { platform, streams } = browser({
      locks: { request: () => new Promise(() => undefined) },
    })
    const b = tab(platform)
    // A listener for an event the tabs do not relay never fires from the channel.
    b.events.addEventListener('evil', (d) => b.seen.push(`evil ${d}`))
    const other = new BroadcastChannel(KEY)
    raw.push(other)
    other.postMessage({ kind: 'event', name: 'frame', data: 'early' })
    other.postMessage({ kind: 'event', name: 'hello', data: 42 })
    other.postMessage({ kind: 'state', to: 'someone-else', data: 'not mine' })
    other.postMessage('hello')
    other.postMessage(null)
    other.postMessage({ kind: 'event', name: 'hello', data: 'h1' })
    other.postMessage({ kind: 'event', name: 'evil', data: 'x' })
    other.postMessage({ kind: 'event', name: 'frame', data: 'f1' })
    await vi.waitFor(() => expect(b.seen).toEqual(['hello h1', 'frame f1']))
    expect(b.events.role).toBe('follower')
    expect(streams).toHaveLength(0)
  })

  it('keeps one stream per tab without Web Locks or BroadcastChannel', async () => {
    for (const missing of [{ locks: undefined }, { channel: undefined }]) {
      const { platform, streams } = browser(missing)
      const tabs = [tab(platform), tab(platform)]
      expect(streams).toHaveLength(2)
      expect(tabs.map((t) => t.events.role)).toEqual(['alone', 'alone'])
      streams[1]!.emit('hello', 'h1')
      expect(tabs[1]!.seen).toEqual(['hello h1'])
      expect(tabs[0]!.seen).toEqual([])
    }
  })

  it('without sharing, a tab hidden for 10 s closes its stream and reopens one when shown again', () => {
    vi.useFakeTimers()
    try {
      let hidden = false
      const changes: (() => void)[] = []
      const { platform, streams } = browser({
        locks: undefined,
        visibility: { hidden: () => hidden, onChange: (l) => changes.push(l) },
      })
      const a = tab(platform)
      const flip = (h: boolean): void => {
        hidden = h
        for (const l of changes) l()
      }
      expect(streams).toHaveLength(1)
      // A quick look at another tab keeps the connection.
      flip(true)
      vi.advanceTimersByTime(5_000)
      flip(false)
      vi.advanceTimersByTime(20_000)
      expect(streams[0]!.closed).toBe(false)
      // Hidden for good: closed after 10 s; shown again: a new stream, whose hello refreshes the tab.
      flip(true)
      vi.advanceTimersByTime(10_000)
      expect(streams[0]!.closed).toBe(true)
      expect(streams).toHaveLength(1)
      flip(false)
      expect(streams).toHaveLength(2)
      streams[1]!.emit('hello', 'h2')
      expect(a.seen).toEqual(['hello h2'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('falls back to its own stream when the lock request fails', async () => {
    const { platform, streams } = browser({
      locks: { request: () => Promise.reject(new DOMException('denied', 'SecurityError')) },
    })
    const a = tab(platform)
    await vi.waitFor(() => expect(streams).toHaveLength(1))
    expect(a.events.role).toBe('alone')
    streams[0]!.emit('hello', 'h1')
    expect(a.seen).toEqual(['hello h1'])
  })
})
