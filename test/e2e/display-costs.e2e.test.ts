/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { createPipelineFrameDecoder } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { openStore } from '@linkyrpi/pipeline'
import { importChunks } from '@linkyrpi/store'
import type { Store } from '@linkyrpi/store'
import { describeWithService } from '../support/services.js'
import { CHROMIUM_AVAILABLE, launchBrowser } from '../support/display-browser.js'
import type { TestBrowser } from '../support/display-browser.js'
import { startDashboard } from '../support/display-harness.js'
import type { DashboardHarness } from '../support/display-harness.js'
import { visible, words } from '../support/display-page.js'
import type { CostsSummary } from '@linkyrpi/sink-display'

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))
const DAY = 86_400_000

/** What the cost slot shows, its parts joined by one space. */
const shown = async (page: Page): Promise<string> =>
  (await page.locator('[data-testid="cost-slot"]').innerText()).replace(/\s+/gu, ' ').trim()

// The Costs screen over a real SQLite store holding the last 40 days of a simulated HP/HC meter
// (one frame every 10 minutes up to now), in Chromium at the kiosk sizes.
describeWithService('chromium', CHROMIUM_AVAILABLE, 'dashboard Costs screen (e2e)', () => {
  let browser: TestBrowser
  let dir: string
  let store: Store
  let d: DashboardHarness
  /** The meter's latest frame, decoded as the pipeline would (the Live screen shows it). */
  let last: PipelineFrame

  beforeAll(async () => {
    browser = await launchBrowser({ width: 800, height: 480 })
    dir = await mkdtemp(join(tmpdir(), 'linky-costs-'))
    const now = Date.now()
    const sim = createMeterSimulator({
      option: 'hc',
      seed: 23,
      start: now - 40 * DAY,
      intervalMs: 600_000,
    })
    const frames: { atMs: number; bytes: Uint8Array }[] = []
    while (sim.now < now) {
      const f = sim.next()
      frames.push({ atMs: f.at, bytes: f.bytes })
    }
    store = await openStore({ kind: 'sqlite', path: join(dir, 'linky.db') })
    await importChunks(frames, store)
    const decoded: PipelineFrame[] = []
    const tail = frames.at(-1)!
    createPipelineFrameDecoder({ source: 'meter' }).write(tail.bytes, () => Date.now(), {
      frame: (f) => decoded.push(f),
    })
    last = decoded.at(-1)!
    d = await startDashboard({ history: store.history })
  }, 120_000)
  afterAll(async () => {
    await d?.complete()
    await store?.close()
    await browser?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('shows € of today, yesterday, this and last month, the price now, the comparison and the advice, in French, readable at 800x480', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${d.url}#costs`)
    const tileText = async (id: string): Promise<string> =>
      ((await page.locator(`[data-testid="costs-${id}"]`).textContent()) ?? '').replace(/\s/gu, ' ')
    await expect.poll(() => tileText('yesterday'), { timeout: 20_000 }).toMatch(/^\d+,\d\d €$/u)
    expect(await tileText('last-month')).toMatch(/^\d+,\d\d €$/u)
    expect(await tileText('this-month')).toMatch(/^\d+,\d\d €$/u)
    expect(await page.locator('nav [data-tab="costs"]').textContent()).toBe('Coûts')
    expect(await tileText('price')).toMatch(/^Heures (creuses|pleines) · 0,\d{4} €\/kWh$/u)
    expect(await tileText('next')).toMatch(/^Ensuite : Heures (creuses|pleines) · 0,\d{4} €\/kWh$/u)
    const options = await page
      .locator('[data-testid="costs-comparison"] tbody th')
      .allTextContents()
    expect(options).toHaveLength(4)
    expect(options).toContain('Heures creuses (actuelle)')
    expect(await page.locator('[data-testid="costs-comparison"] tbody tr.current').count()).toBe(1)
    expect(await page.locator('[data-testid="costs-periods"] tbody th').allTextContents()).toEqual(
      expect.arrayContaining(['Heures creuses', 'Heures pleines']),
    )
    expect(
      ((await page.locator('[data-testid="costs-power"]').textContent()) ?? '').replace(
        /\s/gu,
        ' ',
      ),
    ).toMatch(/Conseillé : \d+ kVA/u)
    expect(
      await page.locator('[data-testid="costs-appliances"] tbody th').allTextContents(),
    ).toContain('Chauffe-eau')
    expect(await page.locator('[data-testid="costs-comparison"] + .small').textContent()).toMatch(
      /^Même consommation depuis le \d\d\/\d\d\/\d{4}, 6 kVA, abonnement compris$/u,
    )
    // Nothing wider than the kiosk screen; the tiles fit on one row.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800)
    const boxes = await Promise.all(
      ['today', 'yesterday', 'this-month', 'last-month'].map((id) =>
        page.locator(`[data-testid="costs-${id}"]`).boundingBox(),
      ),
    )
    expect(new Set(boxes.map((b) => Math.round(b?.y ?? -1))).size).toBe(1)
    await page.screenshot({ path: `${ARTIFACTS}dashboard-costs-800x480.png` })
    await page.locator('main').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await page.screenshot({ path: `${ARTIFACTS}dashboard-costs-800x480-bottom.png` })
    await page.setViewportSize({ width: 1024, height: 600 })
    await page.screenshot({ path: `${ARTIFACTS}dashboard-costs-1024x600.png` })
    await page.close()
  })

  it('the Live screen shows today’s cost so far and the price per kWh now, at 800x480, French and English', async () => {
    d.push(last)
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 800, height: 480 })
    await page.goto(d.url)
    await expect.poll(() => visible(page, 'cost-slot'), { timeout: 20_000 }).toBe(true)
    // The same figures as the Costs screen's API, formatted in French.
    const api = (await (await fetch(`${d.url}api/costs`)).json()) as CostsSummary
    expect(api.today.eur).not.toBeNull()
    expect(api.currentPrice).not.toBeNull()
    const fr = new Intl.NumberFormat('fr-FR', {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    })
    const today = await words(page, 'live-cost-today')
    expect(today).toMatch(/^\d+,\d\d €$/u)
    expect(today).toBe(`${fr.format(api.today.eur!)} €`.replace(/\s+/gu, ' '))
    expect(await words(page, 'live-cost-price')).toBe(
      `${api.currentPrice!.eurPerKWh.toFixed(4).replace('.', ',')} €/kWh maintenant`,
    )
    expect(await page.locator('[data-testid="cost-slot"]').getAttribute('aria-label')).toBe(
      "Coût aujourd'hui",
    )
    expect(await shown(page)).toMatch(/^\d+,\d\d € 0,\d{4} €\/kWh maintenant$/u)
    // Inside the kiosk screen, beside the hero, without scrolling.
    const box = await page.locator('[data-testid="cost-slot"]').boundingBox()
    expect(box).not.toBeNull()
    expect(box!.y + box!.height).toBeLessThanOrEqual(480)
    expect(box!.x + box!.width).toBeLessThanOrEqual(800)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800)
    await page.screenshot({ path: `${ARTIFACTS}live-cost-800x480-fr.png` })
    await page.setViewportSize({ width: 1024, height: 600 })
    await page.screenshot({ path: `${ARTIFACTS}live-cost-1024x600-fr.png` })
    await page.goto(`${d.url}?lang=en`)
    await expect
      .poll(() => shown(page), { timeout: 20_000 })
      .toMatch(/^\d+\.\d\d € 0\.\d{4} €\/kWh now$/u)
    await page.setViewportSize({ width: 800, height: 480 })
    await page.screenshot({ path: `${ARTIFACTS}live-cost-800x480-en.png` })
    await page.close()
  })

  it('says so when the dashboard has no store', async () => {
    const bare = await startDashboard({})
    const page = await browser.context.newPage()
    await page.goto(`${bare.url}#costs`)
    await expect
      .poll(async () => page.locator('[data-testid="costs-status"]').textContent(), {
        timeout: 10_000,
      })
      .toBe("Pas d'historique configuré : les coûts viennent de la base de données")
    expect(await (await fetch(`${bare.url}api/costs`)).json()).toEqual({
      error: 'no history store configured',
    })
    // No store, no cost on the Live screen: the slot stays hidden.
    await page.goto(bare.url)
    await page.locator('[data-screen="live"]').waitFor()
    expect(await page.locator('[data-testid="cost-slot"]').count()).toBe(1)
    expect(await visible(page, 'cost-slot')).toBe(false)
    await page.close()
    await bare.complete()
  })
})

