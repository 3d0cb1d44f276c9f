import 'reflect-metadata'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { container } from 'tsyringe'
import { from, lastValueFrom, toArray } from 'rxjs'
import { parseAnalyticsConfig } from '@linkyrpi/analytics'
import {
  ANALYTICS_SETTINGS,
  ConfigError,
  DASHBOARD_LISTENING,
  createStage,
  parseConfig,
  startNode,
} from '@linkyrpi/pipeline'
import type { CostsSummary } from '@linkyrpi/sink-display'
import type { PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import { afterAll, describe, expect, it } from 'vitest'
import { contractContext } from '../contracts/sink-contract.js'
import { contractFrames } from '../contracts/contract-frames.js'
import { MqttRecorder, testPrefix } from '../support/mqtt.js'
import { MQTT_URL, describeWithService, tcpReachable } from '../support/services.js'

// A price no grid of the shipped catalogue has, so that seeing it proves the configuration's
// `analytics` section reached the dashboard's `/api/costs`.
const HP = 0.4321
const HC = 0.1234
/** Two days ago (UTC date): after every shipped grid, so the configured one applies now. */
const SINCE = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)

const pipeline = (dir: string, analytics: string): string => `
dataDir: ${JSON.stringify(dir)}
diagnostics: { logIntervalMs: 0 }
${analytics}
stages:
  meter: { type: simulator, option: hc, speed: 60 }
  frames: { type: tic-decode, from: meter }
  store: { type: sqlite, from: frames, flushMs: 100 }
  dashboard: { type: display, from: frames, port: 0 }
`

describe('the configuration’s analytics section on a running node', () => {
  it('prices the dashboard’s /api/costs with the configured prices', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-analytics-config-'))
    const config = await parseConfig(
      pipeline(
        dir,
        `analytics:
  prices:
    name: Fournisseur X
    grids:
      - validFrom: '${SINCE}'
        options:
          hc:
            energy: { hp: ${HP}, hc: ${HC} }
            subscription: { '3': 10, '6': 15, '9': 20, '12': 25, '15': 30 }`,
      ),
    )
    let resolveUrl: (u: string) => void = () => undefined
    const listening = new Promise<string>((r) => (resolveUrl = r))
    const node = await startNode(config, {
      platform: {
        register: (c) =>
          c.register(DASHBOARD_LISTENING, { useValue: (u: string) => resolveUrl(u) }),
      },
    })
    try {
      const url = (await listening).replace(/\/+$/, '')
      let costs: CostsSummary | null = null
      for (let i = 0; i < 200 && costs?.currentPrice == null; i++) {
        const res = await fetch(`${url}/api/costs`)
        if (res.status === 200) costs = (await res.json()) as CostsSummary
        else await new Promise((r) => setTimeout(r, 100))
      }
      expect([HP, HC]).toContain(costs?.currentPrice?.eurPerKWh)
      expect([HP, HC]).toContain(costs?.nextPrice?.eurPerKWh)
      expect(costs?.currentPrice?.eurPerKWh).not.toBe(costs?.nextPrice?.eurPerKWh)
    } finally {
      node.stop()
      await node.done
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it('reports a mistake in the analytics section with its path, with the other configuration errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-analytics-config-'))
    try {
      const error = await parseConfig(
        pipeline(
          dir,
          `analytics:\n  prices: { grids: [ { validFrom: '2026-01-01', options: { hc: { energy: { hp: '0,2' } } } } ] }\n  co2: { gPerKWh: -1 }\n  colour: red`,
        ),
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConfigError)
      const paths = (error as ConfigError).issues.map((i) => i.path)
      expect(paths).toEqual(expect.arrayContaining(['analytics.colour', 'analytics.co2.gPerKWh']))
      expect(paths.some((p) => p.startsWith('analytics.prices.grids[0].options.hc.energy'))).toBe(
        true,
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

const broker = new URL(MQTT_URL)
const mqttUp = await tcpReachable(broker.hostname, Number(broker.port || 1883))

describeWithService('mosquitto', mqttUp, 'the analytics section on the MQTT stage', () => {
  const recorders: MqttRecorder[] = []
  afterAll(async () => {
    for (const r of recorders) {
      await r.clearRetained()
      await r.close()
    }
  })

  it('prices the Home Assistant price entity with the configured prices, the same catalogue as the dashboard', async () => {
    const prefix = testPrefix('anacfg')
    const rec = await MqttRecorder.open(MQTT_URL, [`${prefix}/#`])
    recorders.push(rec)
    // HP/HC, 05:30 → 06:30 in Paris on 2026-01-12: off-peak then peak, one frame a minute.
    const frames = contractFrames(60, {
      seed: 12,
      start: Date.UTC(2026, 0, 12, 4, 30),
      meter: { mode: 'historique', option: 'hc' },
    })
    const meter = frames[0]!.reading.meter.id as string
    const settings = parseAnalyticsConfig({
      analytics: {
        prices: {
          grids: [
            {
              validFrom: '2026-01-01',
              options: {
                hc: {
                  energy: { hp: HP, hc: HC },
                  subscription: { '3': 10, '6': 15, '9': 20, '12': 25, '15': 30 },
                },
              },
            },
          ],
        },
      },
    })
    const di = container.createChildContainer()
    di.register(ANALYTICS_SETTINGS, { useValue: settings })
    const stage = await createStage<Sink<PipelineFrame>>(
      'mqtt',
      { url: MQTT_URL, prefix, discovery: false, measurementIntervalMs: 0 },
      contractContext('anacfg'),
      { container: di },
    )
    await lastValueFrom(stage.stage(from(frames)).pipe(toArray()))
    await rec.until(
      'offline',
      () => rec.last.get(`${prefix}/${meter}/availability`)?.payload === 'offline',
    )
    expect(frames.at(-1)!.reading.period.index).toBe(2)
    expect(rec.json(`${prefix}/${meter}/state`)?.price).toBe(HP)
  })
})
