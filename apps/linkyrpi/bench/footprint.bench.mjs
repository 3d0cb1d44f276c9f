// Footprint of `linkyrpi run` on its embedded defaults (simulated meter at speed 1 → decoder →
// SQLite → dashboard), each with a page of one headless Chromium on the Live screen: resident
// memory of the Node process over time (RSS, anonymous and file-backed), its V8 heap (through
// footprint-probe.mjs) and CPU time, for each variant side by side in the same run:
//   - "node-defaults": plain `node` (V8's default heap sizing);
//   - "unit": the NODE_OPTIONS and the ExecStart node options of the shipped systemd unit
//     (systemd/linkyrpi.service).
// Baseline measured in the same run: an idle `node` process (the runtime alone).
//
// Prints JSON lines: one `sample` per variant every FOOTPRINT_INTERVAL_S, then one `summary` per
// variant (min/max/first and last tenth of the run) and the Chromium processes' PSS (all pages).
//
// Environment:
//   FOOTPRINT_BIN         the linkyrpi entry point to run (default: this app's dist/main.js;
//                         an installed one: <prefix>/lib/node_modules/linkyrpi/dist/main.js)
//   FOOTPRINT_MINUTES     duration (default 3; the guide's figures come from 60+)
//   FOOTPRINT_INTERVAL_S  sampling interval (default 15)
//   FOOTPRINT_VARIANTS    comma-separated subset of node-defaults,unit (default both)
//   FOOTPRINT_VARIANTS_FILE  a JSON array of variants instead: [{ "name", "nodeOptions"?, "env"?,
//                         "bin"? }] — e.g. main's build against a branch's, or one knob each
//   FOOTPRINT_SNAPSHOT_AT_MIN  minutes at which to write a heap snapshot of every variant whose
//                         name ends in "-snap" (comma-separated; also one at the end)
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

/** NODE_OPTIONS of the shipped unit's `Environment=NODE_OPTIONS=...` line, then the node options of its ExecStart line. */
function unitNodeOptions() {
  const unit = readFileSync(UNIT, 'utf8')
  const env = /^Environment=["']?NODE_OPTIONS=([^"'\n]*)["']?$/m.exec(unit)?.[1] ?? ''
  const flags = /^ExecStart=\S+((?:\s+--[\w-]+(?:=\S+)?)*)\s+\S+\s+run\b/m.exec(unit)?.[1] ?? ''
  return `${env} ${flags}`.trim()
}

const BUILTIN = { 'node-defaults': '', unit: unitNodeOptions() }
const variants = process.env.FOOTPRINT_VARIANTS_FILE
  ? JSON.parse(readFileSync(process.env.FOOTPRINT_VARIANTS_FILE, 'utf8'))
  : (process.env.FOOTPRINT_VARIANTS ?? Object.keys(BUILTIN).join(',')).split(',').map((name) => {
      if (!(name in BUILTIN)) throw new Error(`unknown variant ${name}`)
      return { name, nodeOptions: BUILTIN[name] }
    })
const PROBE = fileURLToPath(new URL('./footprint-probe.mjs', import.meta.url))
const SNAP_AT = (process.env.FOOTPRINT_SNAPSHOT_AT_MIN ?? '').split(',').filter(Boolean).map(Number)

/** VmRSS, RssAnon and RssFile of a process, MB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 }
}

/** User + system CPU time of a process since it started, s. */
function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) / 100
}

/** The last process.memoryUsage() line the probe wrote, MB (null before the first). */
function heap(file) {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    const m = JSON.parse(lines[lines.length - 1])
    return {
      heap_used_mb: +(m.heapUsed / 2 ** 20).toFixed(1),
      heap_total_mb: +(m.heapTotal / 2 ** 20).toFixed(1),
      external_mb: +(m.external / 2 ** 20).toFixed(1),
      // Committed size of each V8 heap space (old, new, code, large_object…), MB.
      ...(m.spaces === undefined
        ? {}
        : {
            spaces_mb: Object.fromEntries(
              Object.entries(m.spaces)
                .filter(([, bytes]) => bytes > 0)
                .map(([name, bytes]) => [name, +(bytes / 2 ** 20).toFixed(2)]),
            ),
          }),
    }
  } catch {
    return {}
  }
}

/** Proportional set size (shared pages divided among their users) of a process, MB. */
function pss(pid) {
  return (
    Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN) /
    1024
  )
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

