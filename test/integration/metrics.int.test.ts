import { afterAll, expect, it } from 'vitest'
import { DASHBOARD_LISTENING, memoryLogger, startNode, validateConfig } from '@linkyrpi/pipeline'
import type { LogRecord, RunningNode } from '@linkyrpi/pipeline'
import { MqttRecorder, testPrefix } from '../support/mqtt.js'
import { parsePrometheus } from '../support/prometheus.js'
import { MQTT_URL, describeWithService, tcpReachable } from '../support/services.js'

const broker = new URL(MQTT_URL)
const up = await tcpReachable(broker.hostname, Number(broker.port || 1883))

async function until<T>(
  what: string,
  get: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await get()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

// A running node (simulated three-phase Tempo producer → tic-decode → dashboard, metrics, MQTT):
// both /metrics endpoints are scraped and parsed strictly.
describeWithService('mosquitto', up, 'Prometheus /metrics of a running node', () => {
  const nodes: RunningNode[] = []
  const recorders: MqttRecorder[] = []
  afterAll(async () => {
    for (const n of nodes) {
      n.stop()
      await n.done
    }
    for (const r of recorders) {
      await r.clearRetained()
      await r.close()
    }
  })

  it('serves the meter gauges and the pipeline health on the dashboard and on the standalone port', async () => {
    const prefix = testPrefix('metrics')
    recorders.push(await MqttRecorder.open(MQTT_URL, [`${prefix}/#`, `${prefix}-ha/#`]))
    const config = await validateConfig({
      version: 1,
      site: 'metrics',
      stages: {
        meter: {
          type: 'simulator',
          mode: 'standard',
          option: 'tempo',
          phases: 3,
          producer: true,
          seed: 9,
          speed: 20,
          start: '2026-06-15T11:00:00+02:00',
        },
        frames: { type: 'tic-decode', from: 'meter' },
        dashboard: { type: 'display', from: 'frames', port: 0 },
        prom: { type: 'metrics', from: 'frames', port: 0 },
        ha: {
          type: 'mqtt',
          from: 'frames',
          url: MQTT_URL,
          prefix,
          discoveryPrefix: `${prefix}-ha`,
          measurementIntervalMs: 0,
        },
      },
    })
    const records: LogRecord[] = []
    let dashboard: string | undefined
    const node = await startNode(config, {
      platform: {
        logger: memoryLogger(records),
        register: (c) =>
          c.register(DASHBOARD_LISTENING, { useValue: (u: string) => (dashboard = u) }),
      },
    })
    nodes.push(node)
    const standalone = await until(
      'metrics url',
      () =>
        records.find((r) => r.message === 'metrics listening')?.fields?.url as string | undefined,
    )
    const dashboardUrl = await until('dashboard url', () => dashboard)

    const scrape = async (url: string) => {
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
      return parsePrometheus(await res.text())
    }
    // Wait until a few frames went through and the MQTT sink acknowledged some.
    const m = await until('frames and MQTT acks', async () => {
      const p = await scrape(standalone)
      const acked = p.find('linkyrpi_sink_acked_total', { sink: 'ha' })[0]?.value ?? 0
      return acked >= 3 && p.find('linkyrpi_meter_info').length === 1 ? p : undefined
    })
    const meter = m.find('linkyrpi_meter_info')[0]!.labels.meter as string
    expect(meter).toMatch(/^\d{12}$/)
    expect(m.find('linkyrpi_meter_info')[0]!.labels).toMatchObject({
      mode: 'standard',
      phases: '3',
      producer: 'true',
      option: 'tempo',
    })
    expect(m.types.get('linkyrpi_meter_index_wh_total')).toBe('counter')
    expect(
      m
        .find('linkyrpi_meter_index_wh_total', { meter })
        .map((s) => s.labels.index)
        .sort(),
    ).toEqual(['1', '10', '2', '3', '4', '5', '6', '7', '8', '9'])
    expect(m.find('linkyrpi_meter_import_wh_total', { meter })[0]!.value).toBeGreaterThan(0)
    expect(m.find('linkyrpi_meter_export_wh_total', { meter })).toHaveLength(1)
    expect(m.find('linkyrpi_meter_current_amperes', { meter }).map((s) => s.labels.phase)).toEqual([
      '1',
      '2',
      '3',
    ])
    expect(
      m
        .find('linkyrpi_meter_voltage_volts', { meter })
        .every((s) => s.value > 180 && s.value < 260),
    ).toBe(true)
    expect(m.find('linkyrpi_meter_phase_apparent_power_va', { meter })).toHaveLength(3)
    for (const day of ['today', 'tomorrow']) {
      const colours = m.find('linkyrpi_meter_tempo_colour', { meter, day })
      expect(colours.map((s) => s.labels.colour)).toEqual(['blue', 'white', 'red'])
      expect(colours.reduce((a, s) => a + s.value, 0)).toBeLessThanOrEqual(1)
    }
    expect(
      m.find('linkyrpi_source_frames_total', { source: 'meter' })[0]!.value,
    ).toBeGreaterThanOrEqual(3)
    expect(m.find('linkyrpi_source_bytes_total', { source: 'meter' })[0]!.value).toBeGreaterThan(
      1000,
    )
    for (const sink of ['dashboard', 'prom', 'ha'])
      expect(m.find('linkyrpi_sink_acked_total', { sink })).toHaveLength(1)
    expect(m.find('linkyrpi_sink_state', { sink: 'ha', state: 'connected' })).toHaveLength(1)
    expect(m.find('process_resident_memory_bytes')[0]!.value).toBeGreaterThan(10_000_000)

    // The dashboard serves the same families.
    const d = await scrape(`${dashboardUrl}metrics`)
    expect([...d.types.keys()].sort()).toEqual([...m.types.keys()].sort())
    expect((await fetch(`${standalone}x`)).status).toBe(404)
    expect((await fetch(standalone, { method: 'POST' })).status).toBe(405)
  }, 40_000)
})
