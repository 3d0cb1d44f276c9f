export { createAutomationEngine } from './engine.js'
export type { Switch } from './engine.js'

export type { Condition } from './condition.js'

export { automationOptionsSchema } from './automation-schema.js'
export type { AutomationOptions } from './automation-schema.js'

export { parisTime, parisIso } from './local-time.js'

export { automationSink } from './automation-sink.js'
export type { AutomationController } from './automation-sink.js'
export type { EventJournal } from './journal.js'

export { httpActuator } from './actuators/http-actuator.js'

export { mqttActuator } from './actuators/mqtt-actuator.js'

export { natsActuator } from './actuators/nats-actuator.js'

export { shellActuator } from './actuators/shell-actuator.js'

export { gpioActuator } from './actuators/gpio-actuator.js'

export { replayRules } from './replay-rules.js'
export type { ReceivedReading } from './replay-rules.js'
export { createOnCostTracker } from './on-cost.js'
export type { OnCostSummary } from './on-cost.js'