async function startApp(variant, dir) {
  const { name, nodeOptions = '', env = {}, bin = BIN } = variant
  const port = await freePort()
  const probe = join(dir, `${name}.probe.jsonl`)
  const snap = name.endsWith('-snap')
    ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`]
    : []
  const child = spawn(
    process.execPath,
    [
      '--import',
      PROBE,
      ...snap,
      ...nodeOptions.split(/\s+/).filter(Boolean),
      bin,
      'run',
      '--data-dir',
      join(dir, name),
      '--http-port',
      String(port),
      '--log-level',
      'warn',
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        ...env,
        FOOTPRINT_PROBE_OUT: probe,
        FOOTPRINT_PROBE_INTERVAL_S: String(Math.min(INTERVAL_S, 15)),
      },
    },
  )
  let stderr = ''
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d.toString()
      if (stderr.includes('dashboard at')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${name} exited (${String(code)}): ${stderr}`)))
  })
  return { name, nodeOptions, env, bin, child, port, probe }
}

const dir = await mkdtemp(join(tmpdir(), 'linky-footprint-'))
const idleProbe = join(dir, 'idle.probe.jsonl')
const idle = spawn(process.execPath, ['--import', PROBE, '-e', 'setInterval(() => {}, 1000)'], {
  stdio: 'ignore',
  env: { ...process.env, FOOTPRINT_PROBE_OUT: idleProbe },
})
const apps = []
const pages = []
const snapshotsTaken = new Set()
// One Chromium, one page per variant: Chromium's own memory is not what this measures.
const server = await chromium.launchServer({
  executablePath: CHROMIUM,
  args: [
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
  const browser = await chromium.connect(server.wsEndpoint())
  for (const variant of variants) {
    const app = await startApp(variant, dir)
    apps.push(app)
    const page = await (
      await browser.newContext({ viewport: { width: 800, height: 480 } })
    ).newPage()
    await page.goto(`http://127.0.0.1:${String(app.port)}/#live`)
    pages.push({ name: app.name, page })
  }
  emit({
    event: 'start',
    minutes: MINUTES,
    intervalS: INTERVAL_S,
    variants: apps.map((a) => ({
      name: a.name,
      nodeOptions: a.nodeOptions,
      env: a.env,
      bin: a.bin,
    })),
  })
  const samples = new Map(apps.map((a) => [a.name, []]))
  const started = Date.now()
  while (Date.now() - started < MINUTES * 60_000) {
    await sleep(INTERVAL_S * 1000)
    const t = Math.round((Date.now() - started) / 1000)
    const base = memory(idle.pid)
    for (const app of apps) {
      if (app.child.exitCode !== null)
        throw new Error(`${app.name} exited with ${String(app.child.exitCode)}`)
      const m = memory(app.child.pid)
      const row = { rss: m.rss, anon: m.anon, file: m.file, cpu: cpuSeconds(app.child.pid) }
      samples.get(app.name).push(row)
      emit({
        event: 'sample',
        variant: app.name,
        t_s: t,
        rss_mb: +m.rss.toFixed(1),
        anon_mb: +m.anon.toFixed(1),
        file_mb: +m.file.toFixed(1),
        cpu_s: row.cpu,
        ...heap(app.probe),
        idle_node_rss_mb: +base.rss.toFixed(1),
        idle_node_anon_mb: +base.anon.toFixed(1),
      })
    }
    for (const at of SNAP_AT) {
      if (t >= at * 60 && !snapshotsTaken.has(at)) {
        snapshotsTaken.add(at)
        for (const app of apps) if (app.name.endsWith('-snap')) app.child.kill('SIGUSR2')
      }
    }
  }
  for (const app of apps) if (app.name.endsWith('-snap')) app.child.kill('SIGUSR2')
  if (apps.some((a) => a.name.endsWith('-snap'))) emit({ event: 'snapshots', dir })
  const mean = (xs) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)
  for (const app of apps) {
    const s = samples.get(app.name)
    const tenth = Math.max(1, Math.floor(s.length / 10))
    const page = pages.find((x) => x.name === app.name).page
    const shown = await page.locator('body').innerText()
    const rss = s.map((x) => x.rss)
    const anon = s.map((x) => x.anon)
    emit({
      event: 'summary',
      variant: app.name,
      nodeOptions: app.nodeOptions,
      env: app.env,
      samples: s.length,
      rss_min_mb: +Math.min(...rss).toFixed(1),
      rss_max_mb: +Math.max(...rss).toFixed(1),
      rss_first_tenth_mb: mean(rss.slice(0, tenth)),
      rss_last_tenth_mb: mean(rss.slice(-tenth)),
      anon_first_tenth_mb: mean(anon.slice(0, tenth)),
      anon_last_tenth_mb: mean(anon.slice(-tenth)),
      cpu_s: s[s.length - 1].cpu,
      ...heap(app.probe),
      idle_node_rss_mb: +memory(idle.pid).rss.toFixed(1),
      chromium_pss_mb: +treePss(server.process().pid).toFixed(1),
      page_text_chars: shown.length,
    })
  }
} finally {
  await server.close().catch(() => {})
  for (const app of apps) app.child.kill('SIGTERM')
  idle.kill()
  await sleep(2000)
  if (!apps.some((a) => a.name.endsWith('-snap'))) await rm(dir, { recursive: true, force: true })
}
