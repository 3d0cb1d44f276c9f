import { SERIAL_SETTINGS } from '@linkyrpi/tic-core'
import type { TicMode, TicModeSetting } from '@linkyrpi/tic-core'
import type { Logger } from '@linkyrpi/tic-core/stage'
import { SerialPortStream } from '@serialport/stream'
import type { OpenOptions } from '@serialport/stream'
import { BehaviorSubject, Observable } from 'rxjs'
import { SerialPortError } from './errors.js'
import { createModeDetector } from './mode-detector.js'

/** A serialport binding (`SerialBinding` of @serialport/bindings-interface). */
export type SerialBinding = OpenOptions['binding']

/** What the serial source is doing. */
export type SerialStatus =
  /** Opening the device. */
  | 'opening'
  /** Listening at one candidate baud rate for checksum-valid groups. */
  | 'detecting'
  /** Mode and baud rate found; bytes flow downstream. */
  | 'locked'
  /** The device is absent or failed; reopening after a backoff. */
  | 'disconnected'
  /** Unsubscribed. */
  | 'closed'

/** A snapshot of the source for diagnostics and the dashboard. */
export interface SerialSourceState {
  readonly status: SerialStatus
  readonly path: string
  /** The port's current speed in Bd, or null before the first open. */
  readonly baudRate: number | null
  /** The locked mode, or null while not locked. */
  readonly mode: TicMode | null
  /** Why the source is detecting or disconnected (`no data at 1200 Bd`, the OS error…), else null. */
  readonly reason: string | null
  /** Bytes received since subscription (all rates). */
  readonly bytes: number
  /** Frames seen with at least one valid group. */
  readonly frames: number
  /** Groups refused (checksum, label, charset…) in complete frames, wrong-baud garbage included. */
  readonly rejected: number
  /** Epoch ms of the last frame with a valid group, or null. */
  readonly lastFrameAt: number | null
  /** Epoch ms when `status` last changed. */
  readonly since: number
  /** Times the device was lost (or failed to open) since subscription. */
  readonly disconnects: number
}

/** Options of {@link serialSource}. */
export interface SerialSourceOptions {
  /** Device path, e.g. `/dev/ttyAMA0`, `/dev/ttyUSB0`. */
  readonly path: string
  /** The serialport binding: `autoDetect()` from @serialport/bindings-cpp in the app, `MockBinding` in tests. */
  readonly binding: SerialBinding
  /** `'auto'` (default) detects; a fixed mode opens at its rate and locks at once. */
  readonly mode?: TicModeSetting
  /** Candidate rates in Bd, tried in order (default `[1200, 9600]`; a fixed mode uses its own rate). */
  readonly baudRates?: readonly number[]
  /** Time listened at each candidate before trying the next one, in ms (default 5000: 3 historique frames). */
  readonly detectWindowMs?: number
  /** Checksum-valid groups with distinct catalogue labels needed to lock (default 3). */
  readonly minValidGroups?: number
  /** While locked in auto mode, detect again after this long without a valid frame, in ms (default 30000; 0 = never). */
  readonly silenceMs?: number
  /** Reopen the device after it disappears, with exponential backoff (default true); false = error with SerialPortError. */
  readonly reconnect?: boolean
  /** First reconnect delay in ms (default 1000), doubled after each failure. */
  readonly backoffInitialMs?: number
  /** Longest reconnect delay in ms (default 30000). */
  readonly backoffMaxMs?: number
  /** Bytes kept while detecting at the right rate, passed downstream once locked (default 8192). */
  readonly holdBytes?: number
  /** Clock in epoch ms (default Date.now). */
  readonly now?: () => number
  /** Where state changes are logged (default: nowhere). */
  readonly logger?: Logger
}

/** The serial source: bytes as an Observable, plus its state for diagnostics. */
export interface SerialSource extends Observable<Uint8Array> {
  /** Emits the state at each status change (opening, detecting, locked, disconnected, closed). */
  readonly state$: Observable<SerialSourceState>
  /** The current state, counters up to date. */
  state(): SerialSourceState
}

/**
 * A TIC source over a serial port, 7E1, with baud/mode detection, re-detection after silence
 * and reconnection. Cold: subscribing opens the port; unsubscribing closes it. Bytes flow only
 * once locked (garbage heard at a wrong rate never goes downstream). Never completes; errors
 * with {@link SerialPortError} only when `reconnect` is false and the device fails.
 * Throws TypeError at call time for invalid options.
 */
