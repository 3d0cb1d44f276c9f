/**
 * One event stream for every tab of a browser. Over HTTP/1.1 a browser opens at most six
 * connections to one server, and an `EventSource` holds one for as long as its page lives: with a
 * stream per tab, the sixth tab of the same dashboard would wait forever for its page files.
 *
 * The tabs elect a leader with the Web Locks API: the tab holding the lock `linkyrpi-events:<url>`
 * (held for its life) opens the stream and re-posts every event, name and data string as
 * received, on a `BroadcastChannel` of the same name; the others receive events from the channel.
 * A tab that joins asks the leader for the current state (`sync`) and gets it as a `hello` event
 * built by {@link SharedEventsOptions.snapshot}. When the leader goes away (closed, reloaded) the
 * browser grants the lock to a waiting tab, which opens the stream: its `hello` reaches everyone.
 *
 * Without `navigator.locks` (old browsers; pages that are not a secure context, i.e. neither
 * HTTPS nor localhost: the usual `http://<pi>:8080` from another machine) or `BroadcastChannel`,
 * each tab opens its own stream, and closes it once the tab has been hidden for
 * {@link HIDDEN_CLOSE_MS} (reopened, with a fresh `hello`, when the tab shows again): only the
 * visible tabs hold a connection, so background tabs no longer starve new ones.
 */

/** A tab with its own stream closes it after being hidden this long (ms). */
export const HIDDEN_CLOSE_MS = 10_000

/** Receives the data string of one event, exactly as the stream sent it. */
export type EventDataListener = (data: string) => void

/**
 * How this tab gets its events: `leader` opens the stream and relays it to the other tabs,
 * `follower` receives the leader's, `alone` has a stream of its own and shares nothing.
 */
export type EventsRole = 'leader' | 'follower' | 'alone'

/** The part of `EventSource` this module uses. */
export interface EventStream {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void
  close(): void
}

/** The part of `BroadcastChannel` this module uses. */
export interface EventChannel {
  onmessage: ((event: MessageEvent) => void) | null
  postMessage(message: unknown): void
  close(): void
}

/** What the browser provides; tests stand in for it. */
export interface EventsPlatform {
  /** `navigator.locks`, when available. */
  readonly locks:
    { request(name: string, callback: () => Promise<void>): Promise<unknown> } | undefined
  /** Opens a `BroadcastChannel`, when available. */
  readonly channel: ((name: string) => EventChannel) | undefined
  /** Opens an `EventSource`. */
  readonly stream: (url: string) => EventStream
  /** The page's visibility, when known (`document.visibilityState` and its change event). */
  readonly visibility?: { hidden(): boolean; onChange(listener: () => void): void } | undefined
}

/** Options of {@link sharedEvents}. */
export interface SharedEventsOptions {
  /** Absolute URL of the event stream; also names the lock and the channel. */
  readonly url: string
  /** Names of the events to receive (and relay). */
  readonly events: readonly string[]
  /**
   * The event the stream sends first, carrying the whole state. A tab delivers no other event
   * before its first `hello`, as with an `EventSource`.
   */
  readonly hello: string
  /** This tab's current state as the data of a `hello` event, or null before it has one. */
  readonly snapshot: () => string | null
  /** Defaults to the browser's. */
  readonly platform?: EventsPlatform
}

/** An `EventSource`-like subscription shared by the tabs of a browser. */
export interface SharedEvents {
  /** Calls `listener` with the data of every `type` event from now on. */
  addEventListener(type: string, listener: EventDataListener): void
  /** How this tab gets its events now (a follower becomes the leader when the lock passes to it). */
  readonly role: EventsRole
  /** Stops: closes the stream and the channel, and gives up the lock. */
  close(): void
}

/** Messages on the channel. */
type ChannelMessage =
  | { readonly kind: 'event'; readonly name: string; readonly data: string }
  | { readonly kind: 'sync'; readonly from: string }
  | { readonly kind: 'state'; readonly to: string; readonly data: string }

/** The browser's locks, channel and event source (a page that is not a secure context has no locks). */
export function browserPlatform(): EventsPlatform {
  const locks = (navigator as Partial<Navigator>).locks
  return {
    locks:
      locks === undefined
        ? undefined
        : { request: (name, callback) => locks.request(name, callback) },
    channel:
      typeof BroadcastChannel === 'function' ? (name) => new BroadcastChannel(name) : undefined,
    stream: (url) => new EventSource(url),
    visibility:
      typeof document === 'undefined'
        ? undefined
        : {
            hidden: () => document.visibilityState === 'hidden',
            onChange: (l) => document.addEventListener('visibilitychange', l),
          },
  }
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join('')
}

