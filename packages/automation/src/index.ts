export { createAutomationEngine } from './engine.js'
export type {
  AutomationEngine,
  EngineRules,
  OutputRule,
  Switch,
  SwitchCause,
  Override,
  OutputStatus,
  EngineSummary,
} from './engine.js'
export { evaluate, mentionsClock, mentionsStale, WEEKDAYS } from './condition.js'
export type { Condition, ConditionFacts, Verdict, Weekday } from './condition.js'
export { parseCondition, conditionSchema, CONDITION_NAMES } from './condition-schema.js'
export {
  automationOptionsSchema,
  actuatorSchema,
  outputSchema,
  sheddingSchema,
  httpRequestSchema,
} from './automation-schema.js'
export type {
  AutomationOptions,
  OutputOptions,
  ActuatorOptions,
  SheddingOptions,
  OutputState,
} from './automation-schema.js'
export { headroomOf } from './headroom.js'
export type { Headroom } from './headroom.js'
export { parisTime, parisIso, parisClock } from './local-time.js'
export type { ParisTime } from './local-time.js'
export { automationSink } from './automation-sink.js'
export type {
  AutomationSinkOptions,
  AutomationStage,
  AutomationController,
  AutomationStatus,
  AutomationOutputStatus,
} from './automation-sink.js'
export type { EventJournal, JournalEvent } from './journal.js'
export type { Actuator, SwitchContext } from './actuators/actuator.js'
export { renderTemplate, renderJson } from './actuators/actuator.js'
export { createActuator } from './actuators/create-actuator.js'
export { httpActuator, HttpActuatorError } from './actuators/http-actuator.js'
export type { HttpActuatorOptions } from './actuators/http-actuator.js'
export { mqttActuator, MqttActuatorError } from './actuators/mqtt-actuator.js'
export type { MqttActuatorOptions } from './actuators/mqtt-actuator.js'
export { natsActuator } from './actuators/nats-actuator.js'
export type { NatsActuatorOptions } from './actuators/nats-actuator.js'
export { shellActuator, ShellActuatorError } from './actuators/shell-actuator.js'
export type { ShellActuatorOptions } from './actuators/shell-actuator.js'
export { gpioActuator, GpioActuatorError } from './actuators/gpio-actuator.js'
export type { GpioActuatorOptions } from './actuators/gpio-actuator.js'
export { createOutputDriver } from './output-driver.js'
export type { OutputDriver, OutputDriverOptions, DriverStatus } from './output-driver.js'
export { replayRules } from './replay-rules.js'
export type { ReceivedReading, ReplayRulesOptions, ReplayResult } from './replay-rules.js'
export { createOnCostTracker } from './on-cost.js'
export type { OnCostTracker, OnCostSummary, OutputOnCost, PriceOf } from './on-cost.js'
