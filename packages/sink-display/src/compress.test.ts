import type { IncomingMessage } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { acceptsGzip, gzipBody } from './compress.js'

const req = (acceptEncoding?: string): IncomingMessage =>
  ({
    headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
  }) as IncomingMessage

describe('acceptsGzip', () => {
  it('reads Accept-Encoding, q-values included', () => {
    expect(acceptsGzip(req('gzip, deflate, br'))).toBe(true)
    expect(acceptsGzip(req('br;q=1.0, GZIP;q=0.5'))).toBe(true)
    expect(acceptsGzip(req('gzip;q=0'))).toBe(false)
    expect(acceptsGzip(req('deflate, br'))).toBe(false)
    expect(acceptsGzip(req('identity'))).toBe(false)
    expect(acceptsGzip(req())).toBe(false)
  })
})

describe('gzipBody', () => {
  it('round-trips and shrinks repetitive JSON', async () => {
    const text = JSON.stringify(
      Array.from({ length: 2000 }, (_, i) => ({
        t: 1_767_225_600_000 + i * 2000,
        avgVA: 400 + (i % 50),
      })),
    )
    const gz = await gzipBody(text)
    expect(gunzipSync(gz).toString('utf8')).toBe(text)
    expect(gz.length).toBeLessThan(text.length / 5)
  })
})
