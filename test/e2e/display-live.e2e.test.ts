/// <reference lib="dom" />
import { expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { describeWithService } from '../support/services.js'
import { CHROMIUM_AVAILABLE } from '../support/display-browser.js'
import { PROFILE_ADS } from '../support/display-frames.js'
import { dashboardSuite } from '../support/display-suite.js'
import { createMemoryHistoryStore } from '../support/display-history-store.js'
import { ARTIFACTS, tab, text, visible, words } from '../support/display-page.js'

const SCREENS = ['live', 'indexes', 'history', 'meter', 'diagnostics'] as const

/** Minutes after local midnight in Paris, now. */
function parisMinute(now = Date.now()): number {
  const [h, m] = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(now)
    .split(':')
    .map(Number)
  return h! * 60 + m!
}

/** `1 h 12` or `25 min` as minutes. */
function minutesOf(countdown: string): number {
  const hm = /(\d+) h (\d\d)$/u.exec(countdown)
  if (hm !== null) return Number(hm[1]) * 60 + Number(hm[2])
  const m = /(\d+) min$/u.exec(countdown)
  return m === null ? NaN : Number(m[1])
}

describeWithService(
  'chromium',
  CHROMIUM_AVAILABLE,
  'dashboard Live screen in Chromium (e2e)',
  () => {
    const suite = dashboardSuite()
    const dashboard = suite.dashboard.bind(suite)
    const open = (url: string, viewport = { width: 800, height: 480 }): Promise<Page> =>
      suite.open(url, viewport)

    /** What the Live curve draws: points, line breaks, and its time axis (epoch ms). */
    async function curve(
      page: Page,
    ): Promise<{ points: number; gaps: number; from: number; to: number }> {
      const chart = page.locator('[data-testid="live-chart"]')
      const [points, gaps, from, to] = await Promise.all(
        ['points', 'gaps', 'from', 'to'].map((k) => chart.getAttribute(`data-${k}`)),
      )
      return { points: Number(points), gaps: Number(gaps), from: Number(from), to: Number(to) }
    }

    it('the Live curve is filled from the store at load, grows with every frame, follows the clock and breaks at gaps', async () => {
      const now = Date.now()
      const meter = {
        id: PROFILE_ADS['standard-mono-hc'],
        prm: '09876543210123',
        mode: 'standard' as const,
        phases: 1 as const,
        producer: false,
        firstSeen: now - 86_400_000,
        lastSeen: now,
      }
      // A stored sample every 10 s up to now: 60 of them in the last ten minutes.
      const store = createMemoryHistoryStore({ meter, now, days: 1, stepMs: 10_000 })
      // The stale limit (and the longest silence drawn as a line) follows the frames' pace: a few
      // seconds after a missed frame, well before staleAfterMs.
      const { d, feed } = await dashboard('standard-mono-hc', {
        history: store,
        staleAfterMs: 30_000,
      })
      d.push(feed({ va: 1500 }))
      const page = await open(d.url)
      await expect.poll(async () => (await curve(page)).points).toBeGreaterThanOrEqual(59)
      expect(store.calls).toContain(`samples ${meter.id}`)
      const loaded = await curve(page)
      expect(loaded.gaps).toBe(0)
      // Ten minutes up to now (the page and server share this machine's clock).
      expect(loaded.to - loaded.from).toBeCloseTo(600_000, -2)
      expect(Math.abs(loaded.to - Date.now())).toBeLessThan(3000)

      // Frames every 400 ms: one more point each, the axis moves with them.
      for (let i = 1; i <= 5; i++) {
        d.push(feed({ va: 1500 + i * 100 }))
        await page.waitForTimeout(400)
      }
      await expect.poll(async () => (await curve(page)).points).toBe(loaded.points + 5)
      const grown = await curve(page)
      expect(grown.to - loaded.to).toBeGreaterThan(1500)
      await page.screenshot({ path: `${ARTIFACTS}live-curve-800x480-fr.png` })

      // No frame for 5 s (frames came every 0.4 s): the axis keeps following the clock…
      await page.waitForTimeout(2000)
      const idle = await curve(page)
      expect(idle.to - grown.to).toBeGreaterThan(1500)
      expect(idle.points).toBe(grown.points)
      await page.waitForTimeout(3000)
      expect((await curve(page)).gaps).toBe(0)
      // …and the next frame starts a new stretch of line instead of bridging the silence.
      d.push(feed({ va: 900 }))
      await expect.poll(async () => (await curve(page)).points).toBe(grown.points + 1)
      expect((await curve(page)).gaps).toBe(1)
      await page.screenshot({ path: `${ARTIFACTS}live-curve-gap-800x480-fr.png` })
      await page.close()
    })

    it('hero: the power readable from across the room, coloured by the period, with today’s energy and the next period', async () => {
      const { d, feed } = await dashboard('standard-mono-hc', { statsIntervalMs: 300 })
      d.push(feed({ va: 1850, amps: [8] }))
      const page = await open(d.url)
      await expect.poll(() => text(page, 'apparent')).toBe('1850VA')
      d.push(feed({ va: 2100, amps: [9], addWh: 120 }))
      await expect.poll(() => text(page, 'apparent')).toBe('2100VA')
      const hero = await page.locator('[data-testid="apparent"]').evaluate((el) => ({
        h: el.getBoundingClientRect().height,
        colour: getComputedStyle(el).color,
        size: parseFloat(getComputedStyle(el).fontSize),
      }))
      expect(hero.h).toBeGreaterThanOrEqual(100)
      expect(hero.size).toBeGreaterThanOrEqual(100)
      expect(hero.colour).toBe('rgb(180, 83, 9)') // heures pleines: the HP orange
      // The profile (PJOURF+1, today's too: NJOURF = NJOURF+1) starts HC at 22:00 and at 00:00: the
      // next of those. (The frame says HP at any hour: between 22:00 and midnight the next start of
      // an HC segment is midnight.)
      const line = await words(page, 'live-period')
      expect(line).toMatch(/^Heures pleines · HC dans (\d+ h \d\d|\d+ min)$/u)
      const minute = parisMinute()
      const expected = minute < 22 * 60 ? 22 * 60 - minute : 1440 - minute
      expect(Math.abs(minutesOf(line) - expected)).toBeLessThanOrEqual(2)
      await expect.poll(() => text(page, 'today-energy')).toBe('0,12kWh')
      expect(await visible(page, 'live-tomorrow')).toBe(false)
      // The daily maximum the meter sends (SMAXSN).
      expect(await words(page, 'maxima')).toMatch(/^Max\. aujourd'hui 4 500 VA/u)
      // No store here: nothing to price, the cost slot stays hidden (display-costs shows it filled).
      expect(await page.locator('[data-slot="cost"]').count()).toBe(1)
      expect(await visible(page, 'cost-slot')).toBe(false)
      await page.screenshot({ path: `${ARTIFACTS}live-hero-800x480-fr.png` })

      // HC: the figure turns blue.
      d.push(feed({ va: 2100, period: 'hc' }))
      await expect
        .poll(() =>
          page.locator('[data-testid="apparent"]').evaluate((el) => getComputedStyle(el).color),
        )
        .toBe('rgb(21, 101, 192)')
      await page.close()
    })

    it('overpower: every screen says it, with the excess', async () => {
      const { d, feed } = await dashboard('standard-mono-hc')
      d.push(feed({ va: 2000 }))
      const page = await open(d.url)
      await expect.poll(() => text(page, 'apparent')).toBe('2000VA')
      expect(await visible(page, 'overpower')).toBe(false)
      d.push(feed({ va: 12_750, overpower: true }))
      await expect.poll(() => visible(page, 'overpower')).toBe(true)
      expect(await words(page, 'overpower')).toBe(
        'Dépassement de puissance : +6 750 VA (souscrite 6 000 VA)',
      )
      expect(await words(page, 'headroom')).toBe('+6 750 VA')
      expect(await page.evaluate(() => document.body.classList.contains('overpower'))).toBe(true)
      await page.screenshot({ path: `${ARTIFACTS}live-overpower-800x480-fr.png` })
      // The banner takes room from the Live screen, which still fits: the figure whole, the curve above the tabs.
      const fit = await page.evaluate(() => {
        const box = (q: string) => document.querySelector(q)!.getBoundingClientRect()
        return {
          value: box('[data-testid="apparent"]').right,
          hero: box('.hero').right,
          curve: box('.live .curve').bottom,
          nav: box('nav').top,
        }
      })
      expect(fit.value).toBeLessThanOrEqual(fit.hero)
      expect(fit.curve).toBeLessThanOrEqual(fit.nav)
      for (const s of SCREENS) {
        await tab(page, s)
        expect(await visible(page, 'overpower')).toBe(true)
      }
      await tab(page, 'live')
      d.push(feed({ va: 3000 }))
      await expect.poll(() => visible(page, 'overpower')).toBe(false)
      expect(await words(page, 'headroom')).toBe('3 000 VA (50 %)')
      await page.close()
    })

    it('Tempo and EJP: tomorrow’s colour, the next period and the peak notice in words', async () => {
      const tempo = await dashboard('historique-tri-tempo')
      tempo.d.push(tempo.feed({ va: 3000, amps: [5, 4, 4] }))
      const page = await open(tempo.d.url)
      await expect.poll(() => words(page, 'live-tomorrow')).toBe('Demain : ROUGE')
      // HP of a white day: HC (still white) at 22:00, Tempo's regulated hours.
      const line = await words(page, 'live-period')
      expect(line).toMatch(/^HP Blanc · HC Blanc dans (\d+ h \d\d|\d+ min)$/u)
      const expected = (((22 * 60 - parisMinute()) % 1440) + 1440) % 1440 || 1440
      expect(Math.abs(minutesOf(line) - expected)).toBeLessThanOrEqual(2)
      await page.screenshot({ path: `${ARTIFACTS}live-tempo-800x480-fr.png` })
      await page.close()

      const ejp = await dashboard('historique-mono-ejp')
      ejp.d.push(ejp.feed({ va: 900, amps: [4] }))
      const p2 = await open(ejp.d.url)
      // PEJP: the EJP peak starts at 07:00.
      await expect
        .poll(() => words(p2, 'live-peak'))
        .toMatch(/^Pointe mobile dans (\d+ h \d\d|\d+ min)$/u)
      const expected7 = (((7 * 60 - parisMinute()) % 1440) + 1440) % 1440 || 1440
      expect(Math.abs(minutesOf(await words(p2, 'live-peak')) - expected7)).toBeLessThanOrEqual(2)
      await p2.screenshot({ path: `${ARTIFACTS}live-ejp-800x480-fr.png` })
      await p2.close()
    })

    it('stale within a few seconds of the missed frame; "meter silent" and "server unreachable" told apart', async () => {
      const { d, feed } = await dashboard('standard-mono-hc', { staleAfterMs: 30_000 })
      d.push(feed({ va: 1000 }))
      const page = await open(d.url)
      await expect.poll(() => text(page, 'apparent')).toBe('1000VA')
      for (let i = 0; i < 5; i++) {
        await page.waitForTimeout(500)
        d.push(feed({ va: 1000 + i }))
      }
      const stopped = Date.now()
      // Frames came every 0.5 s: stale a few seconds later, long before staleAfterMs (30 s).
      await page.locator('[data-testid="stale"]').waitFor({ state: 'visible', timeout: 8000 })
      expect(Date.now() - stopped).toBeLessThan(8000)
      await expect
        .poll(() => page.locator('[data-testid="stale"]').getAttribute('data-reason'))
        .toBe('meter')
      expect(await words(page, 'stale')).toMatch(
        /^Pas de trame du compteur depuis \d\d:\d\d:\d\d \(\d+ s\)$/u,
      )
      await page.screenshot({ path: `${ARTIFACTS}live-meter-silent-800x480-fr.png` })
      await d.complete()
      await expect
        .poll(() => page.locator('[data-testid="stale"]').getAttribute('data-reason'), {
          timeout: 10_000,
        })
        .toBe('server')
      expect(await words(page, 'stale')).toMatch(/^Serveur injoignable depuis \d\d:\d\d:\d\d/u)
      await page.screenshot({ path: `${ARTIFACTS}live-server-unreachable-800x480-fr.png` })
      await page.close()
    })

    it('only the indexes of the contract: a Tempo Linky shows its six indexes in Tempo shades, the distributor indexes it uses', async () => {
      const { d, feed } = await dashboard('standard-mono-tempo', { statsIntervalMs: 300 })
      d.push(feed({ va: 2300, amps: [10] }))
      const page = await open(`${d.url}#indexes`)
      await expect.poll(() => page.locator('[data-testid="indexes"] tbody tr').count()).toBe(7)
      const rows = await page.locator('[data-testid="indexes"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          index: tr.getAttribute('data-index'),
          name: tr.querySelector('th')!.textContent,
          swatch: tr.querySelector('.swatch')?.className ?? null,
        })),
      )
      expect(rows.map((r) => r.index)).toEqual(['1', '2', '3', '4', '5', '6', 'total'])
      expect(rows.map((r) => r.name)).toEqual([
        'HC Bleu',
        'HP Bleu',
        'HC Blanc',
        'HP Blanc',
        'HC Rouge',
        'HP Rouge',
        'Total soutiré',
      ])
      expect(rows.slice(0, 6).map((r) => r.swatch)).toEqual([
        'swatch t1',
        'swatch t2',
        'swatch t3',
        'swatch t4',
        'swatch t5',
        'swatch t6',
      ])
      // Blue indexes blue, white ones light grey, red ones red.
      const colours = await page
        .locator('[data-testid="indexes"] .swatch')
        .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor))
      expect(colours).toEqual([
        'rgb(25, 118, 210)',
        'rgb(13, 71, 161)',
        'rgb(224, 224, 224)',
        'rgb(158, 158, 158)',
        'rgb(229, 115, 115)',
        'rgb(183, 28, 28)',
      ])
      expect(await page.locator('tr.current').getAttribute('data-index')).toBe('4')
      const dist = await page
        .locator('.indexes .card')
        .nth(1)
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-index')))
      expect(dist).toEqual(['1', '2'])
      // Today and this month with the same precision.
      await expect
        .poll(() => page.locator('tr[data-index="4"] td').nth(1).textContent())
        .toMatch(/^0,00\skWh$/u)
      expect(await page.locator('tr[data-index="4"] td').nth(2).textContent()).toMatch(
        /^0,00\skWh$/u,
      )
      await tab(page, 'live')
      // SMAXSN and SMAXSN-1.
      expect(await words(page, 'maxima')).toMatch(
        /^Max\. aujourd'hui 5 200 VA \(\d\d:\d\d\) · hier 6 100 VA$/u,
      )
      await page.screenshot({ path: `${ARTIFACTS}live-tempo-standard-800x480-fr.png` })
      await tab(page, 'indexes')
      await page.screenshot({ path: `${ARTIFACTS}indexes-tempo-standard-800x480-fr.png` })
      await page.close()
    })

    it("history names each day's indexes after the contract of that day, in its colours; a day without energy draws no bar", async () => {
      const now = Date.now()
      const id = PROFILE_ADS['standard-mono-hc']
      const meter = {
        id,
        prm: '09876543210123',
        mode: 'standard' as const,
        phases: 1 as const,
        producer: false,
        firstSeen: now - 10 * 86_400_000,
        lastSeen: now,
      }
      // HC until three days ago, Tempo since.
      const switched = now - 3 * 86_400_000
      const events = [
        {
          t: switched,
          meter: id,
          kind: 'contract-change',
          detail: {
            from: { option: 'hc', optionLabel: 'H PLEINE/CREUSE', subscribedVA: 6000 },
            to: { option: 'tempo', optionLabel: 'TEMPO', subscribedVA: 6000 },
          },
        },
      ]
      const store = createMemoryHistoryStore({ meter, now, days: 8, events })
      const zero = {
        ...store,
        energy: async (...a: Parameters<typeof store.energy>) =>
          (await store.energy(...a)).map((b, i) =>
            i === 0 ? { ...b, byIndexWh: { 1: 0, 2: 0 }, importWh: 0 } : b,
          ),
      }
      const { d, feed } = await dashboard('standard-mono-hc', { history: zero })
      d.push(feed({ va: 1500 }))
      const page = await open(`${d.url}#history`)
      await page.locator('button[data-range="week"]').click()
      await expect.poll(() => page.locator('[data-testid="energy-row"]').count()).toBe(7)
      const legend = await page
        .locator('[data-testid="energy-legend"] .key')
        .evaluateAll((els) => els.map((e) => `${e.className}:${e.textContent}`))
      expect(legend).toEqual([
        'key i1:Heures creuses',
        'key i2:Heures pleines',
        'key t1:HC Bleu',
        'key t2:HP Bleu',
      ])
      // The first day of the week had no energy: no segment, a total of 0.
      const first = page.locator('[data-testid="energy-row"]').first()
      expect(await first.locator('.seg').count()).toBe(0)
      expect((await first.locator('.total').textContent())?.replace(/\s/gu, ' ')).toBe('0,00 kWh')
      const last = page.locator('[data-testid="energy-row"]').last()
      expect(await last.locator('.seg').evaluateAll((els) => els.map((e) => e.className))).toEqual([
        'seg t1',
        'seg t2',
      ])
      for (const size of [
        { width: 800, height: 480 },
        { width: 1024, height: 600 },
      ]) {
        await page.setViewportSize(size)
        await page.waitForTimeout(150)
        await page.screenshot({
          path: `${ARTIFACTS}history-contracts-${String(size.width)}x${String(size.height)}-fr.png`,
          fullPage: true,
        })
      }
      await page.close()
    })

    it('French everywhere: options, STGE, relays, profile and states in words', async () => {
      const diagnostics = () => ({
        at: Date.now(),
        source: {
          id: 'meter',
          state: 'simulating',
          mode: 'standard' as const,
          baudRate: 9600,
          bytes: 1,
          frames: 1,
          lastFrameAt: Date.now(),
        },
        rejectedByReason: {},
        discardedByReason: {},
        sinks: [
          { id: 'store', state: 'running', acked: 1, lag: 0, errors: 0, retries: 0, spool: null },
        ],
      })
      const { d, feed } = await dashboard('standard-mono-hc', { diagnostics, statsIntervalMs: 300 })
      d.push(feed({ va: 1000 }))
      const page = await open(`${d.url}#meter`)
      await expect.poll(() => text(page, 'meter-option')).toBe('Heurespleines/creuses')
      const meterText = (await page.locator('[data-screen="meter"]').textContent()) ?? ''
      for (const raw of [
        'enabled',
        'registered',
        'disabled',
        'none',
        'close',
        'open',
        'HC..',
        'EJP.',
        'new-lock',
        'secured',
      ])
        expect(meterText).not.toContain(raw)
      expect(await page.locator('[data-testid="stge"] li').allTextContents()).toContain(
        'CPL : enregistré',
      )
      await page.screenshot({ path: `${ARTIFACTS}meter-800x480-fr.png` })
      await tab(page, 'diagnostics')
      await expect.poll(() => text(page, 'diag-state')).toBe('simulation')
      expect(await page.locator('[data-testid="diag-sinks"] tbody td').first().textContent()).toBe(
        'en marche',
      )
      await page.close()

      const ejp = await dashboard('historique-mono-ejp')
      ejp.d.push(ejp.feed({ va: 900 }))
      const p2 = await open(`${ejp.d.url}#meter`)
      await expect.poll(() => text(p2, 'meter-option')).toBe('EJP')
      await p2.close()

      const tempo = await dashboard('historique-tri-tempo', { lang: 'en' })
      tempo.d.push(tempo.feed({ va: 900, amps: [1, 2, 3] }))
      const p3 = await open(tempo.d.url)
      await expect.poll(() => words(p3, 'tempo-today')).toBe('Today: White')
      expect(await words(p3, 'tempo-tomorrow')).toBe('Tomorrow: Red')
      await p3.screenshot({ path: `${ARTIFACTS}live-tempo-800x480-en.png` })
      await p3.close()
    })

    /** Contrast ratio (WCAG) of each visible element matched by `selector`: its text colour on the first opaque background behind it. */
    async function contrasts(
      page: Page,
      selector: string,
    ): Promise<{ what: string; ratio: number }[]> {
      return page.locator(selector).evaluateAll((els) => {
        const rgb = (c: string): [number, number, number, number] => {
          const m = /rgba?\(([^)]+)\)/u.exec(c)
          const v = (m?.[1] ?? '0,0,0,0')
            .split(/[ ,/]+/u)
            .filter(Boolean)
            .map(Number)
          return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0, v[3] ?? 1]
        }
        const lum = ([r, g, b]: number[]): number => {
          const f = (x: number): number =>
            x / 255 <= 0.03928 ? x / 255 / 12.92 : ((x / 255 + 0.055) / 1.055) ** 2.4
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!)
        }
        return els
          .filter(
            (e) =>
              (e as HTMLElement).offsetParent !== null && (e.textContent ?? '').trim().length > 0,
          )
          .map((e) => {
            let bg: Element | null = e
            while (bg !== null && rgb(getComputedStyle(bg).backgroundColor)[3] === 0)
              bg = bg.parentElement
            const back = rgb(
              bg === null ? 'rgb(255,255,255)' : getComputedStyle(bg).backgroundColor,
            )
            const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(back)].sort((x, y) => y - x)
            return {
              what: `${e.className}: ${(e.textContent ?? '').trim().slice(0, 30)}`,
              ratio: Math.round(((a! + 0.05) / (b! + 0.05)) * 100) / 100,
            }
          })
      })
    }

    it('accessibility: text contrast >= 4.5:1 in both themes, every touch target >= 44x44 px', async () => {
      const now = Date.now()
      const meter = {
        id: PROFILE_ADS['standard-mono-tempo'],
        prm: '09876543210777',
        mode: 'standard' as const,
        phases: 1 as const,
        producer: false,
        firstSeen: now - 10 * 86_400_000,
        lastSeen: now,
      }
      const store = createMemoryHistoryStore({ meter, now, days: 8 })
      const { d, feed } = await dashboard('standard-mono-tempo', {
        history: store,
        staleAfterMs: 30_000,
      })
      d.push(feed({ va: 2300, amps: [10] }))
      const checked =
        '.chip, .key, .stale-banner, .alarm-banner, .label, .small, .tab, .btn, .icon, .hero-line, .warning, .imbalance, [data-testid="live-chart"], [data-testid="history-chart"], dt, dd, td, th'
      for (const theme of ['light', 'dark']) {
        const page = await open(`${d.url}?theme=${theme}`)
        await expect.poll(() => text(page, 'apparent')).toBe('2300VA')
        d.push(feed({ va: 9500, amps: [41], overpower: true }))
        await expect.poll(() => visible(page, 'overpower')).toBe(true)
        const low: { what: string; ratio: number }[] = []
        for (const s of ['live', 'indexes', 'history', 'meter', 'diagnostics']) {
          await tab(page, s)
          if (s === 'history')
            await expect
              .poll(() => page.locator('[data-testid="energy-legend"] .key').count())
              .toBeGreaterThan(0)
          low.push(
            ...(await contrasts(page, checked))
              .filter((c) => c.ratio < 4.5)
              .map((c) => ({ ...c, what: `${theme} ${s} ${c.what}` })),
          )
          const small = await page.locator('button').evaluateAll((els) =>
            els
              .filter((e) => (e as HTMLElement).offsetParent !== null)
              .map((e) => ({
                what: e.textContent,
                ...(e.getBoundingClientRect().toJSON() as { width: number; height: number }),
              }))
              .filter((b) => b.width < 44 || b.height < 44),
          )
          expect(small, `${theme} ${s}`).toEqual([])
        }
        expect(low).toEqual([])
        // The stale banner too.
        await tab(page, 'live')
        await page.screenshot({ path: `${ARTIFACTS}a11y-overpower-800x480-${theme}.png` })
        d.push(feed({ va: 2300, amps: [10] }))
        await page.close()
      }
      const stale = await dashboard('historique-mono-base', { staleAfterMs: 1500 })
      stale.d.push(stale.feed({ va: 1000 }))
      for (const theme of ['light', 'dark']) {
        const page = await open(`${stale.d.url}?theme=${theme}`)
        await page.locator('[data-testid="stale"]').waitFor({ state: 'visible' })
        expect((await contrasts(page, '.stale-banner')).every((c) => c.ratio >= 4.5)).toBe(true)
        await page.close()
      }
    })

    it('#history typed in an open page switches to the History screen', async () => {
      const { d, feed } = await dashboard('historique-mono-base')
      d.push(feed({ va: 1000 }))
      const page = await open(`${d.url}#live`)
      await page.locator('[data-screen="live"]').waitFor({ state: 'visible' })
      await page.evaluate(() => {
        location.hash = '#history'
      })
      await page.locator('[data-screen="history"]').waitFor({ state: 'visible' })
      expect(await page.locator('[data-tab="history"]').getAttribute('class')).toContain('active')
      await page.evaluate(() => {
        location.hash = '#meter'
      })
      await page.locator('[data-screen="meter"]').waitFor({ state: 'visible' })
      await page.close()
    })
  },
)
