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
const TOKEN = 'automation-e2e-token-0123456789'

async function node(
  dataDir: string,
  automation: boolean,
): Promise<{ node: RunningNode; url: string }> {
  const config = await validateConfig({
    version: 1,
    dataDir,
    stages: {
      meter: { type: 'simulator', option: 'hc', speed: 60, start: '2026-01-12T21:55:00+01:00' },
      frames: { type: 'tic-decode', from: 'meter' },
      dashboard: { type: 'display', from: 'frames', port: 0, token: TOKEN },
      ...(automation
        ? {
            automation: {
              type: 'automation',
              from: 'frames',
              outputs: {
                'water-heater': {
                  label: 'Ballon',
                  actuator: { type: 'none' },
                  safe: 'off',
                  when: { period: ['hc'] },
                },
                heating: {
                  label: 'Chauffage',
                  actuator: { type: 'none' },
                  safe: 'on',
                  shed: { priority: 2, powerW: 2000 },
                },
                charger: {
                  label: 'Borne',
                  actuator: { type: 'none' },
                  safe: 'off',
                  when: { time: '01:00-06:00' },
                  shed: { priority: 1, powerW: 3000 },
                },
              },
            },
          }
        : {}),
    },
  })
  let resolveUrl!: (url: string) => void
  const url = new Promise<string>((resolve) => (resolveUrl = resolve))
  const n = await startNode(config, {
    platform: {
      register: (c) => c.register(DASHBOARD_LISTENING, { useValue: (u: string) => resolveUrl(u) }),
    },
  })
  return { node: n, url: await url }
}

describeWithService('chromium', CHROMIUM_AVAILABLE, 'Automation screen (e2e)', () => {
  let browser: TestBrowser
  let dataDir: string
  const nodes: RunningNode[] = []
  beforeAll(async () => {
    browser = await launchBrowser({ width: 800, height: 480 })
    dataDir = await mkdtemp(join(tmpdir(), 'linky-auto-screen-'))
  })
  afterAll(async () => {
    for (const n of nodes) {
      n.stop()
      await n.done
    }
    await browser?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('shows each output with its state and reason, and forces one for a while with the token', async () => {
    const { node: n, url } = await node(join(dataDir, 'a'), true)
    nodes.push(n)
    const page = await browser.context.newPage()
    await page.goto(`${url}#automation`)
    await page.locator('[data-tab="automation"]').click()
    const card = (id: string) => page.locator(`[data-output="${id}"]`)
    await expect
      .poll(async () => (await card('water-heater').locator('.reason').textContent()) ?? '', {
        timeout: 20_000,
      })
      .toMatch(/^période H[PC] · depuis \d\d:\d\d/)
    expect(await card('heating').locator('h2').textContent()).toBe('ChauffageMarche')
    expect(await card('charger').locator('.reason').textContent()).toMatch(
      /^hors plage 01:00-06:00/,
    )
    // The clock condition plans the next change (the simulated meter started at 21:55).
    expect(await card('charger').locator('[data-testid="automation-next"]').textContent()).toBe(
      'Prochain changement : Marche à 01:00:00',
    )
    for (const size of [
      { width: 800, height: 480 },
      { width: 1024, height: 600 },
    ]) {
      await page.setViewportSize(size)
      await page.screenshot({
        path: `${ARTIFACTS}dashboard-automation-${String(size.width)}x${String(size.height)}.png`,
      })
      // Kiosk layout: the tab bar (now six tabs) stays on screen without a sideways scroll.
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true)
    }
    await page.setViewportSize({ width: 800, height: 480 })
    await card('heating').locator('[data-action="heating:off"]').click()
    await expect
      .poll(() => page.locator('[data-testid="automation-note"]').textContent(), {
        timeout: 10_000,
      })
      .toBe("Saisissez le jeton d'accès du tableau de bord, puis recommencez.")
    await page.locator('[data-testid="automation-token"]').fill('not-the-token-0123456789')
    await card('heating').locator('[data-action="heating:off"]').click()
    await expect
      .poll(() => page.locator('[data-testid="automation-note"]').textContent(), {
        timeout: 10_000,
      })
      .toBe('Jeton refusé.')
    await page.locator('[data-testid="automation-token"]').fill(TOKEN)
    await card('heating').locator('[data-action="heating:off"]').click()
    await expect
      .poll(async () => (await card('heating').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/ChauffageArrêtforçage manuel jusqu'à \d\d:\d\d.*Forcé jusqu'à \d\d:\d\d/)
    await page.screenshot({ path: `${ARTIFACTS}dashboard-automation-800x480-forced.png` })
    await card('heating').locator('[data-action="heating:auto"]').click()
    await expect
      .poll(async () => (await card('heating').locator('h2').textContent()) ?? '', {
        timeout: 10_000,
      })
      .toBe('ChauffageMarche')
  })

  it('hides the tab on a node without automation', async () => {
    const { node: n, url } = await node(join(dataDir, 'b'), false)
    nodes.push(n)
    const page = await browser.context.newPage()
    await page.goto(url)
    await expect
      .poll(() => page.locator('[data-tab="automation"]').isHidden(), { timeout: 20_000 })
      .toBe(true)
    // The page may rebuild its header and tabs on the first event (language): poll both.
    await expect
      .poll(() => page.locator('[data-tab="diagnostics"]').isVisible(), { timeout: 20_000 })
      .toBe(true)
    await expect
      .poll(() => page.locator('[data-tab="automation"]').isHidden(), { timeout: 20_000 })
      .toBe(true)
  })
})
