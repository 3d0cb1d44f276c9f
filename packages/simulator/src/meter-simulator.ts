import { ETX, EOT, SERIAL_SETTINGS, STX, encodeGroup, encodedGroupLength, formatDayProfile, formatHorodate, formatRelays, writeGroup } from '@linkyrpi/tic-core'
import type { GroupSpec, TempoColour, TicAlert, TicMode } from '@linkyrpi/tic-core'
import { createHousehold } from './household.js'
import type { Appliance, PowerSample } from './household.js'
import { APPLIANCES } from './household.js'
import { instantOfLocal, localTime } from './local-time.js'
import type { MeterSimulatorOptions } from './options.js'
import { resolveSimulatorOptions } from './resolve-simulator-options.js'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'
import { newMax, observeMax } from './daily-max.js'
import { createRng, hash32, rand01 } from './random.js'
import { DEFAULT_OFF_PEAK, createTariffCalendar } from './tariff-calendar.js'
import type { SimulatedOption, TariffCalendar, TariffState } from './tariff-calendar.js'
import { uartMisread } from './uart.js'

/**
 * The part of tic-core's `TicReading` the simulator meant to send with a frame, for tests that
 * decode the bytes and compare (`expect(reading).toMatchObject(expected)`).
 */
export interface ExpectedReading {
  readonly meter: { readonly id: string; readonly mode: TicMode; readonly phases: 1 | 3; readonly producer: boolean; readonly kind: 'linky' | 'pre-linky' }
  readonly contract: { readonly option: SimulatedOption; readonly subscribedVA: number }
  readonly period: { readonly index: number; readonly code: string; readonly tempoToday: TempoColour | null; readonly tempoTomorrow: TempoColour | null }
  readonly energy: { readonly importWh: number; readonly importByIndexWh: Readonly<Record<number, number>>; readonly exportWh: number | null }
  readonly power: { readonly apparentVA: number | null; readonly injectedVA: number | null }
  readonly current: { readonly rmsA: readonly number[] }
  readonly relays: readonly boolean[] | null
  /** Sorted. */
  readonly alerts: readonly TicAlert[]
  readonly time: string | null
  readonly short: boolean
}

/** One frame as emitted by the simulated meter, with what it meant. */
export interface SimulatedFrame {
  /** Simulated instant the frame starts (epoch ms). */
  readonly at: number
  /** Simulated milliseconds until the next frame starts. */
  readonly durationMs: number
  /** Mode of this frame (changes after a mode-switch fault). */
  readonly mode: TicMode
  /** The bytes on the wire, faults applied. */
  readonly bytes: Uint8Array
  /** True when an EOT fault cut this frame (it must not decode). */
  readonly interrupted: boolean
  /** True for a historique three-phase short frame. */
  readonly short: boolean
  /** The reading the frame encodes (before faults). */
  readonly expected: ExpectedReading
  /** The true power when the frame was built. */
  readonly power: PowerSample & { readonly importW: number; readonly exportW: number; readonly apparentVA: number }
  /** The calendar when the frame was built. */
  readonly tariff: TariffState
}

/** Energy the simulated household really used, integrated exactly (floats, not truncated like indexes). */
export interface GroundTruth {
  /** Simulated now (epoch ms). */
  readonly at: number
  /** Energy withdrawn since the start, in Wh. */
  readonly importWh: number
  /** Energy injected since the start, in Wh. */
  readonly exportWh: number
  /** Household consumption since the start, in Wh. */
  readonly consumptionWh: number
  /** PV production since the start, in Wh. */
  readonly productionWh: number
  /** Consumption per appliance since the start, in Wh. */
  readonly byApplianceWh: Readonly<Record<Appliance, number>>
  /** The meter's supplier index registers (initial value + energy), in Wh, keyed 1-10. */
  readonly registersWh: Readonly<Record<number, number>>
}

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

const GAP_MS = 25
const SHORT_FRAMES_PER_CYCLE = 20
const SHORT_HOLD_MS = 60_000
/** Energy is integrated in steps of at most this many simulated ms (the household changes at most once a minute). */
const SUBSTEP_MS = 10_000
const HALF_HOUR = 1_800_000
const TEN_MIN = 600_000

