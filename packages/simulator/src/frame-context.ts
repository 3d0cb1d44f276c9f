import type { FrameMeasurement } from './frame-measurement.js'
import type { ParisLocalTime } from '@linkyrpi/tic-core'
import type { MeterEnergy } from './meter-energy.js'
import type { MeterIdentity } from './meter-identity.js'
import type { MeterStatistics } from './meter-statistics.js'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'
import type { TariffState } from './tariff-calendar.js'

/** Everything a frame builder reads: the meter's state (read only) and what it measures now. */
export interface FrameContext {
  /** The simulator's options. */
  readonly o: ResolvedSimulatorOptions
  /** Meter address, PRM and subscription. */
  readonly id: MeterIdentity
  /** Registers and load curve, as integrated up to `at`. */
  readonly energy: MeterEnergy
  /** Maxima and mean voltages, including this frame's measurement. */
  readonly stats: MeterStatistics
  /** Simulated instant the frame starts (epoch ms). */
  readonly at: number
  /** `at` in local legal time. */
  readonly lt: ParisLocalTime
  /** The calendar at `at`. */
  readonly tariff: TariffState
  /** The power, voltages and currents at `at`. */
  readonly m: FrameMeasurement
}
