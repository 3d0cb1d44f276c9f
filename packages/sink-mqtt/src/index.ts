/**
 * `@linkyrpi/sink-mqtt`: publishes meter readings to an MQTT broker, with Home Assistant
 * discovery, per-meter availability (last will) and events. See docs/home-assistant.md.
 */
export { mqttSink } from './mqtt-sink.js'

export type { MqttSinkOptions } from './options.js'
export { entitiesOf } from './entities.js'

export { deviceOf, discoveryMessage } from './discovery.js'

export { MeterState } from './meter-state.js'

export type { Pricing, PriceInfo } from './daily-cost.js'
export { MqttAuthError } from './errors.js'