export function serialSource(options: SerialSourceOptions): SerialSource {
  const o = checkOptions(options)
  const now = options.now ?? Date.now
  const logger = options.logger
  let current: SerialSourceState = {
    status: 'closed',
    path: o.path,
    baudRate: null,
    mode: null,
    reason: null,
    bytes: 0,
    frames: 0,
    rejected: 0,
    lastFrameAt: null,
    since: now(),
    disconnects: 0,
  }
  const state$ = new BehaviorSubject<SerialSourceState>(current)

  const source = new Observable<Uint8Array>((subscriber) => {
    let port: SerialPortStream | null = null
    let closed = false
    let timer: ReturnType<typeof setTimeout> | null = null
    let rateIndex = 0
    let backoff = o.backoffInitialMs
    let windowBytes = 0
    const tried = new Map<number, number>()
    let held: Uint8Array[] = []
    let heldBytes = 0
    let bytes = 0
    let frames = 0
    let rejected = 0
    let lastFrameAt: number | null = null
    let lastValidAt = now()
    let lastLoss: string | null = null
    const detector = createModeDetector({
      onFrame(verdict) {
        rejected += verdict.rejected
        if (verdict.valid === 0) return
        frames++
        lastFrameAt = lastValidAt = now()
      },
    })

    const snapshot = (): SerialSourceState => ({ ...current, bytes, frames, rejected, lastFrameAt })
    const set = (patch: Partial<SerialSourceState>): void => {
      current = {
        ...snapshot(),
        ...patch,
        since:
          patch.status !== undefined && patch.status !== current.status ? now() : current.since,
      }
      state$.next(current)
    }
    readState = snapshot
    const clearTimer = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = null
    }
    const rate = (): number => o.baudRates[rateIndex]!

    const open = (): void => {
      if (closed) return
      set({ status: 'opening', baudRate: rate(), mode: null })
      const p = new SerialPortStream({
        binding: o.binding,
        path: o.path,
        baudRate: rate(),
        dataBits: 7,
        parity: 'even',
        stopBits: 1,
        autoOpen: false,
      })
      port = p
      p.on('data', (chunk: Buffer) => {
        if (port === p) onData(chunk)
      })
      p.on('close', (error: Error | null) => {
        if (port === p && !closed) lost(error ?? new Error('port closed'))
      })
      p.on('error', (error: Error) => {
        if (port === p && !closed) lost(error)
      })
      p.open((error) => {
        if (closed) {
          if (error === null && p.isOpen) p.close()
          return
        }
        if (port !== p) return
        if (error !== null) return lost(error)
        backoff = o.backoffInitialMs
        if (o.fixedMode !== null) lock(o.fixedMode)
        else detect(lastLoss === null ? 'port opened' : `reopened after: ${lastLoss}`)
        lastLoss = null
      })
    }

    const lost = (error: Error): void => {
      lastLoss = error.message
      const p = port
      port = null
      clearTimer()
      if (p !== null && p.isOpen) p.close()
      if (!o.reconnect) {
        set({ status: 'disconnected', reason: error.message, mode: null })
        subscriber.error(new SerialPortError(`${o.path}: ${error.message}`, { cause: error }))
        return
      }
      const delay = backoff
      backoff = Math.min(o.backoffMaxMs, backoff * 2)
      set({
        status: 'disconnected',
        reason: error.message,
        mode: null,
        disconnects: current.disconnects + 1,
      })
      logger?.warn('serial port lost, reopening', {
        path: o.path,
        error: error.message,
        retryInMs: delay,
      })
      timer = setTimeout(open, delay)
    }

    const detect = (reason: string): void => {
      clearTimer()
      detector.reset()
      held = []
      heldBytes = 0
      windowBytes = 0
      set({ status: 'detecting', baudRate: rate(), mode: null, reason })
      timer = setTimeout(windowEnded, o.detectWindowMs)
    }

    const windowEnded = (): void => {
      timer = null
      tried.set(rate(), windowBytes)
      let reason: string
      if (tried.size === o.baudRates.length && [...tried.values()].every((n) => n === 0))
        reason = 'no data at all (is the TIC wired, is the meter powered?)'
      else if (tried.size === o.baudRates.length)
        reason = `data, but no valid TIC at ${o.baudRates.join(' or ')} Bd`
      else
        reason =
          windowBytes === 0
            ? `no data at ${String(rate())} Bd`
            : `no valid TIC at ${String(rate())} Bd`
      logger?.debug('no TIC at this rate', { path: o.path, baudRate: rate(), bytes: windowBytes })
      switchRate(reason)
    }

    const switchRate = (reason: string): void => {
      const p = port
      rateIndex = (rateIndex + 1) % o.baudRates.length
      if (p === null) return
      if (o.baudRates.length === 1) return detect(reason)
      // Stop passing bytes on at once: what arrives while the rate changes is not to be trusted.
      set({ status: 'detecting', baudRate: rate(), mode: null, reason })
      p.update({ baudRate: rate() }, (error) => {
        if (port !== p || closed) return
        if (error !== null && error !== undefined) lost(error)
        else detect(reason)
      })
    }

    const lock = (mode: TicMode): void => {
      clearTimer()
      tried.clear()
      lastValidAt = now()
      const settings = SERIAL_SETTINGS[mode]
      set({
        status: 'locked',
        mode,
        reason:
          settings.baudRate === rate()
            ? null
            : `${mode} data at ${String(rate())} Bd (a pty or an adapter that ignores the rate)`,
      })
      logger?.info('TIC locked', { path: o.path, mode, baudRate: rate() })
      for (const c of held) subscriber.next(c)
      held = []
      heldBytes = 0
      if (o.fixedMode === null && o.silenceMs > 0) watchSilence()
    }

    const watchSilence = (): void => {
      timer = setTimeout(
        () => {
          timer = null
          if (now() - lastValidAt >= o.silenceMs) {
            logger?.warn('no valid TIC frame, detecting again', {
              path: o.path,
              silentMs: now() - lastValidAt,
            })
            // The other rate first: the usual cause is a meter switched between historique and standard.
            switchRate(`no valid frame for ${String(o.silenceMs)} ms`)
          } else watchSilence()
        },
        Math.max(10, Math.min(1000, o.silenceMs / 4)),
      )
    }

    const onData = (chunk: Buffer): void => {
      bytes += chunk.length
      detector.push(chunk)
      if (current.status === 'locked') {
        subscriber.next(chunk)
        return
      }
      if (current.status !== 'detecting') return
      windowBytes += chunk.length
      held.push(chunk)
      heldBytes += chunk.length
      while (heldBytes > o.holdBytes && held.length > 1) heldBytes -= held.shift()!.length
      const mode = detector.decided(o.minValidGroups)
      if (mode !== null) lock(mode)
    }

    open()
    return () => {
      closed = true
      clearTimer()
      const p = port
      port = null
      if (p !== null && p.isOpen) p.close()
      set({ status: 'closed', mode: null, reason: null })
    }
  })

  let readState = (): SerialSourceState => current
  return Object.assign(source, { state$: state$.asObservable(), state: () => readState() })
}

