import { describe, expect, it } from 'vitest'
import type { ConfigError } from '../errors.js'
import { parseConfig } from '../config/load-config.js'

const base = 'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n'

describe('mqtt stage options', () => {
  it('applies the defaults', async () => {
    const config = await parseConfig(
      `${base}  ha: { type: mqtt, from: f, url: "mqtt://127.0.0.1:1883" }\n`,
    )
    expect(config.stages.ha?.options).toMatchObject({
      prefix: 'linkyrpi',
      discovery: true,
      discoveryPrefix: 'homeassistant',
      lang: 'fr',
      qos: 1,
      retain: true,
      measurementIntervalMs: 5000,
      energyIntervalMs: 0,
    })
    expect(config.stages.ha?.buffer).toEqual({ size: 100, inFlight: 100, overflow: 'drop-oldest' })
  })

  it('reports every bad option at once, with its path', async () => {
    const issues = await parseConfig(
      `${base}  ha: { type: mqtt, from: f, url: "http://x", prefix: "a/+", qos: 3, measurementIntervalMs: -5, tls: { caFile: "" }, colour: red }\n`,
    ).then(
      () => [],
      (error: unknown) => (error as ConfigError).issues.map((i) => i.path),
    )
    expect(issues).toEqual(
      expect.arrayContaining([
        'stages.ha.url',
        'stages.ha.prefix',
        'stages.ha.qos',
        'stages.ha.measurementIntervalMs',
        'stages.ha.tls.caFile',
      ]),
    )
    expect(issues.length).toBeGreaterThanOrEqual(6) // and the unknown key
  })
})
