/**
 * A touch screen for the dashboard's end-to-end tests: touches go through Chromium's input
 * pipeline (CDP `Input.dispatchTouchEvent`), so the page sees real Pointer and Touch Events and the
 * browser applies `touch-action` and scrolls as it would under fingers.
 */
import type { CDPSession, Page } from 'playwright-core'

/** A position in viewport CSS pixels. */
export interface TouchPoint {
  readonly x: number
  readonly y: number
}

/** One finger of a gesture: down at `from`, moved in a straight line to `to`, then lifted. */
export interface Finger {
  readonly from: TouchPoint
  readonly to: TouchPoint
}

/** A page's touch screen. */
export interface TouchScreen {
  /** Puts every finger down at once, moves them together in `steps` moves, lifts them. */
  gesture(fingers: readonly Finger[], steps?: number): Promise<void>
  /** Ends the CDP session. */
  detach(): Promise<void>
}

/** Turns on touch emulation for `page` (a touch device, as the kiosk's screen) and returns its touch screen. */
export async function touchScreen(page: Page): Promise<TouchScreen> {
  const cdp: CDPSession = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 })
  const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: readonly TouchPoint[]) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: points.map((p, id) => ({ x: p.x, y: p.y, id })),
    })
  return {
    async gesture(fingers, steps = 10) {
      await send(
        'touchStart',
        fingers.map((f) => f.from),
      )
      for (let i = 1; i <= steps; i++) {
        const k = i / steps
        await send(
          'touchMove',
          fingers.map((f) => ({
            x: f.from.x + (f.to.x - f.from.x) * k,
            y: f.from.y + (f.to.y - f.from.y) * k,
          })),
        )
      }
      await send('touchEnd', [])
      // Let the page handle the last events before the caller looks at it.
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => resolve(null))),
      )
    },
    async detach() {
      await cdp.detach()
    },
  }
}
