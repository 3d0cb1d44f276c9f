import type { ServerResponse } from 'node:http'

/**
 * The connected event-stream clients. A message is serialised once and written to every client;
 * a client whose unsent backlog exceeds the limit is dropped (it reconnects and gets a fresh
 * `hello`), so one stuck page cannot grow the server's memory.
 */
export class SseHub {
  readonly #clients = new Set<ServerResponse>()

  constructor(private readonly maxBacklogBytes: number) {}

  /** Number of connected clients. */
  get size(): number {
    return this.#clients.size
  }

  /** Takes over `res` as an event stream; `first` is written before anything else. */
  add(res: ServerResponse, first: string): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.socket?.setNoDelay(true)
    res.write(`retry: 2000\n\n${first}`)
    this.#clients.add(res)
    res.on('close', () => this.#clients.delete(res))
  }

  /** Formats one SSE message. `data` must be JSON (no raw newlines). */
  static message(event: string, data: string): string {
    return `event: ${event}\ndata: ${data}\n\n`
  }

  /** Writes a formatted message to every client. */
  broadcast(message: string): void {
    for (const res of this.#clients) {
      if (res.writableLength > this.maxBacklogBytes) {
        this.#clients.delete(res)
        res.destroy()
        continue
      }
      res.write(message)
    }
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const res of this.#clients) res.end()
    this.#clients.clear()
  }
}