// A brand-new store (the SQLite sink commits every 10 minutes): the screen says why there is
// nothing yet, instead of a page of empty cards.
describeWithService(
  'chromium',
  CHROMIUM_AVAILABLE,
  'dashboard Costs screen, empty store (e2e)',
  () => {
    let browser: TestBrowser
    let dir: string
    let store: Store
    let d: DashboardHarness

    beforeAll(async () => {
      browser = await launchBrowser({ width: 800, height: 480 })
      dir = await mkdtemp(join(tmpdir(), 'linky-costs-empty-'))
      store = await openStore({ kind: 'sqlite', path: join(dir, 'linky.db') })
      d = await startDashboard({ history: store.history })
    }, 60_000)
    afterAll(async () => {
      await d?.complete()
      await store?.close()
      await browser?.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('says the costs come after the first commit and shows no empty card', async () => {
      const page = await browser.context.newPage()
      await page.goto(`${d.url}#costs`)
      const status = page.locator('[data-testid="costs-status"]')
      await expect
        .poll(async () => (await status.textContent()) ?? '', { timeout: 20_000 })
        .toMatch(/^Rien d'enregistré pour ce compteur pour l'instant/u)
      expect(await status.isVisible()).toBe(true)
      expect(await page.locator('[data-testid="costs-today"]').isVisible()).toBe(false)
      expect(await page.locator('[data-testid="costs-comparison"]').isVisible()).toBe(false)
      await page.screenshot({ path: `${ARTIFACTS}dashboard-costs-empty-800x480.png` })
      await page.close()
    })
  },
)
