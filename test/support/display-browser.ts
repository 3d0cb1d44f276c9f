/**
 * Debian's Chromium driven by playwright-core, for the dashboard's end-to-end tests and benchmark.
 * `LINKY_CHROMIUM` overrides the executable.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'

/** The Chromium executable. */
export const CHROMIUM = process.env.LINKY_CHROMIUM ?? '/usr/bin/chromium'
/** True when the executable exists. */
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM)

/** Flags for a quiet, offline, headless run. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A browser with a fresh profile; `close()` removes the profile. */
export interface TestBrowser {
  readonly context: BrowserContext
  close(): Promise<void>
}

/** Launches Chromium with a fresh user-data-dir and a viewport. */
export async function launchBrowser(viewport = { width: 1024, height: 600 }): Promise<TestBrowser> {
  const dir = await mkdtemp(join(tmpdir(), 'linky-chromium-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  })
  return {
    context,
    async close() {
      await context.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Records what a page does that a hostile meter text must never cause: dialogs (dismissed) and
 * the paths of every request it makes.
 */
export function watchPage(page: Page): { readonly dialogs: string[]; readonly requests: string[] } {
  const dialogs: string[] = []
  const requests: string[] = []
  page.on('dialog', (dlg) => {
    dialogs.push(dlg.message())
    void dlg.dismiss()
  })
  page.on('request', (r) => requests.push(new URL(r.url()).pathname))
  return { dialogs, requests }
}

/**
 * Makes `page` a browser without the Web Locks API (as on a page that is not a secure context:
 * plain HTTP to a LAN address), from its next navigation on.
 */
export async function withoutWebLocks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (Navigator.prototype as { locks?: unknown }).locks
  })
}
