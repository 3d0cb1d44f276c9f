// Footprint of `linkyrpi run` on its embedded defaults (simulated meter at speed 1 → decoder →
// SQLite → dashboard) with one headless Chromium showing the Live screen: resident memory of the
// Node process over time, for each variant side by side in the same run:
//   - "node-defaults": plain `node` (V8's default heap sizing);
//   - "unit": the NODE_OPTIONS of the shipped systemd unit (systemd/linkyrpi.service).
// Baseline measured in the same run: an idle `node` process (the runtime alone).
//
// Prints JSON lines: one `sample` per variant every FOOTPRINT_INTERVAL_S, then one `summary` per
// variant (min/max/first and last tenth of the run) and the Chromium processes' PSS.
//
// Environment:
//   FOOTPRINT_BIN         the linkyrpi entry point to run (default: this app's dist/main.js;
//                         an installed one: <prefix>/lib/node_modules/linkyrpi/dist/main.js)
//   FOOTPRINT_MINUTES     duration (default 3; the guide's figures come from 60+)
//   FOOTPRINT_INTERVAL_S  sampling interval (default 15)
//   FOOTPRINT_VARIANTS    comma-separated subset of node-defaults,unit (default both)
//   LINKY_CHROMIUM        Chromium executable (default /usr/bin/chromium)
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const BIN = process.env.FOOTPRINT_BIN ?? fileURLToPath(new URL('../dist/main.js', import.meta.url))
const MINUTES = Number(process.env.FOOTPRINT_MINUTES ?? 3)
const INTERVAL_S = Number(process.env.FOOTPRINT_INTERVAL_S ?? 15)
const CHROMIUM = process.env.LINKY_CHROMIUM ?? '/usr/bin/chromium'
const UNIT = fileURLToPath(new URL('../systemd/linkyrpi.service', import.meta.url))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const emit = (o) => process.stdout.write(`${JSON.stringify({ bench: 'footprint', ...o })}\n`)

if (!existsSync(BIN)) {
  console.error(`${BIN} missing: run pnpm build first (or set FOOTPRINT_BIN)`)
  process.exit(1)
}

/** NODE_OPTIONS of the shipped unit's `Environment=NODE_OPTIONS=...` line. */
function unitNodeOptions() {
  const m = /^Environment=["']?NODE_OPTIONS=([^"'\n]*)["']?$/m.exec(readFileSync(UNIT, 'utf8'))
  return m === null ? '' : m[1].trim()
}

const VARIANTS = { 'node-defaults': '', unit: unitNodeOptions() }
const chosen = (process.env.FOOTPRINT_VARIANTS ?? Object.keys(VARIANTS).join(',')).split(',')

/** VmRSS, RssAnon and RssFile of a process, MB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 }
}

/** Proportional set size (shared pages divided among their users) of a process, MB. */
function pss(pid) {
  return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN) / 1024
}

/** Sum of PSS of a process and all its descendants, MB (Chromium's processes share much). */
function treePss(root) {
  const children = new Map()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'))[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)])
    } catch {
      // The process ended meanwhile.
    }
  }
  let total = 0
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.pop()
    try {
      total += pss(pid)
    } catch {
      // Ended.
    }
    queue.push(...(children.get(pid) ?? []))
  }
  return total
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function startApp(name, nodeOptions, dir) {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeOptions.split(/\s+/).filter(Boolean), BIN, 'run', '--data-dir', join(dir, name), '--http-port', String(port), '--log-level', 'warn'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d.toString()
      if (stderr.includes('dashboard at')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${name} exited (${String(code)}): ${stderr}`)))
  })
  return { name, nodeOptions, child, port }
}

const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
const dir = await mkdtemp(join(tmpdir(), 'linky-footprint-'))
const apps = []
const browsers = []
try {
  for (const name of chosen) {
    if (!(name in VARIANTS)) throw new Error(`unknown variant ${name}`)
    const app = await startApp(name, VARIANTS[name], dir)
    const server = await chromium.launchServer({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
    const browser = await chromium.connect(server.wsEndpoint())
    const page = await browser.newPage({ viewport: { width: 800, height: 480 } })
    await page.goto(`http://127.0.0.1:${String(app.port)}/#live`)
    apps.push(app)
    browsers.push({ name, browser, server, page })
  }
  emit({ event: 'start', bin: BIN, minutes: MINUTES, intervalS: INTERVAL_S, variants: Object.fromEntries(apps.map((a) => [a.name, a.nodeOptions])) })
  const samples = new Map(apps.map((a) => [a.name, []]))
  const started = Date.now()
  while (Date.now() - started < MINUTES * 60_000) {
    await sleep(INTERVAL_S * 1000)
    const t = Math.round((Date.now() - started) / 1000)
    const base = memory(idle.pid)
    for (const app of apps) {
      if (app.child.exitCode !== null) throw new Error(`${app.name} exited with ${String(app.child.exitCode)}`)
      const m = memory(app.child.pid)
      samples.get(app.name).push(m.rss)
      const b = browsers.find((x) => x.name === app.name)
      emit({ event: 'sample', variant: app.name, t_s: t, rss_mb: +m.rss.toFixed(1), anon_mb: +m.anon.toFixed(1), file_mb: +m.file.toFixed(1), idle_node_rss_mb: +base.rss.toFixed(1), chromium_pss_mb: +treePss(b.server.process().pid).toFixed(1) })
    }
  }
  for (const app of apps) {
    const s = samples.get(app.name)
    const tenth = Math.max(1, Math.floor(s.length / 10))
    const mean = (xs) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)
    const b = browsers.find((x) => x.name === app.name)
    const shown = await b.page.locator('body').innerText()
    emit({
      event: 'summary',
      variant: app.name,
      nodeOptions: app.nodeOptions,
      samples: s.length,
      rss_min_mb: +Math.min(...s).toFixed(1),
      rss_max_mb: +Math.max(...s).toFixed(1),
      rss_first_tenth_mb: mean(s.slice(0, tenth)),
      rss_last_tenth_mb: mean(s.slice(-tenth)),
      idle_node_rss_mb: +memory(idle.pid).rss.toFixed(1),
      chromium_pss_mb: +treePss(b.server.process().pid).toFixed(1),
      page_text_chars: shown.length,
    })
  }
} finally {
  for (const b of browsers) await b.server.close().catch(() => {})
  for (const app of apps) app.child.kill('SIGTERM')
  idle.kill()
  await sleep(1000)
  await rm(dir, { recursive: true, force: true })
}
