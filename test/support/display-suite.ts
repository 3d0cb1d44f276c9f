/**
 * The set-up shared by the dashboard's Chromium suites: one browser per suite, dashboards started
 * on demand and all closed after the suite, and a page opener. Call inside a `describe`.
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import type { Page } from 'playwright-core'
import { launchBrowser } from './display-browser.js'
import type { TestBrowser } from './display-browser.js'
import { createFrameFeed } from './display-frames.js'
import type { Live, MeterProfile } from './display-frames.js'
import { startDashboard } from './display-harness.js'
import type { DashboardHarness } from './display-harness.js'
import { ARTIFACTS } from './display-page.js'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'

/** What a suite gets from {@link dashboardSuite}. */
export interface DashboardSuite {
  /** The suite's browser (after `beforeAll`). */
  readonly browser: TestBrowser
  /** Starts a dashboard and a frame feed of `profile`. */
  dashboard(
    profile: MeterProfile,
    options?: Parameters<typeof startDashboard>[0],
  ): Promise<{ d: DashboardHarness; feed: (v: Live) => PipelineFrame }>
  /** Opens `url` in a new page of `viewport` size and waits for the tab bar. */
  open(url: string, viewport: { width: number; height: number }): Promise<Page>
}

/** Registers the suite's hooks and returns its helpers. */
export function dashboardSuite(): DashboardSuite {
  let browser: TestBrowser | undefined
  const running: DashboardHarness[] = []
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const d of running) await d.complete()
    await browser?.close()
  })
  return {
    get browser() {
      if (browser === undefined) throw new Error('dashboardSuite: browser used before beforeAll')
      return browser
    },
    async dashboard(profile, options = {}) {
      const d = await startDashboard(options)
      running.push(d)
      return { d, feed: createFrameFeed(profile) }
    },
    async open(url, viewport) {
      const page = await this.browser.context.newPage()
      await page.setViewportSize(viewport)
      await page.goto(url)
      await page.locator('nav').waitFor()
      return page
    },
  }
}
