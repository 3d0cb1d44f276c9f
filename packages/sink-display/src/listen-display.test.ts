import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { DisplayServerError } from './errors.js'
import { listenDisplay } from './listen-display.js'

describe('listenDisplay', () => {
  it('answers the bound address and URL; a taken port rejects with DisplayServerError', async () => {
    const a = createServer()
    const l = await listenDisplay(a, '127.0.0.1', 0)
    expect(l).toEqual({
      url: `http://127.0.0.1:${String(l.port)}/`,
      host: '127.0.0.1',
      port: l.port,
    })
    const b = createServer()
    await expect(listenDisplay(b, '127.0.0.1', l.port)).rejects.toBeInstanceOf(DisplayServerError)
    await new Promise<void>((resolve) => a.close(() => resolve()))
  })
})
