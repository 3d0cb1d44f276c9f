import 'reflect-metadata'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DASHBOARD_LISTENING, openStore, parseConfig, startNode } from '@linkyrpi/pipeline'
import { describe, expect, it } from 'vitest'

const CLI = fileURLToPath(new URL('../../apps/linkyrpi/dist/main.js', import.meta.url))
const TOKEN = 'automation-test-token-0123456789'

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : Number((error as { code?: number }).code ?? 1),
          stdout,
          stderr,
        })
      },
    )
  })
}

describe('linkyrpi automation status against a running node', () => {
  it('shows the outputs, overrides one with the token (journaled), and refuses without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-autostatus-'))
    let resolveUrl: (u: string) => void = () => undefined
    const listening = new Promise<string>((r) => (resolveUrl = r))
    const config = await parseConfig(`
dataDir: ${JSON.stringify(dir)}
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, option: hc, start: "2026-01-12T12:00:00+01:00", speed: 60 }
  frames: { type: tic-decode, from: meter }
  store: { type: sqlite, from: frames, flushMs: 100 }
  dashboard: { type: display, from: frames, port: 0, token: ${TOKEN} }
  automation:
    type: automation
    from: frames
    outputs:
      water-heater: { actuator: { type: none }, safe: off, when: { period: [hc] } }
      pump: { actuator: { type: none }, safe: on, when: { period: [hp] } }
`)
    const node = await startNode(config, {
      platform: {
        register: (c) =>
          c.register(DASHBOARD_LISTENING, { useValue: (u: string) => resolveUrl(u) }),
      },
    })
    try {
      const url = (await listening).replace(/\/+$/, '')
      // Wait for the first reading's decisions.
      for (let i = 0; i < 100; i++) {
        const s = (await (await fetch(`${url}/api/automation`)).json()) as {
          outputs: { cause: string | null }[]
        }
        if (s.outputs.every((o) => o.cause === 'rule')) break
        await new Promise((r) => setTimeout(r, 100))
      }
      const status = await cli(['automation', 'status', '--url', url])
      expect(status.code).toBe(0)
      const rows = status.stdout.trim().split('\n')
      expect(rows[0]).toBe('output       state since                     reason')
      // Since the safe state of the start (the rules agree with it): no switch since then.
      expect(rows[1]).toMatch(
        /^water-heater off {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00 période HP$/,
      )
      expect(rows[2]).toMatch(/^pump {9}on {4}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00 période HP$/)

      const refused = await cli([
        'automation',
        'status',
        '--url',
        url,
        '--set',
        'pump=off',
        '--token',
        'wrong-token-0123456789',
      ])
      expect([refused.code, refused.stderr.trim()]).toEqual([
        1,
        `linkyrpi automation status: ${url}: bad or missing bearer token`,
      ])
      const forced = await cli(
        ['automation', 'status', '--url', url, '--set', 'pump=off', '--for', '30m'],
        { LINKY_TOKEN: TOKEN },
      )
      expect(forced.code).toBe(0)
      expect(forced.stdout).toMatch(
        /^pump +off +\S+ forçage manuel jusqu'à \d\d:\d\d \[forcé jusqu'à /m,
      )
      const unknown = await cli(['automation', 'status', '--url', url, '--set', 'kettle=on'], {
        LINKY_TOKEN: TOKEN,
      })
      expect(unknown.stderr).toContain("unknown output 'kettle'")
    } finally {
      node.stop()
      await node.done
    }
    const store = await openStore(join(dir, 'linkyrpi.db'))
    try {
      const [meter] = await store.history.meters()
      const events = await store.history.events(meter!.id, 0, Date.now() + 86_400_000)
      const override = events.find((e) => e.kind === 'automation-override')
      expect(override?.detail).toMatchObject({
        output: 'pump',
        state: 'off',
        by: expect.stringMatching(/^dashboard /) as unknown,
      })
      expect(
        events.filter((e) => e.kind === 'automation-switch').map((e) => e.detail.output),
      ).toContain('pump')
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
    // Four CLI processes on a shared machine: allow for slow starts.
  }, 120_000)
})
