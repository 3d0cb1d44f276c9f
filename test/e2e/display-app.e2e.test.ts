/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DASHBOARD_LISTENING, startNode, validateConfig } from '@linkyrpi/pipeline'
import type { RunningNode } from '@linkyrpi/pipeline'
import { describeWithService } from '../support/services.js'
import { CHROMIUM_AVAILABLE, launchBrowser } from '../support/display-browser.js'
import type { TestBrowser } from '../support/display-browser.js'

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

// The real pipeline (simulator source → tic-decode → display stage from the registry), as
// `linkyrpi run` composes it, watched in Chromium.
describeWithService(
  'chromium',
  CHROMIUM_AVAILABLE,
  'dashboard of the running app, fed by the simulator (e2e)',
  () => {
    let browser: TestBrowser
    let dataDir: string
    const nodes: RunningNode[] = []

    beforeAll(async () => {
      browser = await launchBrowser()
      dataDir = await mkdtemp(join(tmpdir(), 'linky-display-app-'))
    })
    afterAll(async () => {
      for (const n of nodes) {
        n.stop()
        await n.done
      }
      await browser?.close()
      await rm(dataDir, { recursive: true, force: true })
    })

    it('shows a simulated three-phase producer live: values appear and change, the pipeline diagnostics fill in', async () => {
      const config = await validateConfig({
        version: 1,
        site: 'e2e',
        dataDir,
        stages: {
          meter: {
            type: 'simulator',
            mode: 'standard',
            option: 'tempo',
            phases: 3,
            producer: true,
            seed: 7,
            speed: 60,
            start: '2026-06-15T11:00:00+02:00',
          },
          frames: { type: 'tic-decode', from: 'meter' },
          dashboard: { type: 'display', from: 'frames', port: 0, statsIntervalMs: 300 },
        },
      })
      let resolveUrl!: (url: string) => void
      const url = new Promise<string>((resolve) => (resolveUrl = resolve))
      const node = await startNode(config, {
        platform: {
          register: (c) =>
            c.register(DASHBOARD_LISTENING, { useValue: (u: string) => resolveUrl(u) }),
        },
      })
      nodes.push(node)
      const page = await browser.context.newPage()
      await page.goto(await url)
      const apparent = page.locator('[data-testid="apparent"]')
      await expect
        .poll(async () =>
          /^\d[\d\s]*VA$/u.test(((await apparent.textContent()) ?? '').replace(/\s/gu, ' ').trim()),
        )
        .toBe(true)
      const seen = new Set<string>()
      await expect
        .poll(
          async () => {
            seen.add(
              `${(await apparent.textContent()) ?? ''} ${(await page.locator('[data-testid="injected"]').textContent()) ?? ''}`,
            )
            return seen.size
          },
          { timeout: 20_000 },
        )
        .toBeGreaterThan(2)
      expect(await page.locator('[data-testid="phases"]').isVisible()).toBe(true)
      expect(await page.locator('[data-testid="injected"]').isVisible()).toBe(true)
      expect(await page.locator('[data-testid="voltage-1"]').textContent()).toMatch(/^\d{3}\sV$/u)
      await page.locator('[data-tab="diagnostics"]').click()
      await expect
        .poll(() => page.locator('[data-testid="diag-source"]').textContent())
        .toBe('meter')
      await expect
        .poll(async () =>
          (await page.locator('[data-testid="diag-sinks"] tbody tr').allTextContents()).join('|'),
        )
        .toContain('dashboard')
      await page.screenshot({ path: `${ARTIFACTS}dashboard-app-1024x600-diagnostics.png` })
      await page.locator('[data-tab="live"]').click()
      await page.screenshot({ path: `${ARTIFACTS}dashboard-app-1024x600-live.png` })
      await page.close()
    })

    it('linkyrpi run on a fresh store: a page opened after a while draws every frame since start and counts today’s energy', async () => {
      // As `linkyrpi run` composes it: simulator → decoder → SQLite store (commits every 10
      // minutes, so nothing is stored during this test) and the dashboard.
      const config = await validateConfig({
        version: 1,
        site: 'e2e',
        dataDir,
        stages: {
          meter: { type: 'simulator', mode: 'historique', option: 'hc', speed: 60, seed: 3 },
          frames: { type: 'tic-decode', from: 'meter' },
          store: { type: 'sqlite', from: 'frames', path: join(dataDir, 'late-page.db') },
          dashboard: { type: 'display', from: 'frames', port: 0, statsIntervalMs: 300 },
        },
      })
      let resolveUrl!: (url: string) => void
      const url = new Promise<string>((resolve) => (resolveUrl = resolve))
      const node = await startNode(config, {
        platform: {
          register: (c) =>
            c.register(DASHBOARD_LISTENING, { useValue: (u: string) => resolveUrl(u) }),
        },
      })
      nodes.push(node)
      const base = await url
      // Frames arrive with no page open: `earlier` is one of them (its receive time follows the
      // simulated clock), and more come after it.
      const api = async <T>(path: string): Promise<T> =>
        (await (await fetch(new URL(path, base))).json()) as T
      const frames = async (): Promise<number> =>
        (await api<{ frames: number }>('/api/stats')).frames
      await expect.poll(frames, { timeout: 60_000 }).toBeGreaterThanOrEqual(5)
      const before = await frames()
      const earlier = (await api<{ meta: { receivedAt: number } }>('/api/latest')).meta.receivedAt
      await expect.poll(frames, { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 5)
      const page = await browser.context.newPage()
      await page.setViewportSize({ width: 800, height: 480 })
      await page.goto(base)
      // The curve starts with the frames received before `earlier`, not with the page's first.
      const chart = page.locator('[data-testid="live-chart"]')
      await expect
        .poll(async () => Number((await chart.getAttribute('data-first')) || Infinity))
        .toBeLessThanOrEqual(earlier)
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(before + 5)
      const today = page.locator('[data-testid="today-energy"]')
      await expect
        .poll(async () => ((await today.textContent()) ?? '').replace(/\s/gu, ''))
        .toMatch(/^(?!0,00kWh)\d+,\d\dkWh$/u) // counted, though nothing is stored yet
      await page.screenshot({ path: `${ARTIFACTS}dashboard-app-late-page-800x480-fr.png` })
      await page.close()
    })
  },
)