interface CheckedOptions {
  readonly path: string
  readonly binding: SerialBinding
  readonly fixedMode: TicMode | null
  readonly baudRates: readonly number[]
  readonly detectWindowMs: number
  readonly minValidGroups: number
  readonly silenceMs: number
  readonly reconnect: boolean
  readonly backoffInitialMs: number
  readonly backoffMaxMs: number
  readonly holdBytes: number
}

function checkOptions(o: SerialSourceOptions): CheckedOptions {
  if (typeof o.path !== 'string' || o.path.length === 0)
    throw new TypeError('"path" must be a device path such as /dev/ttyAMA0')
  if (typeof o.binding?.open !== 'function')
    throw new TypeError('"binding" must be a serialport binding (autoDetect() or MockBinding)')
  const mode = o.mode ?? 'auto'
  if (mode !== 'auto' && mode !== 'historique' && mode !== 'standard')
    throw new TypeError(`"mode" must be auto, historique or standard, got '${String(mode)}'`)
  const fixedMode = mode === 'auto' ? null : mode
  const baudRates =
    o.baudRates ?? (fixedMode === null ? [1200, 9600] : [SERIAL_SETTINGS[fixedMode].baudRate])
  if (baudRates.length === 0 || baudRates.some((b) => !Number.isInteger(b) || b <= 0))
    throw new TypeError('"baudRates" must list positive integer rates')
  const positive = (
    name: string,
    v: number | undefined,
    def: number,
    allowZero = false,
  ): number => {
    const x = v ?? def
    if (!Number.isFinite(x) || x < 0 || (!allowZero && x === 0))
      throw new TypeError(`"${name}" must be a positive number, got ${String(v)}`)
    return x
  }
  return {
    path: o.path,
    binding: o.binding,
    fixedMode,
    baudRates,
    detectWindowMs: positive('detectWindowMs', o.detectWindowMs, 5000),
    minValidGroups: positive('minValidGroups', o.minValidGroups, 3),
    silenceMs: positive('silenceMs', o.silenceMs, 30_000, true),
    reconnect: o.reconnect ?? true,
    backoffInitialMs: positive('backoffInitialMs', o.backoffInitialMs, 1000),
    backoffMaxMs: positive('backoffMaxMs', o.backoffMaxMs, 30_000),
    holdBytes: positive('holdBytes', o.holdBytes, 8192),
  }
}
