// Dashboard latency and memory, against the BUILT package (pnpm build first).
//
// latency: a standard-mode meter simulated at real time (9600 Bd, bytes arriving in 32-byte UART
// chunks), decoded by tic-core; from the moment the decoder sees a frame's ETX byte to the moment
// the new apparent power is in the page's DOM (MutationObserver in Chromium). Both clocks are
// performance.timeOrigin + performance.now() on the same machine. Prints p50/p99/max in ms, for
// the tab holding the event stream, then for a second tab of the same browser fed by the first.
// memory: RSS and heap of a server alone in a child process (memory-server.child.mjs) with 0 and
// then 10 connected dashboards (10 Chromium contexts).
//
// Environment: BENCH_FRAMES (default 120), LINKY_CHROMIUM (default /usr/bin/chromium).
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { chromium } from 'playwright-core'
import { createTicDecoder, encodeFrame, formatHorodate } from '@linkyrpi/tic-core'
import { startDisplayServer } from '../dist/index.js'

const FRAMES = Number(process.env.BENCH_FRAMES ?? 120)
const CHROMIUM = process.env.LINKY_CHROMIUM ?? '/usr/bin/chromium'
const BYTES_PER_S = 9600 / 10 // 7E1 + start/stop: 10 bits per byte
const CHUNK = 32
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent }
const ctx = {
  stage: 'dashboard',
  logger: silent,
  diagnostics: { report() {} },
  now: () => Date.now(),
}
const wall = () => performance.timeOrigin + performance.now()
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

