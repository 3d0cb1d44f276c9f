/**
 * `@linkyrpi/sink-mqtt`: publishes meter readings to an MQTT broker, with Home Assistant
 * discovery, per-meter availability (last will) and events. See docs/home-assistant.md.
 */
export { mqttSink } from './mqtt-sink.js'
export { resolveMqttOptions } from './options.js'
export type { MqttSinkOptions, ResolvedMqttOptions, EventDetector, MeterEvent } from './options.js'
export { entitiesOf, contractIndexes } from './entities.js'
export type { EntitySpec, EntityLang, EntityValue, ThrottleClass } from './entities.js'
export { deviceOf, discoveryMessage, ORIGIN } from './discovery.js'
export type { DiscoveryMessage } from './discovery.js'
export { meterTopics, isTopicSafeMeter, prefixProblems } from './topics.js'
export type { MeterTopics } from './topics.js'
export { MeterState } from './meter-state.js'
export { DailyCost, costEntities } from './daily-cost.js'
export type { Pricing, PriceInfo } from './daily-cost.js'
export { MqttAuthError } from './errors.js'
export { AutomationSwitches } from './automation-switches.js'
export type { AutomationControl, AutomationSwitchOutput } from './automation-switches.js'
