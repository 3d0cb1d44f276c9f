// Size of the built dashboard client (what a Pi's Chromium downloads once): raw and gzip bytes.
import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const dir = new URL('../dist/client/assets/', import.meta.url)
const sum = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 } }
for (const f of readdirSync(dir)) {
  const kind = f.endsWith('.js') ? 'js' : f.endsWith('.css') ? 'css' : null
  if (kind === null) continue
  const body = readFileSync(new URL(f, dir))
  sum[kind].raw += body.length
  sum[kind].gzip += gzipSync(body, { level: 9 }).length
}
console.log(
  JSON.stringify({
    bench: 'dashboard-bundle',
    jsBytes: sum.js.raw,
    jsGzipBytes: sum.js.gzip,
    cssBytes: sum.css.raw,
    cssGzipBytes: sum.css.gzip,
    budgetJsGzipBytes: 150 * 1024,
  }),
)