if (!existsSync(new URL('../dist/client/index.html', import.meta.url))) {
  console.error('dist/client missing: run pnpm build first')
  process.exit(1)
}
if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}`)
  process.exit(1)
}

function frameBytes(i) {
  const pad = (n, w) => String(n).padStart(w, '0')
  const h = formatHorodate(Date.now())
  return encodeFrame('standard', [
    { label: 'ADSC', value: '812164123456' },
    { label: 'VTIC', value: '02' },
    { label: 'DATE', value: '', horodate: h },
    { label: 'NGTF', value: 'H PLEINE/CREUSE' },
    { label: 'LTARF', value: 'HEURE PLEINE' },
    { label: 'EAST', value: pad(5_000_000 + i, 9) },
    { label: 'EASF01', value: pad(2_000_000, 9) },
    { label: 'EASF02', value: pad(3_000_000 + i, 9) },
    { label: 'IRMS1', value: '008' },
    { label: 'URMS1', value: '231' },
    { label: 'PREF', value: '09' },
    { label: 'PCOUP', value: '09' },
    { label: 'SINSTS', value: pad(1000 + i, 5) },
    { label: 'SMAXSN', value: '04500', horodate: h },
    { label: 'STGE', value: '00CA0400' },
    { label: 'MSG1', value: 'PAS DE MESSAGE' },
    { label: 'PRM', value: '09876543210123' },
    { label: 'RELAIS', value: '001' },
    { label: 'NTARF', value: '02' },
  ])
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

const server = await startDisplayServer({ port: 0, host: '127.0.0.1' }, ctx)
const decoder = createTicDecoder({ reading: true })
const sentAt = new Map()
let seq = 0
function feed(bytes) {
  decoder.write(bytes, (e) => {
    if (e.kind !== 'frame') return
    const t = wall() // the chunk holding ETX has just arrived
    seq++
    sentAt.set(e.frame.reading.power.apparentVA, t)
    server.publish({
      ...e.frame,
      reading: e.frame.reading,
      meta: { seq, receivedAt: Date.now(), source: 'bench' },
    })
  })
}
/** Sends one frame's bytes at the serial line's pace. */
async function sendRealTime(i) {
  const bytes = frameBytes(i)
  for (let o = 0; o < bytes.length; o += CHUNK) {
    const chunk = bytes.subarray(o, o + CHUNK)
    await sleep((chunk.length / BYTES_PER_S) * 1000)
    feed(chunk)
  }
}

// One browser (Playwright gives it a fresh temporary profile) and one context per dashboard: the
// tabs of one context share a single event stream (src/client/shared-events.ts), and the memory
// figures below are for ten connected dashboards, i.e. ten streams.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
try {
  await sendRealTime(0)
  const context = await browser.newContext({ viewport: { width: 800, height: 480 } })
  const page = await context.newPage()
  await page.goto(server.url)
  /** Records when the page's apparent power changes (MutationObserver). */
  const observe = async (p) => {
    await p.locator('[data-testid="apparent"]').waitFor()
    await p.evaluate(() => {
      const el = document.querySelector('[data-testid="apparent"]')
      window.__seen = []
      new MutationObserver(() =>
        window.__seen.push([el.textContent, performance.timeOrigin + performance.now()]),
      ).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      })
    })
  }
  /** Sends frames `from`..`to` in real time and prints the ETX-to-DOM latencies seen by `p`. */
  const measureLatency = async (p, bench, from, to) => {
    for (let i = from; i <= to; i++) await sendRealTime(i)
    await sleep(300)
    const seen = await p.evaluate(() => window.__seen)
    const lat = []
    for (const [text, t] of seen) {
      const va = Number(String(text).replace(/\D/g, ''))
      const t0 = sentAt.get(va)
      if (t0 !== undefined) lat.push(t - t0)
    }
    lat.sort((a, b) => a - b)
    const r = (x) => Math.round(x * 100) / 100
    console.log(
      JSON.stringify({
        bench,
        frames: to - from + 1,
        observed: lat.length,
        p50Ms: r(quantile(lat, 0.5)),
        p99Ms: r(quantile(lat, 0.99)),
        maxMs: r(lat[lat.length - 1]),
        baud: 9600,
        loadAvg1m: r(loadavg()[0]),
      }),
    )
  }
  await observe(page)
  await measureLatency(page, 'dashboard-latency', 1, FRAMES)
  // A second tab of the same browser gets the events from the first one's stream (shared-events).
  const follower = await context.newPage()
  await follower.goto(server.url)
  await observe(follower)
  await measureLatency(follower, 'dashboard-latency-follower-tab', FRAMES + 1, 2 * FRAMES)
  await follower.close()
  await page.close()

  // Memory of a dashboard server alone in a child process (no browser driver in its heap), with
  // 0 and then 10 connected dashboards, frames at one per second.
  const child = fork(fileURLToPath(new URL('./memory-server.child.mjs', import.meta.url)), [], {
    execArgv: ['--expose-gc'],
  })
  const next = () => new Promise((resolve) => child.once('message', resolve))
  const { url } = await next()
  await sleep(3000)
  const measure = async () => {
    child.send('measure')
    const m = await next()
    return {
      clients: m.clients,
      rssMiB: Math.round((m.rss / 1048576) * 10) / 10,
      heapUsedMiB: Math.round((m.heapUsed / 1048576) * 10) / 10,
    }
  }
  const before = await measure()
  const pages = []
  for (let k = 0; k < 10; k++) {
    const c = await browser.newContext({ viewport: { width: 800, height: 480 } })
    const p = await c.newPage()
    await p.goto(url)
    await p.locator('nav').waitFor()
    pages.push(p)
  }
  await sleep(15_000)
  const after = await measure()
  console.log(
    JSON.stringify({
      bench: 'dashboard-server-memory',
      before,
      after,
      deltaHeapMiB: Math.round((after.heapUsedMiB - before.heapUsedMiB) * 10) / 10,
      deltaRssMiB: Math.round((after.rssMiB - before.rssMiB) * 10) / 10,
    }),
  )
  for (const p of pages) await p.context().close()
  child.send('stop')
  await context.close()
} finally {
  await browser.close()
  await server.close()
}
