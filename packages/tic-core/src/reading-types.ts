import type { Ads, MeterKind } from './ads.js'
import type { DayProfileSlot } from './day-profile.js'
import type { TicFrame } from './frame.js'
import type { TicMode } from './mode.js'
import type { Stge } from './stge.js'
import type { PeriodCode, TariffOption, TempoColour } from './tariff.js'

/** Conditions worth a warning, whatever the mode. */
export type TicAlert =
  /** Subscribed power exceeded: ADPS, ADIRx, or STGE bit 7. */
  | 'overpower'
  /** Overvoltage on a phase (STGE bit 6). */
  | 'overvoltage'
  /** The meter's cut-off device is open (STGE bits 1-3). */
  | 'cutoff-open'
  /** The terminal cover is open (STGE bit 4). */
  | 'cover-open'
  /** The meter clock runs in degraded mode (STGE bit 16 or a lower-case season letter). */
  | 'clock-degraded'
  /** A phase has no potential (PPOT). */
  | 'phase-missing'
  /** An EJP / mobile-peak notice is running (PEJP, STGE bits 28-29). */
  | 'peak-notice'
  /** A mobile peak is in progress (PTEC `PM..`, STGE bits 30-31). */
  | 'peak-active'

/** A value with the time the meter attached to it (standard horodates). */
export interface TimedValue {
  /** The value, in the unit of the field that holds it. */
  readonly value: number
  /** The horodate as ISO 8601 with offset, or null when the season is unknown. */
  readonly at: string | null
}

/**
 * The mode-agnostic reading: one shape whatever the meter speaks. Fields the meter does not send
 * are null. Units are in the names (Wh, VA, W, A, V, VArh). See packages/tic-core/README.md.
 */
