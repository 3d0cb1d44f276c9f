export { createMeterSimulator } from './meter-simulator.js'
export type { MeterSimulator } from './meter-simulator.js'
export { simulatedFrames } from './simulated-frames.js'

export type { SimulatedFrame } from './simulated-frame.js'

export { DEFAULT_START } from './options.js'
export type { MeterSimulatorOptions, SimulatedMeterKind } from './options.js'
export { createTariffCalendar, parseOffPeakHours } from './tariff-calendar.js'
export type { SimulatedOption } from './tariff-calendar.js'
export { createHousehold } from './household.js'
export type { Household, Appliance } from './household.js'
export { uartMisread } from './uart.js'
export { createRng } from './random.js'
