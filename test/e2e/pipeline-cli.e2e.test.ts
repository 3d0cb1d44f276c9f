import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/ports.js'

// The linkyrpi app as a user runs it (built dist, separate process): `config check` on the
// shipped example and on a broken file, and `run` with the embedded defaults.

const root = fileURLToPath(new URL('../../', import.meta.url))
const APP = join(root, 'apps/linkyrpi/dist/main.js')

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [APP, ...args], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('linkyrpi CLI (built app)', () => {
  let dir = ''
  beforeAll(async () => {
    if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
    dir = await mkdtemp(join(tmpdir(), 'linky-cli-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('config check accepts the shipped example and summarises nodes and NATS edges', async () => {
    await copyFile(
      join(root, 'apps/linkyrpi/linkyrpi.config.example.yaml'),
      join(dir, 'linkyrpi.config.yaml'),
    )
    await copyFile(join(root, 'packages/pipeline/examples/csv-sink.mjs'), join(dir, 'csv-sink.mjs'))
    // The custom module imports rxjs: give its folder a node_modules, as its install would.
    await symlink(join(root, 'packages/pipeline/node_modules'), join(dir, 'node_modules'))
    const result = await run(['config', 'check', join(dir, 'linkyrpi.config.yaml')], {
      DATABASE_URL: 'postgres://linky@db.example.net/linky',
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("valid (site 'home', 6 stages)")
    expect(result.stdout).toContain('edge pi/frames → server/store: JetStream (durable)')
    expect(result.stdout).toMatch(/csv\s+sink\s+\.\/csv-sink\.mjs ← frames/)
  })

  it('config check reports every problem of a broken file with exit code 3', async () => {
    const file = join(dir, 'broken.yaml')
    await writeFile(
      file,
      'site: ${NO_SUCH_VAR}\nstages:\n  a: { type: simulator, speed: fast }\n  b: { type: tic-decode, from: z }\n  c: { type: log, from: b, node: other }\n',
    )
    const result = await run(['config', 'check', file], { NO_SUCH_VAR: '' })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('invalid configuration (4 problems)')
    for (const line of [
      'site: environment variable NO_SUCH_VAR is not set',
      'stages.a.speed:',
      "stages.b.from: no stage named 'z'",
      "stages.c.from: 'c' runs on node 'other'",
    ]) {
      expect(result.stderr).toContain(line)
    }
  })

  it('run with no config: simulator → SQLite in --data-dir → dashboard on --http-host/--http-port; SIGTERM flushes and exits 0', async () => {
    const port = await freePort()
    const data = join(dir, 'data')
    const child = spawn(
      process.execPath,
      [APP, 'run', '--data-dir', data, '--http-port', String(port), '--http-host', '0.0.0.0'],
      { cwd: dir },
    )
    let stderr = ''
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        const m = /dashboard at (http:\/\/\S+)/.exec(stderr)
        if (m !== null) resolve(m[1] as string)
      })
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)))
    })
    // Listening on every interface (a dashboard for the LAN), so reachable on loopback too.
    expect(url).toBe(`http://0.0.0.0:${port}/`)
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)
    const samples = (): number => {
      if (!existsSync(join(data, 'linkyrpi.db'))) return 0
      const db = new Database(join(data, 'linkyrpi.db'), { readonly: true })
      try {
        const table = db
          .prepare("select count(*) as n from sqlite_master where name = 'samples'")
          .get() as { n: number }
        return table.n === 0
          ? 0
          : (db.prepare('select count(*) as n from samples').get() as { n: number }).n
      } finally {
        db.close()
      }
    }
    // The dashboard shows the first frame at once (real pace: one frame every ~1.5 s); the store
    // commits every 5 minutes by default (SD-card wear), and SIGTERM commits what it holds.
    const deadline = Date.now() + 30_000
    while (
      (await (await fetch(`http://127.0.0.1:${port}/api/latest`)).json()) === null &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(samples()).toBe(0)
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(0)
    expect(stdout).toContain('"msg":"node stopped"')
    expect(samples()).toBeGreaterThanOrEqual(1)
  }, 60_000)

  it('run --simulate tempo,3,producer simulates that meter without YAML, under its own meter id; a bad SPEC lists every problem', async () => {
    const bad = await run(['run', '--simulate', 'tempo,2,weekend', '--data-dir', join(dir, 'bad')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--simulate 'tempo,2,weekend': '2' is not one of")
    expect(bad.stderr).toContain("'weekend' is not one of")
    expect(existsSync(join(dir, 'bad'))).toBe(false)

    const latest = async (
      spec: string,
    ): Promise<{
      reading: {
        meter: { id: string; mode: string; phases: number; producer: boolean }
        contract: { option: string }
      }
    }> => {
      const port = await freePort()
      const child = spawn(
        process.execPath,
        [
          APP,
          'run',
          '--simulate',
          spec,
          '--data-dir',
          join(dir, `data-${spec}`),
          '--http-port',
          String(port),
        ],
        { cwd: dir },
      )
      let stderr = ''
      try {
        await new Promise<void>((resolve, reject) => {
          child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString()
            if (/dashboard at /.test(stderr)) resolve()
          })
          child.on('exit', () => reject(new Error(`exited early: ${stderr}`)))
        })
        const deadline = Date.now() + 30_000
        for (;;) {
          // A few frames, so that phases and producer are settled (hysteresis over 3 frames).
          const frame = (await (await fetch(`http://127.0.0.1:${port}/api/latest`)).json()) as {
            reading: never
            meta: { seq: number }
          } | null
          if (frame !== null && frame.meta.seq >= 4) return frame
          if (Date.now() > deadline) throw new Error(`no frame: ${stderr}`)
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      } finally {
        child.kill('SIGTERM')
        await new Promise((resolve) => child.on('exit', resolve))
      }
    }
    const tempo = await latest('tempo,3,producer')
    expect(tempo.reading.contract.option).toBe('tempo')
    expect(tempo.reading.meter).toMatchObject({ mode: 'standard', phases: 3, producer: true })
    const hc = await latest('hc')
    expect(hc.reading.contract.option).toBe('hc')
    expect(hc.reading.meter).toMatchObject({ mode: 'historique', phases: 1, producer: false })
    expect(hc.reading.meter.id).not.toBe(tempo.reading.meter.id)
  }, 90_000)
})