export interface TicReading {
  readonly meter: {
    /** ADS (ADCO in historique, ADSC in standard): 12 characters, the meter's serial. */
    readonly id: string | null
    /** The 14-digit delivery point (standard only; never the meter serial). */
    readonly prm: string | null
    readonly mode: TicMode
    /** 1 or 3, decided robustly over several frames; null before any evidence. */
    readonly phases: 1 | 3 | null
    /** True when the installation injects (standard producer labels or STGE bit 8). */
    readonly producer: boolean
    readonly kind: MeterKind
    /** The ADS decoded (manufacturer, year, model). */
    readonly ads: Ads | null
    /** VTIC (standard), null in historique. */
    readonly ticVersion: string | null
  }
  readonly contract: {
    readonly option: TariffOption | null
    /** OPTARIF as sent (historique) or NGTF tidied (standard). */
    readonly optionLabel: string | null
    /** Subscribed apparent power in VA: PREF × 1000, or ISOUSC × 200 V (× 3 on three-phase). */
    readonly subscribedVA: number | null
    /** Cut-off apparent power in VA (PCOUP × 1000, standard only). */
    readonly cutoffVA: number | null
    /** Subscribed current in A (ISOUSC, historique only). */
    readonly subscribedA: number | null
    /** HHPHC schedule letter (historique). */
    readonly hhphc: string | null
  }
  readonly period: {
    /** Supplier index counting now (1-10), the same numbering in both modes. */
    readonly index: number | null
    /** The period's name as the meter says it: PTEC (`HP..`) or LTARF tidied (`HEURE PLEINE`). */
    readonly label: string | null
    readonly code: PeriodCode | null
    readonly tempoToday: TempoColour | null
    readonly tempoTomorrow: TempoColour | null
    /** Distributor index counting now (1-4, standard only). */
    readonly distributorIndex: number | null
  }
  readonly energy: {
    /**
     * Total energy withdrawn in Wh: EAST (standard), or the sum of every index of the contract
     * (historique: the option's indexes). Null when the total is not known in full (an index
     * refused or missing): never a partial sum.
     */
    readonly importWh: number | null
    /** Energy per supplier index in Wh, keyed by index number (1-10). */
    readonly importByIndexWh: Readonly<Record<number, number>>
    /** Energy withdrawn per distributor index in Wh, keyed 1-4 (standard only). */
    readonly distributorByIndexWh: Readonly<Record<number, number>> | null
    /** Total energy injected in Wh (EAIT, producers). */
    readonly exportWh: number | null
    /** Reactive energy per quadrant in VArh, [Q1, Q2, Q3, Q4] (producers). */
    readonly reactiveVArh: readonly (number | null)[] | null
  }
  readonly power: {
    /** Apparent power withdrawn in VA (PAPP / SINSTS); null on a CBEMM without PAPP. */
    readonly apparentVA: number | null
    /** Apparent power per phase in VA (standard three-phase), else null. */
    readonly apparentVAByPhase: readonly (number | null)[] | null
    /** Apparent power injected in VA (SINSTI), producers only. */
    readonly injectedVA: number | null
    /** Today's maximum withdrawn apparent power (SMAXSN) in VA with its time. */
    readonly maxTodayVA: TimedValue | null
    /** Yesterday's maximum (SMAXSN-1) in VA. */
    readonly maxYesterdayVA: TimedValue | null
    /** Today's maximum injected apparent power (SMAXIN) in VA. */
    readonly maxInjectedTodayVA: TimedValue | null
    /** Historique three-phase PMAX: W on CBETM, VA (yesterday's max) on Linky. */
    readonly pmax: number | null
    /** Last complete load-curve point, withdrawn active power in W (CCASN). */
    readonly loadCurveW: TimedValue | null
    /** Last complete load-curve point, injected active power in W (CCAIN). */
    readonly loadCurveInjectedW: TimedValue | null
  }
  readonly current: {
    /** RMS current per phase in A (IINST/IINSTx, IRMSx): one entry, or three. */
    readonly rmsA: readonly (number | null)[] | null
    /** Maximum current per phase in A (IMAX/IMAXx, historique). */
    readonly maxA: readonly (number | null)[] | null
    /** Current of phases in overrun in A (ADPS / ADIRx), null entries for phases not in overrun. */
    readonly overrunA: readonly (number | null)[] | null
  }
  readonly voltage: {
    /** RMS voltage per phase in V (URMSx; TENSION on some old meters). */
    readonly rmsV: readonly (number | null)[] | null
    /** Mean voltage per phase in V over the regulatory interval (UMOYx). */
    readonly meanV: readonly (number | null)[] | null
    /** Phases without potential (PPOT, historique three-phase): [p1, p2, p3], true = missing. */
    readonly missingPhases: readonly boolean[] | null
  }
  /** The 8 relays (relay 1 first, true = closed), or null when not sent. */
  readonly relays: readonly boolean[] | null
  /** STGE decoded, or null. */
  readonly status: Stge | null
  readonly alerts: readonly TicAlert[]
  readonly messages: {
    /** MSG1 tidied, or null. */
    readonly msg1: string | null
    /** MSG2 tidied, or null. */
    readonly msg2: string | null
  }
  readonly calendar: {
    /** Today's / tomorrow's day number in the supplier calendar (NJOURF, NJOURF+1). */
    readonly dayNumber: number | null
    readonly nextDayNumber: number | null
    /** Tomorrow's profile (PJOURF+1). */
    readonly nextDayProfile: readonly DayProfileSlot[] | null
    /** The next mobile-peak day profile (PPOINTE). */
    readonly peakDayProfile: readonly DayProfileSlot[] | null
    /** Announced mobile peaks (DPMx/FPMx): number, start and end local times. */
    readonly mobilePeaks: readonly {
      readonly n: 1 | 2 | 3
      readonly start: string | null
      readonly end: string | null
    }[]
  }
  /** The meter clock (DATE) as ISO 8601 with offset, or null (historique has no clock). */
  readonly time: string | null
  /** True when built from a three-phase short frame: other fields come from the last long frame. */
  readonly short: boolean
}

/** Options of {@link createReadingBuilder}. */
export interface ReadingBuilderOptions {
  /** Consecutive frames of contrary evidence needed to change phases or producer (default 3). */
  readonly hysteresisFrames?: number
}

/** Builds readings frame after frame, keeping what a single frame cannot tell. */
export interface ReadingBuilder {
  /** The reading after `frame`. */
  update(frame: TicFrame): TicReading
  /**
   * Takes `frame` into account (identity, classification, values in force) without building the
   * reading: for callers that need the reading only now and then.
   */
  observe(frame: TicFrame): void
  /** What the builder knows of the meter so far. */
  readonly meter: {
    readonly id: string | null
    readonly mode: TicMode | null
    readonly phases: 1 | 3 | null
    readonly producer: boolean
    readonly kind: MeterKind
  }
  /** Forgets everything (a new meter). */
  reset(): void
}
