import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/ports.js'

// `linkyrpi run --port` as a user runs it (built app, separate processes), on a socat pty fed by
// `linkyrpi simulate --pty` (a pty ignores baud and parity: this proves the wiring, the detection
// of the mode and the errors, not the UART framing).

const root = fileURLToPath(new URL('../../', import.meta.url))
const APP = join(root, 'apps/linkyrpi/dist/main.js')

interface Proc {
  child: ChildProcessWithoutNullStreams
  out: () => string
  err: () => string
  exited: Promise<number | null>
}

function start(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Proc {
  const child = spawn(process.execPath, [APP, ...args], {
    env: { ...process.env, ...env },
    ...(cwd !== undefined ? { cwd } : {}),
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { child, out: () => out, err: () => err, exited }
}

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('linkyrpi run --port', () => {
  let dir = ''
  let sim: Proc
  let pty = ''

  beforeAll(async () => {
    if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
    dir = await mkdtemp(join(tmpdir(), 'linky-run-port-'))
    sim = start(['simulate', '--pty', '--speed', '1', '--seed', '11', '--mode', 'standard'])
    await until('the simulator pty', () => /\/dev\/pts\/\d+/.test(sim.out()), 10_000)
    pty = /(\/dev\/pts\/\d+)/.exec(sim.out())?.[1] ?? ''
  })

  afterAll(async () => {
    sim.child.kill('SIGTERM')
    await sim.exited
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('reads the meter on the port instead of the simulator; a second run on the busy port fails clearly', async () => {
    const port = await freePort()
    const run = start([
      'run',
      '--port',
      pty,
      '--data-dir',
      join(dir, 'a'),
      '--http-port',
      String(port),
      '--log-level',
      'warn',
    ])
    try {
      await until('the dashboard', () => run.err().includes('dashboard at'))
      const config = (await (await fetch(`http://127.0.0.1:${port}/api/config`)).json()) as {
        waitingFor?: unknown
      }
      expect(config.waitingFor).toEqual({ kind: 'serial', path: pty })
      // The first frame from the pty, decoded in the mode the simulator speaks.
      let latest: { mode?: string; source?: string } | null = null
      const deadline = Date.now() + 30_000
      while (latest === null && Date.now() < deadline) {
        latest = (await (await fetch(`http://127.0.0.1:${port}/api/latest`)).json()) as {
          mode?: string
        } | null
        if (latest === null) await new Promise((r) => setTimeout(r, 250))
      }
      expect(latest?.mode).toBe('standard')

      const second = start(['run', '--port', pty, '--data-dir', join(dir, 'b'), '--http-port', '0'])
      expect(await second.exited).toBe(1)
      expect(second.err()).toContain(`linkyrpi run: ${pty} is busy: another program has it open`)
      expect(second.err()).not.toContain('dashboard at')
    } finally {
      run.child.kill('SIGTERM')
    }
    expect(await run.exited).toBe(0)
  }, 90_000)

  it('a port that does not exist: a clear error and exit code 1, nothing started', async () => {
    const run = start([
      'run',
      '--port',
      '/dev/ttyLINKYNONE0',
      '--data-dir',
      join(dir, 'c'),
      '--http-port',
      '0',
    ])
    expect(await run.exited).toBe(1)
    expect(run.err()).toMatch(
      /^linkyrpi run: \/dev\/ttyLINKYNONE0 does not exist \(serial ports here: .*'linkyrpi ports' lists them\)\n$/,
    )
    expect(existsSync(join(dir, 'c'))).toBe(false)
  })

  it('--port with --config is a usage error', async () => {
    const file = join(dir, 'x.yaml')
    await writeFile(file, 'version: 1\nstages:\n  m: { type: simulator }\n')
    const run = start(['run', '--port', pty, '--config', file])
    expect(await run.exited).toBe(2)
    expect(run.err()).toContain(
      "--port replaces the simulator of the embedded defaults: with --config, set the serial stage's 'path' in the file",
    )
  })

  it('run on its defaults says when a meter answers on a usual port, and how to read it', async () => {
    // The pty is free again (the first test's run stopped); LINKYRPI_PORTS stands for the usual ports.
    const run = start(
      ['run', '--data-dir', join(dir, 'd'), '--http-port', '0', '--log-level', 'warn'],
      { LINKYRPI_PORTS: `/dev/ttyLINKYNONE0:${pty}` },
    )
    try {
      await until('the hint', () => run.err().includes('linkyrpi setup'), 45_000)
      expect(run.err()).toContain(`linkyrpi: a meter answers on ${pty} (`)
      expect(run.err()).toContain('standard mode at 1200 Bd')
      expect(run.err()).toContain(
        `but this run shows a simulated meter. Read the real one with:\n  linkyrpi run --port ${pty}\n`,
      )
    } finally {
      run.child.kill('SIGTERM')
    }
    expect(await run.exited).toBe(0)
  }, 60_000)
})
