import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/ports.js'

// What `linkyrpi run` loads: its embedded defaults (simulator → SQLite → dashboard) must not pay
// for the drivers of stages it does not run — the MQTT and NATS clients, PostgreSQL's driver, the
// YAML parser — which is memory on a Pi (docs/raspberry-pi.md, "What it uses"). The built app
// runs as a user runs it, with a loader hook recording every module it loads.

const root = fileURLToPath(new URL('../../', import.meta.url))
const APP = join(root, 'apps/linkyrpi/dist/main.js')
const RECORDER = fileURLToPath(new URL('../support/record-loads.mjs', import.meta.url))

/** Packages (by their node_modules directory) that only some configurations need. */
const OPTIONAL = [
  'mqtt',
  '@nats-io/transport-node',
  '@nats-io/jetstream',
  'pg',
  'yaml',
  '@linkyrpi/sink-mqtt',
]

/** The optional packages among the loaded module URLs. */
function optionalLoaded(urls: readonly string[]): string[] {
  return OPTIONAL.filter((name) =>
    urls.some(
      (u) =>
        u.includes(`/node_modules/${name}/`) ||
        (name === '@linkyrpi/sink-mqtt' && u.includes('/packages/sink-mqtt/')),
    ),
  )
}

/** Runs `linkyrpi run <args>` until its dashboard answers, stops it, and returns the loaded module URLs. */
async function loadedBy(dir: string, name: string, args: readonly string[]): Promise<string[]> {
  const record = join(dir, `${name}.loads`)
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      '--import',
      RECORDER,
      APP,
      'run',
      '--data-dir',
      join(dir, name),
      '--http-port',
      String(port),
      '--log-level',
      'warn',
      ...args,
    ],
    {
      env: { ...process.env, LINKY_RECORD_LOADS: record },
    },
  )
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const deadline = Date.now() + 30_000
  while (!err.includes('dashboard at')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no dashboard: ${err}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  // The Live screen's first requests, as a kiosk makes them.
  expect((await fetch(`http://127.0.0.1:${port}/api/config`)).status).toBe(200)
  child.kill('SIGTERM')
  expect(await exited).toBe(0)
  return (await readFile(record, 'utf8')).split('\n').filter(Boolean)
}

describe('linkyrpi run loads only what its configuration uses', () => {
  let dir = ''

  beforeAll(async () => {
    if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
    dir = await mkdtemp(join(tmpdir(), 'linky-lazy-modules-'))
  })

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('on its embedded defaults: no MQTT, NATS, PostgreSQL or YAML module', async () => {
    const urls = await loadedBy(dir, 'defaults', [])
    // The recorder works: the stages that run are there.
    expect(urls.some((u) => u.includes('/node_modules/better-sqlite3/'))).toBe(true)
    expect(urls.some((u) => u.includes('/sink-display/'))).toBe(true)
    expect(optionalLoaded(urls)).toEqual([])
  })

  it('with a configuration file that has an mqtt stage: YAML and the MQTT client load', async () => {
    const config = join(dir, 'mqtt.yaml')
    await writeFile(
      config,
      [
        'version: 1',
        'stages:',
        '  meter: { type: simulator, mode: historique, option: hc, speed: 1 }',
        '  frames: { type: tic-decode, from: meter }',
        '  dashboard: { type: display, from: frames }',
        // Nothing listens on port 9: the sink keeps retrying, which is all this test needs.
        '  ha: { type: mqtt, from: frames, url: "mqtt://127.0.0.1:9" }',
        '',
      ].join('\n'),
    )
    const urls = await loadedBy(dir, 'mqtt', ['--config', config])
    expect(optionalLoaded(urls)).toEqual(['mqtt', 'yaml', '@linkyrpi/sink-mqtt'])
  })
})
