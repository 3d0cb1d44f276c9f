import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { describeWithService, PG_URL, tcpReachable } from '../support/services.js'

// The PostgreSQL reader of `linkyrpi report` loads pg without its Cloudflare Workers probe, which
// on Node 20 builds a `new Response()` and so loads Node's fetch (undici, http2, zlib, worker
// threads) for nothing; and it leaves no `navigator` behind. Run in a fresh process, as a user
// runs the built app.

const pgUp = await tcpReachable('127.0.0.1', 5432)
const READER = fileURLToPath(
  new URL('../../packages/sink-postgres/dist/reader.js', import.meta.url),
)

const script = `
const { openPostgresReader } = await import(${JSON.stringify(READER)})
const engine = await openPostgresReader({ url: ${JSON.stringify(PG_URL)} })
const rows = await engine.selectRows('select 1 + ?::int', [1])
await engine.close()
process.stdout.write(JSON.stringify({
  rows,
  undici: process.moduleLoadList.some((m) => m.includes('undici')),
  navigator: typeof globalThis.navigator,
}))
`

describe('pg import', () => {
  describeWithService('PostgreSQL', pgUp, 'the PostgreSQL reader', () => {
    it('reads without loading undici, and leaves no navigator', () => {
      if (!existsSync(READER)) throw new Error(`${READER} is missing: build first (pnpm build)`)
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
      })
      expect(r.stderr).toBe('')
      const out = JSON.parse(r.stdout) as { rows: unknown; undici: boolean; navigator: string }
      expect(out.rows).toEqual([[2]])
      expect(out.undici).toBe(false)
      // Node 21 and later define navigator themselves; Node 20 has none.
      expect(out.navigator).toBe(
        Number(process.versions.node.split('.')[0]) >= 21 ? 'object' : 'undefined',
      )
    })
  })
})