const OPTARIF: Readonly<Record<SimulatedOption, string>> = { base: 'BASE', hc: 'HC..', ejp: 'EJP.', tempo: 'BBR(' }
const HIST_INDEX_LABELS: Readonly<Record<SimulatedOption, readonly string[]>> = {
  base: ['BASE'],
  hc: ['HCHC', 'HCHP'],
  ejp: ['EJPHN', 'EJPHPM'],
  tempo: ['BBRHCJB', 'BBRHPJB', 'BBRHCJW', 'BBRHPJW', 'BBRHCJR', 'BBRHPJR'],
}
const NGTF: Readonly<Record<SimulatedOption, string>> = { base: 'BASE', hc: 'H PLEINE/CREUSE', ejp: 'EJP', tempo: 'TEMPO' }
const COLOUR_BITS: Readonly<Record<TempoColour, number>> = { blue: 1, white: 2, red: 3 }
const COLOUR_WORD: Readonly<Record<TempoColour, string>> = { blue: 'BLEU', white: 'BLANC', red: 'ROUGE' }
const COLOUR_LETTER: Readonly<Record<TempoColour, string>> = { blue: 'B', white: 'W', red: 'R' }
const DEMAIN: Readonly<Record<TempoColour, string>> = { blue: 'BLEU', white: 'BLAN', red: 'ROUG' }

const pad = (n: number, width: number): string => String(Math.max(0, Math.floor(n))).padStart(width, '0').slice(-width)
const text16 = (s: string): string => s.padEnd(16, ' ').slice(0, 16)

