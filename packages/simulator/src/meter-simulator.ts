import { SERIAL_SETTINGS, encodeFrame } from '@linkyrpi/tic-core'
import type { TicMode } from '@linkyrpi/tic-core'
import { interruptLongFrame } from './interrupt-long-frame.js'
import type { FrameContext } from './frame-context.js'
import { FrameGroups, GroupCache } from './frame-groups.js'
import { measureFrame } from './frame-measurement.js'
import { historiqueGroups } from './historique-groups.js'
import { createHousehold } from './household.js'
import type { PowerSample } from './household.js'
import { parisLocalTime } from '@linkyrpi/tic-core'
import { createMeterEnergy, groundTruth, integrateEnergy } from './meter-energy.js'
import type { GroundTruth } from './meter-energy.js'
import { meterIdentity } from './meter-identity.js'
import { createMeterStatistics, observeStatistics } from './meter-statistics.js'
import type { MeterSimulatorOptions } from './options.js'
import { resolveSimulatorOptions } from './resolve-simulator-options.js'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'
import { createRng, hash32 } from './random.js'
import type { ExpectedReading, SimulatedFrame } from './simulated-frame.js'
import { nextDayProfile, standardGroups } from './standard-groups.js'
import { DEFAULT_OFF_PEAK, createTariffCalendar } from './tariff-calendar.js'
import type { TariffCalendar } from './tariff-calendar.js'
import { applyWireFaults } from './wire-faults.js'

/** A virtual meter: call `next()` for each frame; simulated time advances by the frame's duration. */
export interface MeterSimulator {
  readonly options: ResolvedSimulatorOptions
  /** Simulated now: the start of the next frame (epoch ms). */
  readonly now: number
  /** Builds the next frame and advances the clock past it (integrating energy). */
  next(): SimulatedFrame
  /** Energy totals so far. */
  truth(): GroundTruth
  /** The true power at any instant (the household is a pure function of time). */
  powerAt(epochMs: number): PowerSample
  /** The supplier calendar. */
  readonly calendar: TariffCalendar
}

/** Silence between two frames at the real pace, in ms. */
const GAP_MS = 25
/** Short frames in one overrun cycle before a long frame (historique three-phase). */
const SHORT_FRAMES_PER_CYCLE = 20
/** How long short-frame cycles go on after the last overrun, in ms. */
const SHORT_HOLD_MS = 60_000

/** Creates a meter simulator; deterministic: the same options give the same frames, byte for byte. */
export function createMeterSimulator(options: MeterSimulatorOptions = {}): MeterSimulator {
  const o = resolveSimulatorOptions(options)
  const offPeak = options.offPeak ?? DEFAULT_OFF_PEAK
  const calendar = createTariffCalendar(o.option, o.seed, offPeak)
  const id = meterIdentity(o)
  const household = createHousehold({
    seed: o.seed,
    phases: o.phases,
    heating: o.heating,
    pvPeakW: o.pvPeakW,
    subscribedVA: id.subscribedVA,
    overpower: o.overpower,
    offPeak,
  })
  const rng = createRng(hash32(o.seed, 0xfa017))
  let now = o.start
  let mode: TicMode = o.mode
  const energy = createMeterEnergy(o, now)
  const stats = createMeterStatistics(o.seed, now)
  const cache = new GroupCache()
  const profile = nextDayProfile(calendar)
  let shortCount = 0
  let previousShort = false
  let lastLongBytes: Uint8Array | null = null
  let lastLong: ExpectedReading | null = null

  /** Whether the frame at `at` is a short one (historique three-phase, up to a minute after an overrun); counts the cycle. */
  function isShort(at: number): boolean {
    const inShortCycle = o.phases === 3 && at - stats.lastOverrun <= SHORT_HOLD_MS
    if (inShortCycle && shortCount < SHORT_FRAMES_PER_CYCLE) {
      shortCount++
      return true
    }
    shortCount = 0
    return false
  }

  function next(): SimulatedFrame {
    if (
      o.faults.modeSwitchAtMs !== null &&
      now - o.start >= o.faults.modeSwitchAtMs &&
      mode === o.mode
    ) {
      mode = o.mode === 'historique' ? 'standard' : 'historique'
    }
    const at = now
    const lt = parisLocalTime(at)
    const tariff = calendar.at(at, lt)
    const sample = household.powerAt(at, tariff, lt)
    const m = measureFrame(o, id.isousc, sample, at)
    observeStatistics(stats, m, lt.dayNumber, at)
    const c: FrameContext = { o, id, energy, stats, at, lt, tariff, m }
    const groups = new FrameGroups(mode, cache)
    const short = mode === 'historique' && isShort(at)
    const body =
      mode === 'historique'
        ? historiqueGroups(groups, c, short)
        : standardGroups(groups, c, profile)

    const clean = encodeFrame(mode, groups.items)
    // Entering overrun: the long frame in progress is cut and EOT sent before the first short frame.
    const wire =
      short && !previousShort && lastLongBytes !== null
        ? interruptLongFrame(lastLongBytes, clean)
        : clean
    previousShort = short
    // The clean long frame: a later overrun cuts it (the wire faults below work on a copy).
    if (!short && mode === 'historique') lastLongBytes = clean
    const durationMs =
      o.intervalMs ??
      Math.round((wire.length * 1000) / SERIAL_SETTINGS[mode].charsPerSecond) + GAP_MS
    const { bytes, interrupted } = applyWireFaults(wire, clean, mode, o.faults, rng)

    const built: ExpectedReading = {
      meter: {
        id: id.ads,
        mode,
        phases: o.phases,
        producer: mode === 'standard' && o.producer,
        kind: o.meter === 'linky' ? 'linky' : 'pre-linky',
      },
      contract: {
        option: o.option,
        subscribedVA: mode === 'historique' ? id.isousc * 200 * o.phases : id.subscribedVA,
      },
      period: {
        index: tariff.index,
        code: tariff.code,
        tempoToday: tariff.tempoToday,
        tempoTomorrow: tariff.tempoTomorrow,
      },
      energy: { importWh: body.importWh, importByIndexWh: body.byIndex, exportWh: body.exportWh },
      power: { apparentVA: body.apparent, injectedVA: body.injected },
      current: { rmsA: body.rmsA },
      relays: body.relays,
      alerts: [...body.alerts].sort(),
      time: body.time,
      short,
    }
    // A short frame only carries currents: the decoder keeps the rest from the last long frame.
    const expected: ExpectedReading =
      short && lastLong !== null
        ? { ...lastLong, current: built.current, alerts: built.alerts, short: true }
        : built
    if (!short) lastLong = built
    integrateEnergy(energy, calendar, household, o.powerFactor, at, durationMs)
    now = at + durationMs
    const { importW, exportW, apparentVA } = m
    return {
      at,
      durationMs,
      mode,
      bytes,
      interrupted,
      short,
      expected,
      // Built field by field: an object spread here cost more than the whole frame encoding.
      power: {
        byAppliance: sample.byAppliance,
        consumptionW: sample.consumptionW,
        byPhaseW: sample.byPhaseW,
        productionW: sample.productionW,
        importW,
        exportW,
        apparentVA,
      },
      tariff,
    }
  }

  return {
    options: o,
    get now() {
      return now
    },
    next,
    truth: () => groundTruth(energy, now),
    powerAt: (t) => household.powerAt(t, calendar.at(t)),
    calendar,
  }
}
