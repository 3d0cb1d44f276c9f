import type { ActuatorOptions } from '../automation-schema.js'
import type { Actuator } from './actuator.js'
import { gpioActuator } from './gpio-actuator.js'
import { httpActuator } from './http-actuator.js'
import { mqttActuator } from './mqtt-actuator.js'
import { natsActuator } from './nats-actuator.js'
import { shellActuator } from './shell-actuator.js'

/** The actuator of `none`: decide and journal only. */
const noActuator: Actuator = { set: () => Promise.resolve(), close: () => Promise.resolve() }

/** Builds the actuator an output's validated options describe. Nothing connects before the first `set`. */
export function createActuator(options: ActuatorOptions): Actuator {
  switch (options.type) {
    case 'none':
      return noActuator
    case 'http':
      return httpActuator(options)
    case 'mqtt':
      return mqttActuator(options)
    case 'nats':
      return natsActuator(options)
    case 'shell':
      return shellActuator(options)
    case 'gpio':
      return gpioActuator(options)
  }
}
