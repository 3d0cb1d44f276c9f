/// <reference lib="dom" />
/**
 * Page helpers of the dashboard's Chromium tests: element texts, screens, screenshots folder.
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'

/** Where the e2e tests save their screenshots (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

/** The kiosk screens the layouts are made for. */
export const KIOSKS = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
] as const

/** Text of an element with every kind of space removed (French number formats use U+202F). */
export async function text(page: Page, testid: string): Promise<string> {
  const t = await page.locator(`[data-testid="${testid}"]`).first().textContent()
  return (t ?? '').replace(/\s/gu, '')
}

/** Text of an element with runs of spaces (any kind) as one plain space. */
export async function words(page: Page, testid: string): Promise<string> {
  const t = await page.locator(`[data-testid="${testid}"]`).first().textContent()
  return (t ?? '').replace(/\s+/gu, ' ').trim()
}

/** Whether the first element with this test id is visible. */
export async function visible(page: Page, testid: string): Promise<boolean> {
  return page.locator(`[data-testid="${testid}"]`).first().isVisible()
}

/** Switches to a screen with its tab and waits until it shows. */
export async function tab(page: Page, id: string): Promise<void> {
  await page.locator(`[data-tab="${id}"]`).click()
  await page.locator(`[data-screen="${id}"]`).waitFor({ state: 'visible' })
}
