/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { localStart } from '@linkyrpi/sink-display'
import { openStore } from '@linkyrpi/pipeline'
import { describeWithService } from '../support/services.js'
import { CHROMIUM_AVAILABLE, watchPage, withoutWebLocks } from '../support/display-browser.js'
import { createFrameFeed, PROFILE_ADS } from '../support/display-frames.js'
import type { MeterProfile } from '../support/display-frames.js'
import { touchScreen } from '../support/display-touch.js'
import { dashboardSuite } from '../support/display-suite.js'
import { createMemoryHistoryStore } from '../support/display-history-store.js'
import { ARTIFACTS, KIOSKS, tab, text, visible } from '../support/display-page.js'

const SCREENS = ['live', 'indexes', 'history', 'meter', 'diagnostics'] as const

describeWithService('chromium', CHROMIUM_AVAILABLE, 'dashboard in Chromium (e2e)', () => {
  const suite = dashboardSuite()
  const dashboard = suite.dashboard.bind(suite)
  const open = (
    url: string,
    viewport: { width: number; height: number } = { width: 1024, height: 600 },
  ): Promise<Page> => suite.open(url, viewport)

  async function screenshots(
    page: Page,
    name: string,
    screens: readonly string[] = SCREENS,
  ): Promise<void> {
    for (const size of KIOSKS) {
      await page.setViewportSize(size)
      for (const s of screens) {
        await tab(page, s)
        await page.waitForTimeout(100) // let charts resize to the new viewport
        await page.screenshot({
          path: `${ARTIFACTS}dashboard-${name}-${String(size.width)}x${String(size.height)}-${s}.png`,
        })
        // Kiosk layouts: the tab bar stays on screen and nothing overflows sideways.
        const layout = await page.evaluate(() => ({
          navBottom: document.querySelector('nav')!.getBoundingClientRect().bottom,
          scrollW: document.body.scrollWidth,
          w: window.innerWidth,
        }))
        expect(layout.navBottom).toBeLessThanOrEqual(size.height)
        expect(layout.scrollW).toBeLessThanOrEqual(size.width)
      }
    }
    await tab(page, 'live')
  }

  it('standard single-phase: values appear, update live, and every screen shows what the meter sends', async () => {
    const { d, feed } = await dashboard('standard-mono-hc', { statsIntervalMs: 300 })
    d.push(feed({ va: 1850, amps: [8] }))
    const page = await open(d.url)
    await expect.poll(() => text(page, 'apparent')).toBe('1850VA')
    d.push(feed({ va: 2100, amps: [9], addWh: 120 }))
    await expect.poll(() => text(page, 'apparent')).toBe('2100VA')
    expect(await text(page, 'mono-current')).toBe('9A')
    expect(await text(page, 'mono-voltage')).toBe('231V')
    expect(await visible(page, 'phases')).toBe(false)
    expect(await visible(page, 'injected')).toBe(false)
    expect(await text(page, 'period')).toBe('Heurespleines')
    expect(await text(page, 'headroom')).toBe('3900VA(65%)')
    expect(await visible(page, 'tempo-today')).toBe(false)

    await tab(page, 'indexes')
    const rows = await page
      .locator('[data-testid="indexes"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-index')))
    expect(rows).toEqual(['1', '2', 'total'])
    await expect
      .poll(async () =>
        (await page.locator('tr[data-index="2"] td').first().textContent())?.replace(/\s/gu, ''),
      )
      .toBe('3000,120kWh')
    // Without a store, today's energy is counted from the first frame the dashboard saw.
    await expect
      .poll(async () =>
        (await page.locator('tr[data-index="2"] td').nth(1).textContent())?.replace(/\s/gu, ''),
      )
      .toBe('0,12kWh')
    expect(await page.locator('.indexes .note').textContent()).toMatch(/^Compté depuis /)

    await tab(page, 'meter')
    expect(await text(page, 'meter-prm')).toBe('09876543210123')
    expect(await text(page, 'meter-manufacturer')).toBe('Sagemcom')
    expect(await text(page, 'meter-year')).toBe('2021')
    expect(await text(page, 'meter-version')).toBe('02')
    expect(await text(page, 'meter-subscribed')).toBe('6000VA')
    expect(await visible(page, 'meter-isousc')).toBe(false)
    const stge = await page.locator('[data-testid="stge"] li').allTextContents()
    expect(stge).toContain('Organe de coupure fermé')
    expect(stge).toContain('Index fournisseur en cours : 2')
    expect(await page.locator('[data-testid="relays"] .relay.on').count()).toBe(1)
    expect(await page.locator('[data-testid="profile"] tbody tr').allTextContents()).toEqual([
      '00:001—',
      '06:002—',
      '22:001—',
    ])
    expect(await text(page, 'msg1')).toBe('PASDEMESSAGE')

    await tab(page, 'diagnostics')
    expect(await text(page, 'diag-mode')).toBe('standard')

    // Acks: one per frame, in order, with the sink's stage id.
    expect(d.acks).toEqual([
      { seq: 1, sink: 'dashboard' },
      { seq: 2, sink: 'dashboard' },
    ])
    await screenshots(page, 'standard-mono')
    await page.close()
  })

  it('historique three-phase Tempo: per-phase currents with the imbalance flagged, no voltage, Tempo colours', async () => {
    const { d, feed } = await dashboard('historique-tri-tempo')
    for (let i = 0; i < 3; i++) d.push(feed({ va: 7200, amps: [25, 3, 4] }))
    const page = await open(d.url)
    await expect.poll(() => text(page, 'apparent')).toBe('7200VA')
    expect(await visible(page, 'phases')).toBe(true)
    expect(await visible(page, 'mono')).toBe(false)
    expect(await text(page, 'current-1')).toBe('25A')
    expect(await text(page, 'current-3')).toBe('4A')
    expect(await visible(page, 'voltage-1')).toBe(false)
    expect(await visible(page, 'power-1')).toBe(false)
    expect(await page.locator('[data-testid="imbalance"].warn').count()).toBe(1)
    expect(await page.locator('.phase.heaviest').count()).toBe(1)
    expect(await text(page, 'tempo-today')).toBe("Aujourd'hui:Blanc")
    expect(await page.locator('[data-testid="tempo-tomorrow"]').getAttribute('data-colour')).toBe(
      'red',
    )
    expect(await text(page, 'period')).toBe('Heurespleines')
    // 7 200 VA of 12 000 subscribed: no warning; 11 000 VA: warning before the breaker trips.
    expect(await text(page, 'headroom-warning')).toBe('')
    d.push(feed({ va: 11_000, amps: [25, 14, 15] }))
    await expect
      .poll(() => text(page, 'headroom-warning'))
      .toBe('Attention:prochedelapuissancesouscrite')
    await expect.poll(() => page.locator('[data-testid="imbalance"].warn').count()).toBe(1)

    await tab(page, 'indexes')
    const names = await page.locator('[data-testid="indexes"] tbody th').allTextContents()
    expect(names).toEqual([
      'HC Bleu',
      'HP Bleu',
      'HC Blanc',
      '▶ HP Blanc'.slice(2),
      'HC Rouge',
      'HP Rouge',
      'Total soutiré',
    ])
    expect(await page.locator('tr.current').getAttribute('data-index')).toBe('4')
    await tab(page, 'meter')
    expect(await visible(page, 'meter-prm')).toBe(false)
    expect(await visible(page, 'stge')).toBe(false)
    expect(await visible(page, 'relays')).toBe(false)
    expect(await text(page, 'meter-isousc')).toBe('20A')
    await screenshots(page, 'historique-tri')
    await page.close()
  })

  it('standard three-phase producer: injection, per-phase power, current and voltage', async () => {
    const { d, feed } = await dashboard('standard-tri-producer')
    for (let i = 0; i < 3; i++) d.push(feed({ va: 3000, amps: [5, 4, 4], injectedVA: 800 }))
    const page = await open(d.url)
    await expect.poll(() => text(page, 'injected')).toBe('800VA')
    expect(await visible(page, 'phases')).toBe(true)
    expect(await text(page, 'voltage-2')).toBe('232V')
    expect(await text(page, 'power-1')).toBe('1154VA')
    expect(await page.locator('[data-testid="imbalance"].warn').count()).toBe(0)
    await tab(page, 'indexes')
    expect(await page.locator('tr[data-index="export"]').count()).toBe(1)
    await tab(page, 'meter')
    expect(await page.locator('[data-testid="stge"] li').allTextContents()).toContain(
      'Fonctionne en producteur',
    )
    await screenshots(page, 'standard-tri-producer', ['live', 'indexes'])
    await page.close()
  })

  it('historique single-phase: no phases, no voltage, no production; EJP notice shown', async () => {
    const { d, feed } = await dashboard('historique-mono-ejp')
    d.push(feed({ va: 900, amps: [4] }))
    const page = await open(d.url)
    await expect.poll(() => text(page, 'apparent')).toBe('900VA')
    expect(await visible(page, 'phases')).toBe(false)
    expect(await text(page, 'mono-current')).toBe('4A')
    expect(await visible(page, 'mono-voltage')).toBe(false)
    expect(await visible(page, 'injected')).toBe(false)
    expect(await text(page, 'peak-notice')).toBe('Préavisdepointe(EJP/pointemobile)')
    expect(await text(page, 'period')).toBe('Heuresnormales')
    await tab(page, 'meter')
    expect(await visible(page, 'meter-producer')).toBe(false)
    // Swipe left and right (outside the chart) to change screens.
    await tab(page, 'live')
    const swipe = async (fromX: number, toX: number): Promise<void> => {
      await page.mouse.move(fromX, 200)
      await page.mouse.down()
      await page.mouse.move(toX, 205, { steps: 5 })
      await page.mouse.up()
    }
    await swipe(350, 60)
    await page.locator('[data-screen="indexes"]').waitFor({ state: 'visible' })
    await swipe(60, 350)
    await page.locator('[data-screen="live"]').waitFor({ state: 'visible' })
    await page.close()
  })

  it('says "pas de données depuis …" on every screen when frames stop, and recovers on the next frame', async () => {
    const { d, feed } = await dashboard('historique-mono-base', { staleAfterMs: 3000 })
    d.push(feed({ va: 1200 }))
    const page = await open(d.url)
    await expect.poll(() => text(page, 'apparent')).toBe('1200VA')
    await page.locator('[data-testid="stale"]').waitFor({ state: 'visible', timeout: 15_000 })
    expect(await page.locator('[data-testid="stale"]').textContent()).toMatch(
      /^Pas de (données|trame du compteur) depuis \d\d:\d\d:\d\d/,
    )
    for (const s of SCREENS) {
      await tab(page, s)
      expect(await visible(page, 'stale')).toBe(true)
    }
    await page.screenshot({ path: `${ARTIFACTS}dashboard-stale-1024x600-diagnostics.png` })
    await tab(page, 'live')
    await page.screenshot({ path: `${ARTIFACTS}dashboard-stale-1024x600-live.png` })
    // A page opened after the frames stopped is stale from the start (the server tells the age; this
    // second tab shares the first one's event stream, so the age comes from that tab's state).
    const late = await open(d.url)
    expect(await visible(late, 'stale')).toBe(true)
    expect(await text(late, 'apparent')).toBe('1200VA')
    await late.close()
    d.push(feed({ va: 1300 }))
    await expect.poll(() => text(page, 'apparent')).toBe('1300VA')
    await expect.poll(() => visible(page, 'stale')).toBe(false)
    await page.close()
  })

  /** The server's statistics once computed after `after` (epoch ms): `clients` is its event-stream count. */
  async function serverStats(url: string, after: number): Promise<{ at: number; clients: number }> {
    let stats = { at: 0, clients: -1 }
    await expect
      .poll(async () => {
        stats = (await (await fetch(`${url}api/stats`)).json()) as { at: number; clients: number }
        return stats.at > after
      })
      .toBe(true)
    return stats
  }

  it(
    'ten tabs of one browser share one event stream: all live, one connection, the next tab takes over when the leader closes',
    { timeout: 180_000 },
    async () => {
      const { d, feed } = await dashboard('standard-mono-hc', {
        statsIntervalMs: 200,
        staleAfterMs: 4000,
      })
      d.push(feed({ va: 1000 }))
      /** Each tab and the paths it requested (the leader is the one that asked for `/events`). */
      const tabs: { page: Page; requests: string[] }[] = []
      const openTab = async (): Promise<{ page: Page; requests: string[] }> => {
        const page = await suite.browser.context.newPage()
        const { requests } = watchPage(page)
        // With one stream per tab, the 7th tab never gets its page: the browser's six connections
        // to the server are all held by event streams.
        await page.goto(d.url)
        await page.locator('nav').waitFor()
        return { page, requests }
      }
      const streamsOpened = (): number => tabs.filter((t) => t.requests.includes('/events')).length
      for (let i = 0; i < 10; i++) tabs.push(await openTab())
      for (const t of tabs) await expect.poll(() => text(t.page, 'apparent')).toBe('1000VA')
      d.push(feed({ va: 2345 }))
      for (const t of tabs) await expect.poll(() => text(t.page, 'apparent')).toBe('2345VA')
      // One event stream for the ten tabs, opened by one of them.
      expect(streamsOpened()).toBe(1)
      expect((await serverStats(d.url, Date.now())).clients).toBe(1)
      await expect.poll(() => text(tabs[0]!.page, 'diag-clients')).toBe('1')

      // An 11th tab loads, and its requests for static files complete.
      const extra = await openTab()
      const statuses = await extra.page.evaluate(async () => {
        const files = document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
          'script[src], link[rel="stylesheet"]',
        )
        const urls = [
          location.href,
          ...Array.from(files, (f) => (f instanceof HTMLScriptElement ? f.src : f.href)),
        ]
        return Promise.all(urls.map(async (u) => (await fetch(u, { cache: 'no-store' })).status))
      })
      expect(statuses).toEqual([200, 200, 200])
      expect(extra.requests).not.toContain('/events')
      await extra.page.close()

      // The leader goes: another tab opens the stream and every remaining tab keeps receiving frames.
      const leader = tabs.find((t) => t.requests.includes('/events'))!
      await leader.page.close()
      tabs.splice(tabs.indexOf(leader), 1)
      await expect.poll(streamsOpened).toBe(1)
      d.push(feed({ va: 3456 }))
      for (const t of tabs) await expect.poll(() => text(t.page, 'apparent')).toBe('3456VA')
      await expect.poll(async () => (await serverStats(d.url, Date.now())).clients).toBe(1)

      // A tab opened now shows the current value without a new frame, from the leader.
      const late = await openTab()
      await expect.poll(() => text(late.page, 'apparent')).toBe('3456VA')
      expect(late.requests).not.toContain('/events')
      tabs.push(late)

      // When frames stop, every tab says so; the next frame clears it everywhere.
      for (const t of tabs)
        await t.page.locator('[data-testid="stale"]').waitFor({ state: 'visible', timeout: 20_000 })
      d.push(feed({ va: 4567 }))
      for (const t of tabs) {
        await expect.poll(() => text(t.page, 'apparent')).toBe('4567VA')
        await expect.poll(() => visible(t.page, 'stale')).toBe(false)
      }
      expect(streamsOpened()).toBe(1)
      for (const t of tabs) await t.page.close()
    },
  )

  it('without the Web Locks API (plain HTTP to a LAN address) each tab keeps its own event stream', async () => {
    const { d, feed } = await dashboard('standard-mono-hc', { statsIntervalMs: 200 })
    d.push(feed({ va: 1000 }))
    const pages: Page[] = []
    for (let i = 0; i < 2; i++) {
      const page = await suite.browser.context.newPage()
      await withoutWebLocks(page)
      await page.goto(d.url)
      expect(await page.evaluate(() => 'locks' in navigator)).toBe(false)
      pages.push(page)
    }
    d.push(feed({ va: 1100 }))
    for (const p of pages) await expect.poll(() => text(p, 'apparent')).toBe('1100VA')
    await expect.poll(async () => (await serverStats(d.url, Date.now())).clients).toBe(2)
    for (const p of pages) await p.close()
  })

  it('history pages show the stored curve and energy; without a store they say so', async () => {
    const now = Date.now()
    const meter = {
      id: PROFILE_ADS['standard-mono-hc'],
      prm: '09876543210123',
      mode: 'standard' as const,
      phases: 1 as const,
      producer: false,
      firstSeen: now - 40 * 86_400_000,
      lastSeen: now,
    }
    const store = createMemoryHistoryStore({ meter, now, days: 35 })
    const { d, feed } = await dashboard('standard-mono-hc', {
      history: store,
      statsIntervalMs: 200,
    })
    d.push(feed({ va: 1500 }))
    const page = await open(d.url)
    await tab(page, 'history')
    await expect.poll(() => page.locator('[data-testid="history-chart"] canvas').count()).toBe(1)
    expect(await page.locator('button[data-range="today"]').getAttribute('class')).toContain(
      'active',
    )
    await page.locator('button[data-range="week"]').click()
    await expect.poll(() => page.locator('[data-testid="energy-row"]').count()).toBe(7)
    await page.locator('button[data-range="month"]').click()
    await expect.poll(() => page.locator('[data-testid="energy-row"]').count()).toBe(30)
    await page.locator('button[data-range="year"]').click()
    await expect.poll(() => page.locator('[data-testid="energy-row"]').count()).toBe(1)
    expect(store.calls).toContain(`energy ${meter.id} month`)
    await page.locator('button[data-range="week"]').click()
    await expect.poll(() => page.locator('[data-testid="energy-row"]').count()).toBe(7)
    for (const size of KIOSKS) {
      await page.setViewportSize(size)
      await page.waitForTimeout(150)
      await page.screenshot({
        path: `${ARTIFACTS}dashboard-history-${String(size.width)}x${String(size.height)}-history.png`,
      })
    }
    // Today's and this month's energy per index come from the store.
    await tab(page, 'indexes')
    await expect
      .poll(async () =>
        (await page.locator('tr[data-index="1"] td').nth(2).textContent())?.replace(/\s/gu, ''),
      )
      .toMatch(/^\d+,\d+kWh$/)
    await page.close()

    const bare = await dashboard('standard-mono-hc')
    bare.d.push(bare.feed({ va: 1500 }))
    const p2 = await open(bare.d.url)
    await tab(p2, 'history')
    expect(await p2.locator('[data-testid="history-status"]').textContent()).toBe(
      "Pas d'historique configuré : branchez un stockage (SQLite ou PostgreSQL).",
    )
    await p2.close()
  })

  it('history curve on a touch screen: a pinch zooms, a sideways drag pans within the data, a vertical swipe scrolls the page', async () => {
    const now = Date.now()
    const meter = {
      id: PROFILE_ADS['standard-mono-hc'],
      prm: '09876543210123',
      mode: 'standard' as const,
      phases: 1 as const,
      producer: false,
      firstSeen: now - 10 * 86_400_000,
      lastSeen: now,
    }
    const store = createMemoryHistoryStore({ meter, now, days: 8 })
    const { d, feed } = await dashboard('standard-mono-hc', { history: store })
    d.push(feed({ va: 1500 }))
    const page = await open(`${d.url}#history`, { width: 800, height: 480 })
    const touch = await touchScreen(page)
    const chart = page.locator('[data-testid="history-chart"]')
    await page.locator('button[data-range="week"]').click()
    await expect.poll(() => page.locator('[data-testid="energy-row"]').count()).toBe(7)
    await expect.poll(() => chart.locator('canvas').count()).toBe(1)
    /** The visible x range of the curve, epoch ms. */
    const shown = async (): Promise<{ from: number; to: number; span: number }> => {
      const [from, to] = await Promise.all([
        chart.getAttribute('data-from'),
        chart.getAttribute('data-to'),
      ])
      return { from: Number(from), to: Number(to), span: Number(to) - Number(from) }
    }
    await expect.poll(async () => (await shown()).span).toBeGreaterThan(6 * 86_400_000)
    const full = await shown()
    const main = async () => page.evaluate(() => document.querySelector('main')!.scrollTop)
    expect(await main()).toBe(0)
    // The plotting area: x = from at its left edge, to at its right edge.
    const area = (await chart.locator('.u-over').boundingBox())!
    const cx = area.x + area.width / 2
    const cy = area.y + area.height / 2
    const valueAt = (r: { from: number; span: number }, x: number): number =>
      r.from + ((x - area.x) / area.width) * r.span

    // Two fingers spreading from 80 to 320 px apart: a quarter of the range, around their midpoint.
    await touch.gesture([
      { from: { x: cx - 40, y: cy }, to: { x: cx - 160, y: cy } },
      { from: { x: cx + 40, y: cy }, to: { x: cx + 160, y: cy } },
    ])
    const pinched = await shown()
    expect(pinched.span / full.span).toBeCloseTo(0.25, 2)
    expect(Math.abs(valueAt(pinched, cx) - valueAt(full, cx))).toBeLessThan(full.span / 1000)
    expect(await main()).toBe(0)

    // One finger dragged 150 px to the right: earlier times, by the finger's distance.
    await touch.gesture([{ from: { x: cx - 75, y: cy }, to: { x: cx + 75, y: cy + 6 } }])
    const panned = await shown()
    expect(panned.span).toBe(pinched.span)
    expect((pinched.from - panned.from) / ((150 / area.width) * pinched.span)).toBeCloseTo(1, 1)
    // Still the History screen (a drag on the chart does not swipe to another screen), page not scrolled.
    expect(await page.locator('[data-screen="history"]').isVisible()).toBe(true)
    expect(await main()).toBe(0)

    // Panning on never goes past the first sample; the range keeps its span.
    for (let i = 0; i < 3; i++)
      await touch.gesture([
        { from: { x: area.x + 20, y: cy }, to: { x: area.x + area.width - 20, y: cy } },
      ])
    expect(await shown()).toEqual({
      from: full.from,
      to: full.from + panned.span,
      span: panned.span,
    })

    // Two fingers closing hard: back to the whole week, never wider.
    await touch.gesture([
      { from: { x: cx - 200, y: cy }, to: { x: cx - 10, y: cy } },
      { from: { x: cx + 200, y: cy }, to: { x: cx + 10, y: cy } },
    ])
    expect(await shown()).toEqual(full)

    // A vertical swipe on the chart scrolls the page (to the energy and events cards), the range stays.
    await touch.gesture([{ from: { x: cx, y: cy + 40 }, to: { x: cx + 4, y: cy - 110 } }])
    await expect.poll(main).toBeGreaterThan(40)
    expect(await shown()).toEqual(full)
    // And a swipe down brings it back to the top (where a fling stops).
    await touch.gesture([{ from: { x: cx, y: 110 }, to: { x: cx, y: 410 } }])
    await expect.poll(main).toBe(0)

    // Zoomed in again, "Tout" shows the whole week.
    await touch.gesture([
      { from: { x: cx - 30, y: cy }, to: { x: cx - 150, y: cy } },
      { from: { x: cx + 30, y: cy }, to: { x: cx + 150, y: cy } },
    ])
    expect((await shown()).span).toBeLessThan(full.span / 2)
    await page.locator('.history .toolbar button', { hasText: 'Tout' }).click()
    expect(await shown()).toEqual(full)

    // The mouse still zooms by dragging over the curve.
    await page.mouse.move(cx - 100, cy)
    await page.mouse.down()
    await page.mouse.move(cx + 100, cy, { steps: 5 })
    await page.mouse.up()
    const selected = await shown()
    expect(selected.span / full.span).toBeCloseTo(200 / area.width, 2)
    await page.screenshot({ path: `${ARTIFACTS}dashboard-history-gestures-800x480-history.png` })
    // A double click shows the whole week again.
    await page.mouse.dblclick(cx, cy)
    expect(await shown()).toEqual(full)
    await touch.detach()
    await page.close()
  })

  it('history lists the stored events newest first, in words, with meter text kept as text', async () => {
    const HOSTILE = '<img src=x onerror="window.__pwned=1">'
    const tz = 'Europe/Paris'
    const ads = PROFILE_ADS['standard-mono-hc']
    const dir = mkdtempSync(join(tmpdir(), 'linky-events-'))
    const store = await openStore(
      { kind: 'sqlite', path: join(dir, 'linky.db') },
      { gapMs: 120_000 },
    )
    try {
      // Yesterday, simulated minute by minute as the store's ingest sees it: HC until 06:00, HP
      // until 22:00, 10 minutes over the subscribed 6 kVA from 19:00, and no frame 03:01-03:05.
      const today = localStart(Date.now(), tz, 'day')
      const yesterday = localStart(today - 12 * 3_600_000, tz, 'day')
      const hhmm = new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
      const at = (time: string): number => {
        for (let t = yesterday; t < today; t += 60_000) if (hhmm.format(t) === time) return t
        throw new Error(`no ${time} yesterday`)
      }
      const feed = createFrameFeed('standard-mono-hc')
      const records = []
      for (let t = yesterday; t < today; t += 60_000) {
        const local = hhmm.format(t)
        if (local > '03:00' && local < '03:06') continue
        const overpower = local >= '19:00' && local < '19:10'
        const f = feed({
          at: t,
          va: overpower ? 7400 : 1500,
          period: local >= '06:00' && local < '22:00' ? 'hp' : 'hc',
          overpower,
        })
        records.push({ reading: f.reading, receivedAt: f.meta.receivedAt })
      }
      await store.ingest.write(records)
      // MSG1 holds 32 characters, so this text can only come from a tampered or imported database;
      // with it, a contract change as the store writes it and a kind this dashboard does not know.
      const terms = (kva: number) => ({
        option: 'hc',
        optionLabel: 'H PLEINE/CREUSE',
        subscribedVA: kva * 1000,
        cutoffVA: kva * 1000,
        hhphc: null,
      })
      await store.engine.db
        .insertInto('events')
        .values([
          {
            meter: ads,
            t: at('23:30'),
            kind: 'message',
            detail: JSON.stringify({ msg1: HOSTILE, msg2: null }),
          },
          {
            meter: ads,
            t: at('12:00'),
            kind: 'contract-change',
            detail: JSON.stringify({ from: { ...terms(6), validFrom: yesterday }, to: terms(9) }),
          },
          { meter: ads, t: at('11:00'), kind: 'tariff-grid-update', detail: '{}' },
          // The store's sink started again after a power cut (as it records it).
          {
            meter: ads,
            t: at('10:30'),
            kind: 'restart',
            detail: JSON.stringify({ from: at('10:23'), ms: 420_000 }),
          },
          {
            meter: ads,
            t: at('10:00'),
            kind: 'register-reset',
            detail: JSON.stringify({
              registers: [
                { register: 's02', from: 5_000_000, to: 1000, fromT: at('09:59') },
                { register: 'import', from: 8_000_000, to: 2000, fromT: at('09:59') },
              ],
            }),
          },
        ])
        .execute()
      // The day before: a relay switching every 10 minutes, more events than one range shows.
      const before = localStart(yesterday - 12 * 3_600_000, tz, 'day')
      const closed = [true, false, false, false, false, false, false, false]
      const open8 = closed.map(() => false)
      await store.engine.db
        .insertInto('events')
        .values(
          Array.from({ length: 120 }, (_, i) => ({
            meter: ads,
            t: before + i * 600_000,
            kind: 'relay-change',
            detail: JSON.stringify(
              i % 2 === 0 ? { from: open8, to: closed } : { from: closed, to: open8 },
            ),
          })),
        )
        .execute()

      const { d, feed: live } = await dashboard('standard-mono-hc', { history: store.history })
      d.push(live({ va: 1500 }))
      const page = await suite.browser.context.newPage()
      await page.setViewportSize({ width: 800, height: 480 })
      const { dialogs, requests } = watchPage(page)
      await page.goto(`${d.url}#history`)
      await page.locator('[data-screen="history"]').waitFor({ state: 'visible' })
      // Nothing was stored today.
      await expect
        .poll(() => page.locator('[data-testid="events-note"]').textContent())
        .toBe('Aucun événement sur cette période')

      await page.locator('button[data-range="week"]').click()
      const rows = page.locator('[data-testid="event-row"]')
      // At most 100, and the card says the others are left out.
      await expect.poll(() => rows.count()).toBe(100)
      expect(await page.locator('[data-testid="history-events"] > p').textContent()).toBe(
        'Seuls les 100 plus récents sont affichés : choisissez une période plus courte pour voir les autres.',
      )
      const date = new Intl.DateTimeFormat('fr-FR', {
        timeZone: tz,
        day: '2-digit',
        month: '2-digit',
      }).format(yesterday)
      const dateTime = new Intl.DateTimeFormat('fr-FR', {
        timeZone: tz,
        day: '2-digit',
        month: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
      const stamp = (t: number): string => dateTime.format(t).replace(',', '').replace(/\s+/gu, ' ')
      const shown = await rows.evaluateAll((lis) =>
        lis.map((li) =>
          Array.from(li.children).map((c) => (c.textContent ?? '').replace(/\s+/gu, ' ')),
        ),
      )
      expect(shown.slice(0, 13)).toEqual([
        [`${date} 23:30:00`, `Message du compteur : ${HOSTILE}`],
        [`${date} 22:00:00`, 'Passage en heures creuses'],
        [`${date} 19:10:00`, 'Fin du dépassement de puissance souscrite'],
        [
          `${date} 19:00:00`,
          'Dépassement de puissance souscrite : 7 400 VA pour 6 000 VA souscrits',
        ],
        [
          `${date} 12:00:00`,
          'Nouveau contrat : Heures pleines / creuses, 9 kVA (avant : Heures pleines / creuses, 6 kVA)',
        ],
        [`${date} 11:00:00`, 'tariff-grid-update'],
        [
          `${date} 10:30:00`,
          'Enregistrement repris après un arrêt (coupure, redémarrage) : 7 min sans données',
        ],
        [
          `${date} 10:00:00`,
          'Index en baisse (compteur remplacé ou remis à zéro), comptage repris à la nouvelle valeur : Total soutiré 8 000,0 kWh → 2,0 kWh',
        ],
        [`${date} 06:00:00`, 'Passage en heures pleines'],
        [`${date} 03:06:00`, 'Pas de trame pendant 6 min'],
        [stamp(before + 119 * 600_000), 'Relais 1 ouvert'],
        [stamp(before + 118 * 600_000), 'Relais 1 fermé'],
        [stamp(before + 117 * 600_000), 'Relais 1 ouvert'],
      ])
      // The hostile text is text: no element, no script run, no request for its image.
      expect(await page.locator('main img').count()).toBe(0)
      await page.waitForTimeout(300)
      expect(
        await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
      ).toBeUndefined()
      expect(dialogs).toEqual([])
      expect(requests.filter((p) => p === '/x')).toEqual([])

      // Kiosk sizes: once scrolled to, the whole card is on screen and its list scrolls inside it.
      for (const size of KIOSKS) {
        await page.setViewportSize(size)
        await page.locator('.card.events').scrollIntoViewIfNeeded()
        await page.waitForTimeout(150)
        const fit = await page.evaluate(() => {
          const main = document.querySelector('main')!.getBoundingClientRect()
          const card = document.querySelector('.card.events')!.getBoundingClientRect()
          const list = document.querySelector('[data-testid="history-events"]')!
          return {
            cardH: card.height,
            mainH: main.height,
            right: card.right,
            w: window.innerWidth,
            scrollW: document.body.scrollWidth,
            listH: list.clientHeight,
            listScrollH: list.scrollHeight,
          }
        })
        expect(fit.cardH).toBeLessThanOrEqual(fit.mainH)
        expect(fit.listScrollH).toBeGreaterThan(fit.listH)
        expect(fit.right).toBeLessThanOrEqual(fit.w)
        expect(fit.scrollW).toBeLessThanOrEqual(size.width)
        await page.screenshot({
          path: `${ARTIFACTS}dashboard-events-${String(size.width)}x${String(size.height)}-history.png`,
        })
      }

      // In English on request (en-GB dates: `28/11, 22:00:00`).
      await page.locator('header button', { hasText: 'EN' }).click()
      await tab(page, 'history')
      await page.locator('button[data-range="week"]').click()
      await expect
        .poll(async () => (await rows.nth(1).textContent())?.replace(/\s+/gu, ' '))
        .toBe(`${date}, 22:00:00Switch to off-peak hours (HC)`)
      expect((await rows.nth(3).textContent())?.replace(/\s+/gu, ' ')).toBe(
        `${date}, 19:00:00Subscribed power exceeded: 7,400 VA of 6,000 VA subscribed`,
      )
      expect((await rows.nth(6).textContent())?.replace(/\s+/gu, ' ')).toBe(
        `${date}, 10:30:00Recording resumed after a stop (power cut, restart): 7 min without data`,
      )
      expect((await rows.nth(7).textContent())?.replace(/\s+/gu, ' ')).toBe(
        `${date}, 10:00:00Index went down (meter replaced or reset), counting resumes from the new value: Total withdrawn 8,000.0 kWh → 2.0 kWh`,
      )
      await page.close()

      // A store failing on events: the card says so, the curve still shows.
      const meter = {
        id: ads,
        prm: null,
        mode: 'standard' as const,
        phases: 1 as const,
        producer: false,
        firstSeen: yesterday,
        lastSeen: today,
      }
      const failing = {
        ...createMemoryHistoryStore({ meter, now: Date.now(), days: 2 }),
        events: () => Promise.reject(new Error('disk gone')),
      }
      const broken = await dashboard('standard-mono-hc', { history: failing })
      broken.d.push(broken.feed({ va: 1500 }))
      const p2 = await open(`${broken.d.url}#history`)
      await expect
        .poll(() => p2.locator('[data-testid="events-note"]').textContent())
        .toBe('Événements indisponibles')
      await expect.poll(() => p2.locator('[data-testid="history-chart"] canvas').count()).toBe(1)
      await p2.close()
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('diagnostics: pipeline snapshot (source, sinks, lag, spool) and rejected groups by reason over time', async () => {
    const diagnostics = () => ({
      at: Date.now(),
      source: {
        id: 'meter',
        state: 'locked',
        mode: 'standard' as const,
        baudRate: 9600,
        bytes: 123_456,
        frames: 321,
        lastFrameAt: Date.now(),
      },
      rejectedByReason: { checksum: 3, length: 1 },
      discardedByReason: {},
      sinks: [
        {
          id: 'store',
          state: 'spooling',
          acked: 300,
          lag: 21,
          errors: 1,
          retries: 2,
          spool: { usedBytes: 4096, capacityBytes: 1_048_576 },
        },
        {
          id: 'dashboard',
          state: 'running',
          acked: 321,
          lag: 0,
          errors: 0,
          retries: 0,
          spool: null,
        },
      ],
    })
    const { d, feed } = await dashboard('standard-mono-hc', { diagnostics, statsIntervalMs: 300 })
    const f = feed({ va: 1000 })
    d.push({ ...f, rejected: [{ raw: 'SINSTS\t0100x\t?', reason: 'checksum', label: 'SINSTS' }] })
    const page = await open(`${d.url}#diagnostics`)
    await expect.poll(() => text(page, 'diag-state')).toBe('verrouillée')
    expect(await text(page, 'diag-baud')).toBe('9600Bd')
    expect(await text(page, 'diag-frames')).toBe('321')
    expect(await text(page, 'diag-rejected')).toBe('sommedecontrôle:3,longueur:1')
    const rows = await page.locator('[data-testid="diag-sinks"] tbody tr').allTextContents()
    expect(rows).toHaveLength(2)
    expect(rows[0]!.replace(/\s/gu, '')).toBe('storeenattente(tampondisque)300211' + '4KiB/1024KiB')
    // The dashboard's own per-minute count of rejected groups, by reason.
    await expect.poll(() => page.locator('[data-testid="diag-rate"] .col .seg').count()).toBe(1)
    for (const size of KIOSKS) {
      await page.setViewportSize(size)
      await page.screenshot({
        path: `${ARTIFACTS}dashboard-pipeline-${String(size.width)}x${String(size.height)}-diagnostics.png`,
      })
    }
    await page.close()
  })

  it('renders meter text as text: an <img onerror> in MSG1 shows literally and runs nothing', async () => {
    const payload = '<img src=x onerror=alert(1)>'
    const { d, feed } = await dashboard('standard-mono-hc')
    d.push(feed({ va: 1000, msg1: payload }))
    const page = await suite.browser.context.newPage()
    const { dialogs, requests } = watchPage(page)
    const response = await page.goto(`${d.url}#meter`)
    const csp = response?.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    await expect.poll(() => page.locator('[data-testid="msg1"]').textContent()).toBe(payload)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0)
    // The served HTML has no inline script or style for the CSP to allow.
    const html = await (await fetch(d.url)).text()
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/)
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)
    await page.waitForTimeout(300)
    expect(dialogs).toEqual([])
    expect(requests.filter((p) => p === '/x')).toEqual([])
    await page.screenshot({ path: `${ARTIFACTS}dashboard-xss-1024x600-meter.png` })
    await page.close()
  })

  it('speaks English on request and switches theme and language from the header', async () => {
    const { d, feed } = await dashboard('historique-mono-base', { lang: 'en' })
    d.push(feed({ va: 1200 }))
    const page = await open(d.url)
    await expect.poll(() => page.locator('[data-tab="live"]').textContent()).toBe('Live')
    expect(await page.locator('.live .label').first().textContent()).toBe('Apparent power')
    await page.locator('header button', { hasText: 'FR' }).click()
    await expect.poll(() => page.locator('[data-tab="live"]').textContent()).toBe('Direct')
    const before = await page.evaluate(() => document.documentElement.dataset.theme)
    await page.locator('header button', { hasText: '◐' }).click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(before)
    await page.goto(`${d.url}?theme=dark`)
    await page.locator('nav').waitFor()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.screenshot({ path: `${ARTIFACTS}dashboard-dark-1024x600-live.png` })
    await page.close()
  })
})

describe('dashboard e2e helpers', () => {
  it('every profile decodes without rejected groups', () => {
    for (const p of Object.keys(PROFILE_ADS) as MeterProfile[]) {
      const f = createFrameFeed(p)({ va: 1000, amps: [1, 2, 3], injectedVA: 10 })
      expect(f.rejected).toEqual([])
      expect(f.reading.meter.id).toBe(PROFILE_ADS[p])
    }
  })
})
