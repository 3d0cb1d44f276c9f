import 'reflect-metadata'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, parseConfig, startNode } from '@linkyrpi/pipeline'
import { DEFAULT_START } from '@linkyrpi/simulator'
import { describe, expect, it } from 'vitest'

describe('automation stage in a running node', () => {
  it('drives an HTTP load from the simulated meter, journals every switch in SQLite, and ends in the safe state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-auto-'))
    const calls: string[] = []
    const server = createServer((req, res) => {
      calls.push(req.url ?? '')
      res.end('ok')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
    try {
      const config = await parseConfig(`
dataDir: ${JSON.stringify(dir)}
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, option: hc, start: ${String(DEFAULT_START)}, intervalMs: 60000, speed: 0, frames: 1800 }
  frames: { type: tic-decode, from: meter }
  store: { type: sqlite, from: frames }
  automation:
    type: automation
    from: frames
    buffer: { size: 10000, inFlight: 1000, overflow: fail }
    outputs:
      water-heater:
        actuator: { type: http, url: "${url}/relay?turn={{state}}" }
        safe: off
        when: { period: [hc] }
`)
      const node = await startNode(config)
      await node.done
      // The last request is the safe state of the shutdown.
      expect(calls.at(-1)).toBe('/relay?turn=off')
      const store = await openStore(join(dir, 'linkyrpi.db'))
      try {
        const [meter] = await store.history.meters()
        const events = await store.history.events(
          meter!.id,
          DEFAULT_START - 1,
          Date.now() + 3_600_000,
        )
        const switches = events
          .filter((e) => e.kind === 'automation-switch')
          .reverse()
          .map(
            (e) =>
              `${new Date(e.t).toISOString().slice(0, 16)} ${String(e.detail.state)} ${String(e.detail.reason)}`,
          )
        expect(switches).toEqual([
          // Frames are timed at their end (no meter clock in historique): a few ms before the next minute.
          '2026-01-11T23:00 on période HC',
          '2026-01-12T05:00 off période HP',
          '2026-01-12T21:00 on période HC',
          // Shutdown happens now, on the wall clock (the simulator ran ahead of it).
          expect.stringMatching(/ off sécurité: arrêt$/),
        ])
      } finally {
        await store.close()
      }
    } finally {
      server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
