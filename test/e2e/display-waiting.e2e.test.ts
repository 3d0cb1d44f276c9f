import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CHROMIUM_AVAILABLE, launchBrowser } from '../support/display-browser.js'
import type { TestBrowser } from '../support/display-browser.js'
import { createFrameFeed } from '../support/display-frames.js'
import { startDashboard } from '../support/display-harness.js'
import type { DashboardHarness } from '../support/display-harness.js'
import { describeWithService } from '../support/services.js'

// Until the first frame, the dashboard says what it waits for and the likely causes; the banner
// goes away with the first frame. Screenshots at 800x480 in test-artifacts/.

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

describeWithService(
  'chromium',
  CHROMIUM_AVAILABLE,
  'dashboard before the first frame (e2e)',
  () => {
    let browser: TestBrowser
    const running: DashboardHarness[] = []

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true })
      browser = await launchBrowser({ width: 800, height: 480 })
    })
    afterAll(async () => {
      for (const d of running) await d.complete()
      await browser?.close()
    })

    it('on the UART: the port, no signal, wrong port, serial console; French and English; gone at the first frame', async () => {
      const d = await startDashboard({ waitingFor: { kind: 'serial', path: '/dev/serial0' } })
      running.push(d)
      const page = await browser.context.newPage()
      await page.goto(d.url)
      const banner = page.getByTestId('stale')
      await expect
        .poll(() => banner.innerText())
        .toContain('En attente de la première trame du compteur sur /dev/serial0')
      const causes = await banner.locator('li').allInnerTexts()
      expect(causes).toHaveLength(3)
      expect(causes[0]).toContain('pas de signal TIC')
      expect(causes[1]).toContain('linkyrpi detect --port')
      expect(causes[2]).toContain('sudo raspi-config nonint do_serial_cons 1')
      await page.screenshot({ path: `${ARTIFACTS}dashboard-waiting-serial0-fr-800x480.png` })

      const en = await browser.context.newPage()
      await en.goto(`${d.url}?lang=en`)
      await expect
        .poll(() => en.getByTestId('stale').innerText())
        .toContain("Waiting for the meter's first frame on /dev/serial0")
      expect(await en.getByTestId('stale').locator('li').allInnerTexts()).toEqual([
        "no TIC signal: wiring of the meter's I1/I2 terminals, TIC board powered, TIC output enabled",
        "wrong port: 'linkyrpi ports' lists them, 'linkyrpi detect --port …' tests one",
        'serial console still on the UART: sudo raspi-config nonint do_serial_cons 1, then reboot',
      ])
      await en.screenshot({ path: `${ARTIFACTS}dashboard-waiting-serial0-en-800x480.png` })

      d.push(createFrameFeed('standard-mono-hc')({ va: 1200 }))
      await expect.poll(() => banner.isVisible()).toBe(false)
      await page.close()
      await en.close()
    })

    it('on a USB dongle: no serial-console cause; the simulator: only what it waits for', async () => {
      const usb = await startDashboard({ waitingFor: { kind: 'serial', path: '/dev/ttyUSB0' } })
      const sim = await startDashboard({ waitingFor: { kind: 'simulator' } })
      running.push(usb, sim)
      const page = await browser.context.newPage()
      await page.goto(usb.url)
      await expect.poll(() => page.getByTestId('stale').innerText()).toContain('/dev/ttyUSB0')
      expect(await page.getByTestId('stale').locator('li').count()).toBe(2)
      await page.goto(sim.url)
      await expect
        .poll(() => page.getByTestId('stale').innerText())
        .toBe('En attente du compteur simulé')
      await page.close()
    })
  },
)
