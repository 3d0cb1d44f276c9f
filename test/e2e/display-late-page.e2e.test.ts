/// <reference lib="dom" />
import { expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import { describeWithService } from '../support/services.js'
import { CHROMIUM_AVAILABLE } from '../support/display-browser.js'
import { PROFILE_ADS } from '../support/display-frames.js'
import { dashboardSuite } from '../support/display-suite.js'
import { createMemoryHistoryStore } from '../support/display-history-store.js'
import { ARTIFACTS, tab, text, words } from '../support/display-page.js'

/** A store that has committed nothing yet (the first 10 minutes of a fresh SQLite store). */
function freshStore(): HistoryStore {
  return {
    meters: async () => [],
    latest: async () => null,
    samples: async () => [],
    energy: async () => [],
    events: async () => [],
  }
}

/** Points the Live curve draws and its line breaks. */
async function curve(page: Page): Promise<{ points: number; gaps: number }> {
  const chart = page.locator('[data-testid="live-chart"]')
  const [points, gaps] = await Promise.all(
    ['points', 'gaps'].map((k) => chart.getAttribute(`data-${k}`)),
  )
  return { points: Number(points), gaps: Number(gaps) }
}

// A page opened (or reloaded) minutes after the dashboard started must show what a page open
// all along shows: every frame of the last ten minutes and today's energy, even when the store
// has not committed yet (it commits every 10 minutes).
describeWithService('chromium', CHROMIUM_AVAILABLE, 'dashboard page opened late (e2e)', () => {
  const suite = dashboardSuite()
  const open = (url: string): Promise<Page> => suite.open(url, { width: 800, height: 480 })

  it('on a fresh store: the curve holds every frame received before the page opened, and today’s energy is counted', async () => {
    const { d, feed } = await suite.dashboard('standard-mono-hc', {
      history: freshStore(),
      statsIntervalMs: 300,
    })
    // Four minutes of frames, one every 2 s, 2 Wh each, with no page open (the last one 8 s ago).
    const now = Date.now()
    const frames = 120
    const at = (i: number): number => now - 8000 - (frames - 1 - i) * 2000
    for (let i = 0; i < frames; i++)
      d.push(feed({ va: 1000 + (i % 10) * 50, addWh: 2 * i, at: at(i) }))
    const page = await open(d.url)
    await expect.poll(async () => (await curve(page)).points).toBe(frames)
    expect((await curve(page)).gaps).toBe(0)
    // 119 increments of 2 Wh since the first frame, none of them stored yet.
    await expect.poll(() => text(page, 'today-energy')).toBe('0,24kWh')
    await page.screenshot({ path: `${ARTIFACTS}live-late-page-800x480-fr.png` })
    // The Index screen says these figures are the dashboard's own count, not stored yet.
    await tab(page, 'indexes')
    await expect
      .poll(() => words(page, 'index-note'))
      .toMatch(/^Compté depuis .+ \(pas encore enregistré\)$/u)
    await tab(page, 'live')

    // Frames after the load add one point each: none is drawn twice.
    for (let i = frames; i < frames + 3; i++) d.push(feed({ va: 2000, addWh: 2 * i, at: at(i) }))
    await expect.poll(async () => (await curve(page)).points).toBe(frames + 3)
    await page.reload()
    await page.locator('nav').waitFor()
    await expect.poll(async () => (await curve(page)).points).toBe(frames + 3)
    await page.close()
  })

  it('with a store that lags: stored samples fill only what is older than the live buffer', async () => {
    const now = Date.now()
    const meter = {
      id: PROFILE_ADS['standard-mono-hc'],
      prm: '09876543210123',
      mode: 'standard' as const,
      phases: 1 as const,
      producer: false,
      firstSeen: now - 86_400_000,
      lastSeen: now - 240_000,
    }
    // Stored every 10 s until four minutes ago; the live buffer then holds the last 4 minutes
    // (and, as in the running app, the frames the store has not committed yet).
    const store = createMemoryHistoryStore({ meter, now: now - 240_000, days: 1, stepMs: 10_000 })
    const { d, feed } = await suite.dashboard('standard-mono-hc', { history: store })
    const frames = 120
    for (let i = 0; i < frames; i++)
      d.push(feed({ va: 1500, addWh: i, at: now - (frames - 1 - i) * 2000 }))
    const page = await open(d.url)
    // 36 stored samples in [now − 600 s, now − 240 s), then the 120 frames from now − 238 s.
    await expect.poll(async () => (await curve(page)).points).toBeGreaterThanOrEqual(frames + 35)
    const drawn = await curve(page)
    expect(drawn.points).toBeLessThanOrEqual(frames + 36)
    expect(drawn.gaps).toBe(0)
    await page.close()
  })
})