/** Creates a meter simulator; deterministic: the same options give the same frames, byte for byte. */
export function createMeterSimulator(options: MeterSimulatorOptions = {}): MeterSimulator {
  const o = resolveSimulatorOptions(options)
  const offPeak = options.offPeak ?? DEFAULT_OFF_PEAK
  const calendar = createTariffCalendar(o.option, o.seed, offPeak)
  const subscribedVA = o.subscribedKVA * 1000
  const household = createHousehold({
    seed: o.seed,
    phases: o.phases,
    heating: o.heating,
    pvPeakW: o.pvPeakW,
    subscribedVA,
    overpower: o.overpower,
    offPeak,
  })
  const rng = createRng(hash32(o.seed, 0xfa017))
  const isousc = Math.round(subscribedVA / 200 / (o.phases === 3 ? 3 : 1))

  // Identity.
  const serial = pad(hash32(o.seed, 0xad5) % 1_000_000, 6)
  const typeCode = o.meter === 'linky' ? (o.phases === 3 ? '63' : '61') : o.meter === 'cbetm' ? '30' : o.option === 'tempo' ? '01' : '22'
  const ads = (o.meter === 'linky' ? '0221' : '0305') + typeCode + serial
  const prm = pad(hash32(o.seed, 0x9f3) % 100_000_000, 8) + pad(hash32(o.seed, 0x9f4) % 1_000_000, 6)

  // Registers: initial values drawn from the seed, then energy accumulated exactly (floats).
  const registers = new Float64Array(11)
  for (let i = 1; i <= 10; i++) registers[i] = i <= 6 ? Math.floor(1_000_000 + 9_000_000 * rand01(o.seed, 0x1d, i)) : 0
  if (o.option === 'base') for (let i = 2; i <= 10; i++) registers[i] = 0
  if (o.option === 'hc' || o.option === 'ejp') for (let i = 3; i <= 10; i++) registers[i] = 0
  const distributor = new Float64Array(5)
  distributor[1] = registers[1]!
  for (let i = 2; i <= 10; i++) distributor[2] = distributor[2]! + registers[i]!
  let total = 0
  for (let i = 1; i <= 10; i++) total += registers[i]!
  let exportTotal = o.producer ? Math.floor(500_000 * rand01(o.seed, 0x1e)) : 0
  let reactive1 = 0
  const truth = { importWh: 0, exportWh: 0, consumptionWh: 0, productionWh: 0 }
  const byApplianceWh = Object.fromEntries(APPLIANCES.map((a) => [a, 0])) as Record<Appliance, number>

  // Statistics the standard frame reports.
  let now = o.start
  let mode: TicMode = o.mode
  const firstDay = localTime(now).dayNumber
  const maxTotal = newMax(firstDay, now)
  const maxPhase = [newMax(firstDay, now), newMax(firstDay, now), newMax(firstDay, now)]
  const maxInjected = newMax(firstDay, now)
  const imax = [0, 0, 0].map((_, p) => 20 + Math.floor(20 * rand01(o.seed, 0x1a, p)))
  let pmaxW = 0
  let curveSlot = Math.floor(now / HALF_HOUR)
  let curveImportWh = 0
  let curveExportWh = 0
  const curve: { w: number; at: number }[] = []
  const curveInj: { w: number; at: number }[] = []
  let voltSlot = Math.floor(now / TEN_MIN)
  let voltSum = [0, 0, 0]
  let voltCount = 0
  let voltMean: number[] | null = null
  let voltMeanAt = voltSlot * TEN_MIN
  let lastOverrun = -Infinity
  let shortCount = 0
  let previousShort = false
  let lastLongBytes: Uint8Array | null = null
  let lastLong: ExpectedReading | null = null
  let profileDay = -1
  let profileText = ''
  const ppointe = formatDayProfile([])
  // Groups whose bytes rarely change are encoded once (the long PJOURF+1, PPOINTE, MSG1…).
  const encoded = new Map<string, { mode: TicMode; value: string; bytes: Uint8Array }>()
  const fixed = (label: string, value: string): Uint8Array => {
    const e = encoded.get(label)
    if (e !== undefined && e.value === value && e.mode === mode) return e.bytes
    const bytes = encodeGroup(mode, { label, value })
    encoded.set(label, { mode, value, bytes })
    return bytes
  }
  const horodates = new Map<number, string>()
  const horodate = (t: number): string => {
    let hd = horodates.get(t)
    if (hd === undefined) {
      if (horodates.size > 64) horodates.clear()
      hd = formatHorodate(t)
      horodates.set(t, hd)
    }
    return hd
  }

  function voltages(sample: PowerSample, at: number): number[] {
    const h = (at / 3_600_000) % 24
    return [0, 1, 2].map((p) => 230 + 4 * Math.sin((2 * Math.PI * h) / 24 + p) + 3 * (rand01(o.seed, 0x70 + p, Math.floor(at / 10_000)) - 0.5) - sample.byPhaseW[p]! / 2000)
  }

  function integrate(from: number, durationMs: number): void {
    let t = from
    const end = from + durationMs
    while (t < end) {
      const dt = Math.min(SUBSTEP_MS, end - t)
      const lt = localTime(t)
      const tariff = calendar.at(t, lt)
      const s = household.powerAt(t, tariff, lt)
      const hours = dt / 3_600_000
      const imp = Math.max(0, s.consumptionW - s.productionW) * hours
      const exp = Math.max(0, s.productionW - s.consumptionW) * hours
      registers[tariff.index] = registers[tariff.index]! + imp
      distributor[tariff.distributorIndex] = distributor[tariff.distributorIndex]! + imp
      total += imp
      exportTotal += exp
      reactive1 += imp * Math.tan(Math.acos(o.powerFactor))
      truth.importWh += imp
      truth.exportWh += exp
      truth.consumptionWh += s.consumptionW * hours
      truth.productionWh += s.productionW * hours
      for (const a of APPLIANCES) byApplianceWh[a] += s.byAppliance[a] * hours
      const slot = Math.floor(t / HALF_HOUR)
      if (slot !== curveSlot) {
        curve.unshift({ w: curveImportWh * 2, at: slot * HALF_HOUR })
        curveInj.unshift({ w: curveExportWh * 2, at: slot * HALF_HOUR })
        curve.length = Math.min(curve.length, 2)
        curveInj.length = Math.min(curveInj.length, 2)
        curveSlot = slot
        curveImportWh = 0
        curveExportWh = 0
      }
      curveImportWh += imp
      curveExportWh += exp
      t += dt
    }
  }

  function observeVoltage(u: number[], at: number): void {
    const slot = Math.floor(at / TEN_MIN)
    if (slot !== voltSlot) {
      if (voltCount > 0) {
        voltMean = voltSum.map((x) => x / voltCount)
        voltMeanAt = slot * TEN_MIN
      }
      voltSlot = slot
      voltSum = [0, 0, 0]
      voltCount = 0
    }
    for (let p = 0; p < 3; p++) voltSum[p] = voltSum[p]! + u[p]!
    voltCount++
  }

  function next(): SimulatedFrame {
    if (o.faults.modeSwitchAtMs !== null && now - o.start >= o.faults.modeSwitchAtMs && mode === o.mode) {
      mode = o.mode === 'historique' ? 'standard' : 'historique'
    }
    const at = now
    const lt = localTime(at)
    const tariff = calendar.at(at, lt)
    const sample = household.powerAt(at, tariff, lt)
    const importW = Math.max(0, sample.consumptionW - sample.productionW)
    const exportW = Math.max(0, sample.productionW - sample.consumptionW)
    const pf = o.powerFactor
    const phaseShare = o.phases === 3 ? sample.productionW / 3 : sample.productionW
    const phaseVA = [0, 1, 2].map((p) => Math.max(0, sample.byPhaseW[p]! - (p === 0 || o.phases === 3 ? phaseShare : 0)) / pf)
    const apparentVA = importW / pf
    const injectedVA = exportW / pf
    const u = voltages(sample, at)
    observeVoltage(u, at)
    const amps = [0, 1, 2].map((p) => Math.round(phaseVA[p]! / u[p]!))
    const phaseIdx = o.phases === 3 ? [0, 1, 2] : [0]
    const overrun = phaseIdx.map((p) => amps[p]! > isousc)
    if (overrun.some(Boolean)) lastOverrun = at
    for (const p of phaseIdx) imax[p] = Math.max(imax[p]!, amps[p]!)
    pmaxW = Math.max(pmaxW, Math.round(importW / 10) * 10)
    observeMax(maxTotal, lt.dayNumber, Math.round(apparentVA), at)
    for (const p of phaseIdx) observeMax(maxPhase[p]!, lt.dayNumber, Math.round(phaseVA[p]!), at)
    observeMax(maxInjected, lt.dayNumber, Math.round(injectedVA), at)

    const groups: (GroupSpec | Uint8Array)[] = []
    const g = (label: string, value: string, hd?: string): void => {
      groups.push(hd === undefined ? { label, value } : { label, value, horodate: hd })
    }
    const gf = (label: string, value: string): void => {
      groups.push(fixed(label, value))
    }
    const alerts = new Set<TicAlert>()
    let short = false
    const byIndex: Record<number, number> = {}
    let importWh = 0
    let relays: boolean[] | null = null
    let rmsA: number[]
    let apparent: number | null
    let injected: number | null = null
    let exportWh: number | null = null
    let time: string | null = null
    let tempoTomorrow = tariff.tempoTomorrow

    if (mode === 'historique') {
      const tri = o.phases === 3
      const inShortCycle = tri && at - lastOverrun <= SHORT_HOLD_MS
      if (inShortCycle && shortCount < SHORT_FRAMES_PER_CYCLE) {
        short = true
        shortCount++
      } else shortCount = 0
      if (!inShortCycle) shortCount = 0
      rmsA = phaseIdx.map((p) => amps[p]!)
      apparent = o.meter === 'cbemm' && !o.icc ? null : Math.round(apparentVA / 10) * 10
      if (short) {
        for (const p of phaseIdx) if (overrun[p]) g(`ADIR${String(p + 1)}`, pad(amps[p]!, 3))
        gf('ADCO', ads)
        for (const p of phaseIdx) g(`IINST${String(p + 1)}`, pad(amps[p]!, 3))
        if (overrun.some(Boolean)) alerts.add('overpower')
      } else {
        gf('ADCO', ads)
        gf('OPTARIF', OPTARIF[o.option])
        gf('ISOUSC', pad(isousc, 2))
        HIST_INDEX_LABELS[o.option].forEach((label, i) => {
          const wh = Math.floor(registers[i + 1]!)
          g(label, pad(wh, 9))
          byIndex[i + 1] = wh
          importWh += wh
        })
        if (o.option === 'ejp' && (tariff.ejpNotice || tariff.ejpPeak)) g('PEJP', '30')
        const ptec =
          o.option === 'base' ? 'TH..' : o.option === 'hc' ? (tariff.offPeak ? 'HC..' : 'HP..') : o.option === 'ejp' ? (tariff.ejpPeak ? 'PM..' : 'HN..') : `${tariff.offPeak ? 'HC' : 'HP'}J${COLOUR_LETTER[tariff.tempoToday!]}`
        g('PTEC', ptec)
        if (o.option === 'tempo') g('DEMAIN', tariff.tempoTomorrow === null ? '----' : DEMAIN[tariff.tempoTomorrow])
        if (tri) {
          for (const p of phaseIdx) g(`IINST${String(p + 1)}`, pad(amps[p]!, 3))
          for (const p of phaseIdx) g(`IMAX${String(p + 1)}`, o.meter === 'linky' ? '060' : pad(imax[p]!, 3))
          g('PMAX', pad(o.meter === 'linky' ? maxTotal.prevValue : pmaxW, 5))
          g('PAPP', pad(apparent ?? 0, 5))
        } else {
          g('IINST', pad(amps[0]!, 3))
          if (overrun[0]) {
            g('ADPS', pad(amps[0]!, 3))
            alerts.add('overpower')
          }
          g('IMAX', o.meter === 'linky' ? '090' : pad(imax[0]!, 3))
          if (apparent !== null) g('PAPP', pad(apparent, 5))
        }
        gf('HHPHC', 'A')
        gf('MOTDETAT', '000000')
        if (tri) gf('PPOT', '00')
        if (tariff.ejpNotice) alerts.add('peak-notice')
        if (tariff.ejpPeak) alerts.add('peak-active')
      }
    } else {
      const tri = o.phases === 3
      const h = horodate
      gf('ADSC', ads)
      gf('VTIC', '02')
      g('DATE', '', h(at))
      time = parseIso(at)
      gf('NGTF', text16(NGTF[o.option]))
      const ltarf =
        o.option === 'base' ? 'BASE' : o.option === 'hc' ? (tariff.offPeak ? 'HEURE CREUSE' : 'HEURE PLEINE') : o.option === 'ejp' ? (tariff.ejpPeak ? 'HEURE POINTE' : 'HEURE NORMALE') : `${tariff.offPeak ? 'HC' : 'HP'} ${COLOUR_WORD[tariff.tempoToday!]}`
      g('LTARF', text16(ltarf))
      importWh = Math.floor(total)
      g('EAST', pad(importWh, 9))
      for (let i = 1; i <= 10; i++) {
        const wh = Math.floor(registers[i]!)
        byIndex[i] = wh
        g(`EASF${pad(i, 2)}`, pad(wh, 9))
      }
      for (let i = 1; i <= 4; i++) g(`EASD${pad(i, 2)}`, pad(distributor[i]!, 9))
      if (o.producer) {
        exportWh = Math.floor(exportTotal)
        g('EAIT', pad(exportWh, 9))
        g('ERQ1', pad(reactive1, 9))
        for (let q = 2; q <= 4; q++) g(`ERQ${String(q)}`, pad(0, 9))
      }
      rmsA = phaseIdx.map((p) => amps[p]!)
      for (const p of phaseIdx) g(`IRMS${String(p + 1)}`, pad(amps[p]!, 3))
      for (const p of phaseIdx) g(`URMS${String(p + 1)}`, pad(Math.round(u[p]!), 3))
      gf('PREF', pad(o.subscribedKVA, 2))
      gf('PCOUP', pad(o.subscribedKVA, 2))
      apparent = Math.round(apparentVA)
      g('SINSTS', pad(apparent, 5))
      if (tri) for (const p of phaseIdx) g(`SINSTS${String(p + 1)}`, pad(phaseVA[p]!, 5))
      g('SMAXSN', pad(maxTotal.value, 5), h(maxTotal.at))
      if (tri) for (const p of phaseIdx) g(`SMAXSN${String(p + 1)}`, pad(maxPhase[p]!.value, 5), h(maxPhase[p]!.at))
      g('SMAXSN-1', pad(maxTotal.prevValue, 5), h(maxTotal.prevAt))
      if (tri) for (const p of phaseIdx) g(`SMAXSN${String(p + 1)}-1`, pad(maxPhase[p]!.prevValue, 5), h(maxPhase[p]!.prevAt))
      if (o.producer) {
        injected = Math.round(injectedVA)
        g('SINSTI', pad(injected, 5))
        g('SMAXIN', pad(maxInjected.value, 5), h(maxInjected.at))
        g('SMAXIN-1', pad(maxInjected.prevValue, 5), h(maxInjected.prevAt))
      }
      if (curve[0] !== undefined) g('CCASN', pad(curve[0].w, 5), h(curve[0].at))
      if (curve[1] !== undefined) g('CCASN-1', pad(curve[1].w, 5), h(curve[1].at))
      if (o.producer) {
        if (curveInj[0] !== undefined) g('CCAIN', pad(curveInj[0].w, 5), h(curveInj[0].at))
        if (curveInj[1] !== undefined) g('CCAIN-1', pad(curveInj[1].w, 5), h(curveInj[1].at))
      }
      for (const p of phaseIdx) g(`UMOY${String(p + 1)}`, pad(Math.round((voltMean ?? u)[p]!), 3), h(voltMean === null ? Math.floor(at / TEN_MIN) * TEN_MIN : voltMeanAt))
      const over = apparentVA > subscribedVA
      if (over) alerts.add('overpower')
      let stge = 0
      if (!tariff.relayClosed) stge |= 1
      if (over) stge |= 1 << 7
      if (o.producer) stge |= 1 << 8
      if (exportW > 0) stge |= 1 << 9
      stge |= (tariff.index - 1) << 10
      stge |= (tariff.distributorIndex - 1) << 14
      stge |= 1 << 17
      stge |= 1 << 19
      stge |= 2 << 21
      stge |= 1 << 23
      if (tariff.tempoToday !== null) stge |= COLOUR_BITS[tariff.tempoToday] << 24
      if (tariff.tempoTomorrow !== null) stge |= COLOUR_BITS[tariff.tempoTomorrow] << 26
      if (tariff.ejpNotice) {
        stge |= 1 << 28
        alerts.add('peak-notice')
      }
      if (tariff.ejpPeak) {
        stge |= 1 << 30
        alerts.add('peak-active')
      }
      g('STGE', (stge >>> 0).toString(16).toUpperCase().padStart(8, '0'))
      if (tariff.ejpNotice || tariff.ejpPeak) {
        // The announced mobile peak (54E §6.2.3.17): 07:00 on the EJP day to 01:00 the next day.
        const day = tariff.ejpNotice || lt.minuteOfDay >= 7 * 60 ? lt.dayNumber : lt.dayNumber - 1
        g('DPM1', '00', h(instantOfLocal(day, 7 * 60)))
        g('FPM1', '00', h(instantOfLocal(day + 1, 60)))
      }
      gf('MSG1', 'PAS DE          MESSAGE         ')
      gf('PRM', prm)
      relays = [tariff.relayClosed, false, false, false, false, false, false, false]
      g('RELAIS', formatRelays(relays))
      g('NTARF', pad(tariff.index, 2))
      g('NJOURF', pad(tariff.dayType, 2))
      g('NJOURF+1', pad(tariff.nextDayType, 2))
      if (profileDay !== lt.dayNumber) {
        profileDay = lt.dayNumber
        profileText = formatDayProfile(calendar.dayProfile(lt.dayNumber + 1))
      }
      gf('PJOURF+1', profileText)
      gf('PPOINTE', ppointe)
      tempoTomorrow = tariff.tempoTomorrow
    }

    let size = 2
    for (const x of groups) size += x instanceof Uint8Array ? x.length : encodedGroupLength(mode, x)
    const clean = new Uint8Array(size)
    clean[0] = STX
    let at1 = 1
    for (const x of groups) {
      if (x instanceof Uint8Array) {
        clean.set(x, at1)
        at1 += x.length
      } else at1 = writeGroup(clean, at1, mode, x)
    }
    clean[at1] = ETX
    let wire: Uint8Array = clean
    if (short && !previousShort && lastLongBytes !== null) {
      // Entering overrun: the long frame in progress is cut at the end of a group and EOT sent
      // before the first short frame (02E Tableau 6; tic-spec.md §1.4-1.5).
      let cut = Math.floor(lastLongBytes.length / 2)
      while (cut < lastLongBytes.length - 1 && lastLongBytes[cut] !== 0x0d) cut++
      wire = new Uint8Array(cut + 2 + clean.length)
      wire.set(lastLongBytes.subarray(0, cut + 1))
      wire[cut + 1] = EOT
      wire.set(clean, cut + 2)
    }
    previousShort = short
    if (!short && mode === 'historique') lastLongBytes = clean
    const cps = SERIAL_SETTINGS[mode].charsPerSecond
    const durationMs = o.intervalMs ?? Math.round((wire.length * 1000) / cps) + GAP_MS
    let bytes: Uint8Array = wire
    let interrupted = false
    const f = o.faults
    if (f.eotRate > 0 && rng() < f.eotRate) {
      const cut = 1 + Math.floor(rng() * (clean.length - 2))
      bytes = new Uint8Array(cut + 1)
      bytes.set(clean.subarray(0, cut))
      bytes[cut] = EOT
      interrupted = true
    }
    if (f.bitErrorRate > 0 || f.dropRate > 0) {
      let w = 0
      for (let i = 0; i < bytes.length; i++) {
        if (f.dropRate > 0 && rng() < f.dropRate) continue
        let b = bytes[i]!
        if (f.bitErrorRate > 0 && rng() < f.bitErrorRate) b ^= 1 << Math.floor(rng() * 7)
        bytes[w++] = b
      }
      bytes = bytes.subarray(0, w)
    }
    if (f.wrongBaud) {
      const baud = SERIAL_SETTINGS[mode].baudRate
      bytes = uartMisread(bytes, baud, baud === 1200 ? 9600 : 1200)
    }

    const built: ExpectedReading = {
      meter: { id: ads, mode, phases: o.phases, producer: mode === 'standard' && o.producer, kind: o.meter === 'linky' ? 'linky' : 'pre-linky' },
      contract: { option: o.option, subscribedVA: mode === 'historique' ? isousc * 200 * o.phases : subscribedVA },
      period: { index: tariff.index, code: tariff.code, tempoToday: tariff.tempoToday, tempoTomorrow },
      energy: { importWh, importByIndexWh: byIndex, exportWh },
      power: { apparentVA: apparent, injectedVA: injected },
      current: { rmsA },
      relays,
      alerts: [...alerts].sort(),
      time,
      short,
    }
    // A short frame only carries currents: the decoder keeps the rest from the last long frame.
    const expected: ExpectedReading = short && lastLong !== null ? { ...lastLong, current: built.current, alerts: built.alerts, short: true } : built
    if (!short) lastLong = built
    integrate(at, durationMs)
    now = at + durationMs
    return {
      at,
      durationMs,
      mode,
      bytes,
      interrupted,
      short,
      expected,
      // Built field by field: an object spread here cost more than the whole frame encoding.
      power: { byAppliance: sample.byAppliance, consumptionW: sample.consumptionW, byPhaseW: sample.byPhaseW, productionW: sample.productionW, importW, exportW, apparentVA },
      tariff,
    }
  }

  return {
    options: o,
    get now() {
      return now
    },
    next,
    truth() {
      const reg: Record<number, number> = {}
      for (let i = 1; i <= 10; i++) reg[i] = registers[i]!
      return { at: now, ...truth, byApplianceWh: { ...byApplianceWh }, registersWh: reg }
    },
    powerAt: (t) => household.powerAt(t, calendar.at(t)),
    calendar,
  }
}

function parseIso(at: number): string {
  const hd = formatHorodate(at)
  const off = hd[0] === 'E' ? '+02:00' : '+01:00'
  return `20${hd.slice(1, 3)}-${hd.slice(3, 5)}-${hd.slice(5, 7)}T${hd.slice(7, 9)}:${hd.slice(9, 11)}:${hd.slice(11, 13)}${off}`
}