/** Reads a channel message; null when it is not one this module sent. */
function parse(m: unknown, names: ReadonlySet<string>): ChannelMessage | null {
  if (typeof m !== 'object' || m === null) return null
  const r = m as Record<string, unknown>
  if (
    r.kind === 'event' &&
    typeof r.name === 'string' &&
    names.has(r.name) &&
    typeof r.data === 'string'
  )
    return { kind: 'event', name: r.name, data: r.data }
  if (r.kind === 'sync' && typeof r.from === 'string') return { kind: 'sync', from: r.from }
  if (r.kind === 'state' && typeof r.to === 'string' && typeof r.data === 'string')
    return { kind: 'state', to: r.to, data: r.data }
  return null
}

/**
 * Subscribes to the event stream at `options.url`, sharing one connection among the tabs of the
 * browser when it can (see the module comment).
 */
export function sharedEvents(options: SharedEventsOptions): SharedEvents {
  const platform = options.platform ?? browserPlatform()
  const names = new Set(options.events)
  const listeners = new Map<string, EventDataListener[]>()
  let role: EventsRole = 'alone'
  let helloSeen = false
  let stream: EventStream | null = null
  let channel: EventChannel | null = null
  let release: (() => void) | null = null
  let closed = false

  function deliver(name: string, data: string): void {
    if (name === options.hello) helloSeen = true
    else if (!helloSeen) return
    for (const l of listeners.get(name) ?? []) l(data)
  }

  function open(relay: EventChannel | null): void {
    const es = platform.stream(options.url)
    for (const name of names) {
      es.addEventListener(name, (e) => {
        // The other tabs first: they need not wait for this one to render.
        relay?.postMessage({ kind: 'event', name, data: e.data } satisfies ChannelMessage)
        deliver(name, e.data)
      })
    }
    stream = es
  }

  // A tab with its own stream: opened now, closed while the tab stays hidden, reopened when shown.
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined
  function alone(): void {
    role = 'alone'
    open(null)
    const vis = platform.visibility
    vis?.onChange(() => {
      if (closed) return
      clearTimeout(hiddenTimer)
      if (vis.hidden()) {
        hiddenTimer = setTimeout(() => {
          if (closed || !vis.hidden() || stream === null) return
          stream.close()
          stream = null
        }, HIDDEN_CLOSE_MS)
      } else if (stream === null) open(null)
    })
  }

  const { locks } = platform
  if (locks === undefined || platform.channel === undefined) {
    alone()
  } else {
    const key = `linkyrpi-events:${options.url}`
    const id = randomId()
    const ch = platform.channel(key)
    channel = ch
    role = 'follower'
    ch.onmessage = (e) => {
      const m = parse(e.data, names)
      if (m === null) return
      if (m.kind === 'event' && role === 'follower') deliver(m.name, m.data)
      else if (m.kind === 'state' && m.to === id && role === 'follower')
        deliver(options.hello, m.data)
      else if (m.kind === 'sync' && role === 'leader') {
        const state = options.snapshot()
        if (state !== null)
          ch.postMessage({ kind: 'state', to: m.from, data: state } satisfies ChannelMessage)
      }
    }
    ch.postMessage({ kind: 'sync', from: id } satisfies ChannelMessage)
    locks
      .request(key, () => {
        if (closed) return Promise.resolve()
        role = 'leader'
        open(ch)
        // Held until the page goes away (or close()).
        return new Promise<void>((resolve) => (release = resolve))
      })
      .catch(() => {
        // No lock for this page after all (e.g. a sandboxed frame): its own stream, as before.
        if (closed || role === 'leader') return
        ch.close()
        channel = null
        alone()
      })
  }

  return {
    addEventListener(type, listener) {
      const list = listeners.get(type)
      if (list === undefined) listeners.set(type, [listener])
      else list.push(listener)
    },
    get role() {
      return role
    },
    close() {
      closed = true
      clearTimeout(hiddenTimer)
      stream?.close()
      channel?.close()
      release?.()
      stream = channel = release = null
    },
  }
}
