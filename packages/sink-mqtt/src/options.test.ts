import { describe, expect, it } from 'vitest'
import { resolveMqttOptions } from './options.js'

describe('resolveMqttOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveMqttOptions({ url: 'mqtt://127.0.0.1:1883' })).toMatchObject({
      prefix: 'linkyrpi',
      discovery: true,
      discoveryPrefix: 'homeassistant',
      lang: 'fr',
      qos: 1,
      retain: true,
      measurementIntervalMs: 5_000,
      energyIntervalMs: 0,
      automationOverrideMs: 3_600_000,
      automationPollMs: 2_000,
      automationId: 'local',
    })
  })

  it('lists every problem at once, each with its option name', () => {
    let message = ''
    try {
      resolveMqttOptions({
        url: 'http://broker',
        prefix: 'linky/+/x',
        discoveryPrefix: 'ha/',
        qos: 3 as 1,
        measurementIntervalMs: -1,
        password: 'p',
        cert: 'c',
        automationOverrideMs: 0,
        automationId: 'a/b',
      })
    } catch (error) {
      message = (error as TypeError).message
    }
    expect(message).toContain('url: must start with mqtt:// or mqtts://')
    expect(message).toContain("prefix: must not contain the wildcards '+' or '#'")
    expect(message).toContain('discoveryPrefix: must not start or end with /')
    expect(message).toContain('qos: must be 0, 1 or 2')
    expect(message).toContain('measurementIntervalMs: must be an integer ≥ 0')
    expect(message).toContain('password: needs a username')
    expect(message).toContain('automationOverrideMs: must be an integer ≥ 1')
    expect(message).toContain("automationId: letters, digits, '_' and '-' only")
    expect(message).toContain('cert: a client certificate and its key go together')
  })
})
