export { createMeterSimulator } from './meter-simulator.js'
export type { MeterSimulator } from './meter-simulator.js'
export { simulatedFrames } from './simulated-frames.js'
export type { SimulatedRun } from './simulated-frames.js'
export type { SimulatedFrame, ExpectedReading } from './simulated-frame.js'
export type { GroundTruth } from './meter-energy.js'
export { resolveSimulatorOptions } from './resolve-simulator-options.js'
export type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'
export { DEFAULT_START } from './options.js'
export type { MeterSimulatorOptions, FaultOptions, SimulatedMeterKind } from './options.js'
export { createTariffCalendar, parseOffPeakHours, DEFAULT_OFF_PEAK } from './tariff-calendar.js'
export type {
  TariffCalendar,
  TariffState,
  OffPeakRange,
  SimulatedOption,
  ProfileSlot,
} from './tariff-calendar.js'
export { createHousehold, APPLIANCES } from './household.js'
export type { Household, HouseholdOptions, PowerSample, Appliance } from './household.js'
export { uartMisread } from './uart.js'
export { createRng } from './random.js'
