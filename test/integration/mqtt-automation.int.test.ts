import 'reflect-metadata'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DependencyContainer } from 'tsyringe'
import { afterAll, expect, it } from 'vitest'
import { AUTOMATION_CONTROLLER, NODE_NAME, parseConfig, startNode } from '@linkyrpi/pipeline'
import type { Logger } from '@linkyrpi/tic-core/stage'
import { MqttRecorder, connectClient, testPrefix } from '../support/mqtt.js'
import { MQTT_URL, describeWithService, tcpReachable } from '../support/services.js'

const broker = new URL(MQTT_URL)
const up = await tcpReachable(broker.hostname, Number(broker.port || 1883))
const recorders: MqttRecorder[] = []

describeWithService(
  'mosquitto',
  up,
  'automation outputs as Home Assistant switches (real Mosquitto)',
  () => {
    afterAll(async () => {
      for (const r of recorders) {
        await r.clearRetained()
        await r.close()
      }
    })

    it('announces a switch per output, follows its state, and ON / AUTO on the command topic override it', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'linky-mqtt-auto-'))
      const prefix = testPrefix('switch')
      const ha = `${prefix}-ha`
      const rec = await MqttRecorder.open(MQTT_URL, [`${prefix}/#`, `${ha}/#`])
      recorders.push(rec)
      const config = await parseConfig(`
dataDir: ${JSON.stringify(dir)}
diagnostics: { logIntervalMs: 0 }
stages:
  meter: { type: simulator, option: hc, start: "2026-01-12T12:00:00+01:00", speed: 60 }
  frames: { type: tic-decode, from: meter }
  mqtt: { type: mqtt, from: frames, url: ${JSON.stringify(MQTT_URL)}, prefix: ${prefix}, discoveryPrefix: ${ha}, lang: en, automationPollMs: 200, automationOverrideMs: 1800000 }
  automation:
    type: automation
    from: frames
    outputs:
      water-heater: { label: Chauffe-eau, actuator: { type: none }, safe: off, when: { period: [hc] } }
      pump: { actuator: { type: none }, safe: on, when: { period: [hp] } }
`)
      let di: DependencyContainer | undefined
      const warnings: { message: string; fields: Readonly<Record<string, unknown>> | undefined }[] =
        []
      const logger: Logger = {
        debug: () => undefined,
        info: () => undefined,
        warn: (message, fields) => warnings.push({ message, fields }),
        error: () => undefined,
        child: () => logger,
      }
      const node = await startNode(config, { platform: { logger, register: (c) => (di = c) } })
      const commander = await connectClient(MQTT_URL)
      try {
        const nodeName = di!.resolve(NODE_NAME)
        const controller = di!.resolve(AUTOMATION_CONTROLLER)
        const configTopic = `${ha}/switch/linkyrpi_${nodeName}_automation/water-heater/config`
        const stateTopic = `${prefix}/automation/water-heater/state`
        await rec.until(
          'switch discovery and the rule state (HP: water heater off)',
          () =>
            rec.last.has(`${ha}/switch/linkyrpi_${nodeName}_automation/pump/config`) &&
            rec.last.get(stateTopic)?.payload === 'OFF',
        )
        const disco = rec.last.get(configTopic)!
        // A client arriving later (Home Assistant restarting) gets the config and the state retained.
        const late = await MqttRecorder.open(MQTT_URL, [configTopic, stateTopic])
        try {
          await late.until(
            'retained config and state',
            () =>
              late.last.get(configTopic)?.retain === true &&
              late.last.get(stateTopic)?.retain === true,
          )
        } finally {
          await late.close()
        }
        expect(JSON.parse(disco.payload)).toMatchObject({
          name: 'Chauffe-eau',
          unique_id: `linkyrpi_${nodeName}_automation_water-heater`,
          state_topic: stateTopic,
          command_topic: `${prefix}/automation/water-heater/set`,
          json_attributes_topic: `${prefix}/automation/water-heater/attributes`,
          availability_topic: `${prefix}/automation/availability`,
          payload_on: 'ON',
          payload_off: 'OFF',
          device: { identifiers: [`linkyrpi_${nodeName}_automation`], name: 'LinkyRPi automation' },
        })
        expect(rec.last.get(`${prefix}/automation/pump/state`)?.payload).toBe('ON')
        expect(rec.last.get(`${prefix}/automation/availability`)?.payload).toBe('online')
        expect(
          JSON.parse(rec.last.get(`${prefix}/automation/water-heater/attributes`)!.payload),
        ).toMatchObject({ override: null })

        // Bad payloads and unknown outputs are logged and ignored: the node keeps running.
        await commander.publishAsync(`${prefix}/automation/water-heater/set`, 'TOGGLE', { qos: 1 })
        await commander.publishAsync(`${prefix}/automation/kettle/set`, 'ON', { qos: 1 })
        await commander.publishAsync(`${prefix}/automation/water-heater/set`, 'ON', { qos: 1 })
        await rec.until(
          'state ON after the command',
          () => rec.last.get(stateTopic)?.payload === 'ON',
        )
        expect(warnings).toContainEqual({
          message: "automation command ignored: payload must be 'ON', 'OFF' or 'AUTO'",
          fields: { output: 'water-heater', payload: 'TOGGLE' },
        })
        expect(warnings).toContainEqual({
          message: 'automation command refused',
          fields: { output: 'kettle', payload: 'ON', error: "unknown output 'kettle'" },
        })
        const forced = controller.status().outputs.find((o) => o.output === 'water-heater')!
        expect(forced.state).toBe('on')
        expect(forced.override?.state).toBe('on')
        // Forced for the configured 30 min from the switch.
        expect(forced.override!.until - forced.since!).toBe(1_800_000)
        await rec.until(
          'attributes show the override',
          () =>
            (
              JSON.parse(
                rec.last.get(`${prefix}/automation/water-heater/attributes`)?.payload ?? '{}',
              ) as { override?: unknown }
            ).override != null,
        )
        expect(controller.status().outputs.find((o) => o.output === 'pump')!.override).toBeNull()

        await commander.publishAsync(`${prefix}/automation/water-heater/set`, 'AUTO', { qos: 1 })
        await rec.until(
          'state back to OFF after AUTO',
          () => rec.last.get(stateTopic)?.payload === 'OFF',
        )
        const auto = controller.status().outputs.find((o) => o.output === 'water-heater')!
        expect([auto.state, auto.override]).toEqual(['off', null])
        expect(controller.status().running).toBe(true)
      } finally {
        await commander.endAsync()
        node.stop()
        await node.done
        await rm(dir, { recursive: true, force: true })
      }
      await rec.until(
        'availability offline at clean shutdown',
        () => rec.last.get(`${prefix}/automation/availability`)?.payload === 'offline',
      )
    }, 60_000)
  },
)
