import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const CLI = fileURLToPath(new URL('../../apps/linkyrpi/dist/main.js', import.meta.url))

describe('linkyrpi run with an automation stage (e2e)', () => {
  it('puts the load in its safe state at start, follows the rule, and is safe again after SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-auto-sigterm-'))
    const calls: string[] = []
    let onCall: () => void = () => undefined
    const server = createServer((req, res) => {
      calls.push(req.url ?? '')
      onCall()
      res.end('ok')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
    try {
      // An off-peak night: the rule wants the water heater on; its safe state is off.
      await writeFile(
        join(dir, 'config.yaml'),
        `dataDir: ${JSON.stringify(join(dir, 'data'))}
stages:
  meter: { type: simulator, option: hc, start: "2026-01-12T23:00:00+01:00", speed: 10 }
  frames: { type: tic-decode, from: meter }
  automation:
    type: automation
    from: frames
    outputs:
      water-heater:
        actuator: { type: http, url: "${url}/relay?turn={{state}}" }
        safe: off
        when: { period: [hc] }
`,
      )
      const child = spawn(
        process.execPath,
        [CLI, 'run', '--config', join(dir, 'config.yaml'), '--log-format', 'json'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let log = ''
      child.stdout.on('data', (d: Buffer) => (log += d.toString()))
      child.stderr.on('data', (d: Buffer) => (log += d.toString()))
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no 'on' request within 60 s:\n${log}`)),
          60_000,
        )
        onCall = () => {
          if (calls.includes('/relay?turn=on')) {
            clearTimeout(timer)
            resolve()
          }
        }
      })
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      )
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(calls).toEqual(['/relay?turn=off', '/relay?turn=on', '/relay?turn=off'])
      expect(log).toMatch(/"reason":"sécurité: arrêt".*"msg":"automation switch"/)
    } finally {
      server.close()
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
