import { createRequire } from 'node:module'
import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with {
  'resolution-mode': 'require',
}
import { createMeterSimulator, uartMisread } from '@linkyrpi/simulator'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'
import { SERIAL_SETTINGS, createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame } from '@linkyrpi/tic-core'
import { filter, firstValueFrom } from 'rxjs'
import type { Subscription } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import { serialSource } from './serial-source.js'
import type { SerialSource, SerialSourceOptions, SerialSourceState } from './serial-source.js'

// The package's ESM entry has no type declarations; its CommonJS entry does.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingInterface
}
const PATH = '/dev/ttyTIC'
let current: MockPortBinding | null = null
let unplugged = false
// MockBinding, plus a handle on the open port so the test can feed it, and reads that fail
// once the adapter is "unplugged" (as a read on a vanished /dev/ttyUSB0 does).
const binding = {
  ...MockBinding,
  async open(options: Parameters<MockBindingInterface['open']>[0]) {
    const p = await MockBinding.open(options)
    const read = p.read.bind(p)
    p.read = async (buffer, offset, length) => {
      const r = await read(buffer, offset, length)
      if (unplugged) throw new Error('EIO: i/o error, read')
      return r
    }
    current = p
    return p
  },
}
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
  MockBinding.reset()
  current = null
  unplugged = false
})

/** A meter wired to the mock port: one frame every `everyMs`, misread when the port is at the other rate. */
function wireMeter(
  options: MeterSimulatorOptions | ((baud: number) => Uint8Array),
  everyMs = 5,
): void {
  const sim = typeof options === 'function' ? null : createMeterSimulator(options)
  const timer = setInterval(() => {
    const p = current
    if (p === null || !p.isOpen) return
    void p.getBaudRate().then(
      ({ baudRate }: { baudRate: number }) => {
        if (!p.isOpen) return
        let bytes: Uint8Array
        if (sim === null) bytes = (options as (baud: number) => Uint8Array)(baudRate)
        else {
          const f = sim.next()
          const meterBaud = SERIAL_SETTINGS[f.mode].baudRate
          bytes = baudRate === meterBaud ? f.bytes : uartMisread(f.bytes, meterBaud, baudRate)
        }
        if (bytes.length > 0) p.emitData(Buffer.from(bytes))
      },
      () => undefined,
    )
  }, everyMs)
  cleanups.push(() => clearInterval(timer))
}

function start(options: Partial<SerialSourceOptions> = {}): {
  source: SerialSource
  frames: DecodedFrame[]
  received: number[]
  discarded: string[]
} {
  MockBinding.createPort(PATH, { maxReadSize: 64 })
  const source = serialSource({
    path: PATH,
    binding,
    detectWindowMs: 150,
    silenceMs: 300,
    backoffInitialMs: 20,
    backoffMaxMs: 100,
    ...options,
  })
  const decoder = createTicDecoder({ reading: true })
  const frames: DecodedFrame[] = []
  const received: number[] = [0]
  const discarded: string[] = []
  const sub: Subscription = source.subscribe((chunk) => {
    received[0]! += chunk.length
    for (const e of decoder.push(chunk)) {
      if (e.kind === 'frame') frames.push(e.frame)
      else discarded.push(`${e.reason}:${String(e.byteCount)}`)
    }
  })
  cleanups.unshift(() => sub.unsubscribe())
  return { source, frames, received, discarded }
}

const until = (
  source: SerialSource,
  p: (s: SerialSourceState) => boolean,
): Promise<SerialSourceState> => firstValueFrom(source.state$.pipe(filter(p)))
const waitFor = async (p: () => boolean): Promise<void> => {
  while (!p()) await new Promise((r) => setTimeout(r, 10))
}

describe('serialSource with MockBinding', () => {
  it('detects historique at 1200 Bd and passes the bytes on, in 7E1', async () => {
    wireMeter({ mode: 'historique' })
    const { source, frames } = start()
    const locked = await until(source, (s) => s.status === 'locked')
    expect(locked).toMatchObject({ mode: 'historique', baudRate: 1200, reason: null })
    await waitFor(() => frames.length >= 3)
    expect(frames.every((f) => f.rejected.length === 0)).toBe(true)
    expect(current!.openOptions).toMatchObject({ dataBits: 7, parity: 'even', stopBits: 1 })
    expect(source.state()).toMatchObject({ status: 'locked' })
    expect(source.state().frames).toBeGreaterThan(0)
    expect(source.state().lastFrameAt).not.toBeNull()
  })

  it('finds standard at 9600 Bd after hearing garbage at 1200, and never passes the garbage on', async () => {
    wireMeter({ mode: 'standard' })
    const { source, frames, discarded } = start()
    const seen: SerialSourceState[] = []
    source.state$.subscribe((s) => seen.push(s))
    const locked = await until(source, (s) => s.status === 'locked')
    expect(locked).toMatchObject({ mode: 'standard', baudRate: 9600 })
    expect(seen.some((s) => s.status === 'detecting' && s.baudRate === 1200)).toBe(true)
    await waitFor(() => frames.length >= 2)
    expect(frames.every((f) => f.mode === 'standard' && f.rejected.length === 0)).toBe(true)
    // What reached the consumer is whole frames only: no group rejected, no byte discarded.
    expect(source.state().rejected).toBe(0)
    expect(discarded).toEqual([])
  })

  it('never locks onto noise and says why', async () => {
    let x = 7
    wireMeter(() => {
      const b = new Uint8Array(64)
      for (let i = 0; i < b.length; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24
      return b
    })
    const { source, received } = start()
    const s = await until(
      source,
      (st) =>
        st.status === 'detecting' && /neither|no valid TIC at 1200 or 9600/.test(st.reason ?? ''),
    )
    expect(s.reason).toBe('data, but no valid TIC at 1200 or 9600 Bd')
    await until(source, (st) => st.status === 'detecting' && st.baudRate === 9600)
    expect(received[0]).toBe(0)
  })

  it('says so when there is no data at all', async () => {
    const { source } = start()
    const s = await until(source, (st) => /no data at all/.test(st.reason ?? ''))
    expect(s.status).toBe('detecting')
  })

  it('locks under a few percent of bit errors', async () => {
    wireMeter({ mode: 'historique', faults: { bitErrorRate: 0.02 }, seed: 3 })
    const { source } = start()
    expect(await until(source, (s) => s.status === 'locked')).toMatchObject({ mode: 'historique' })
  })

  it('detects again after a silence when the meter switches from historique to standard', async () => {
    wireMeter({ mode: 'historique', faults: { modeSwitchAtMs: 60_000 } })
    const { source, frames } = start()
    expect(await until(source, (s) => s.status === 'locked')).toMatchObject({
      mode: 'historique',
      baudRate: 1200,
    })
    const again = await until(
      source,
      (s) => s.status === 'detecting' && s.reason !== null && /no valid frame/.test(s.reason),
    )
    expect(again.baudRate).toBe(9600)
    expect(
      await until(source, (s) => s.status === 'locked' && s.mode === 'standard'),
    ).toMatchObject({ baudRate: 9600 })
    await waitFor(() => frames.some((f) => f.mode === 'standard'))
    expect(frames[0]!.mode).toBe('historique')
  })

  it('reopens with backoff when the adapter is unplugged, and locks again when it is back', async () => {
    wireMeter({ mode: 'historique' })
    const { source } = start()
    await until(source, (s) => s.status === 'locked')
    const port = current!
    // Unplug: the device node disappears and the pending read fails, as on Linux.
    unplugged = true
    MockBinding.reset()
    current = null
    port.emitData(Buffer.from([0]))
    const down = await until(source, (s) => s.status === 'disconnected')
    expect(down.reason).toMatch(/EIO|disconnected/i)
    await until(source, (s) => s.status === 'disconnected' && s.disconnects >= 2)
    unplugged = false
    MockBinding.createPort(PATH, { maxReadSize: 64 })
    const back = await until(source, (s) => s.status === 'locked')
    expect(back.mode).toBe('historique')
    expect(back.disconnects).toBeGreaterThanOrEqual(2)
  })

  it('closes the port when unsubscribed, so that it can be opened again', async () => {
    wireMeter({ mode: 'historique' })
    const first = start()
    await until(first.source, (s) => s.status === 'locked')
    for (const c of cleanups.splice(0, 1)) c()
    expect(first.source.state().status).toBe('closed')
    const source = serialSource({ path: PATH, binding, detectWindowMs: 150 })
    const sub = source.subscribe(() => undefined)
    cleanups.unshift(() => sub.unsubscribe())
    expect(await until(source, (s) => s.status === 'locked')).toMatchObject({ mode: 'historique' })
  })

  it('with a fixed mode, opens at that rate and locks at once', async () => {
    wireMeter({ mode: 'standard' })
    const { source, frames } = start({ mode: 'standard' })
    expect(await until(source, (s) => s.status === 'locked')).toMatchObject({
      mode: 'standard',
      baudRate: 9600,
    })
    await waitFor(() => frames.length >= 1)
  })

  it('errors with SerialPortError when reconnect is off and the device is missing', async () => {
    const source = serialSource({ path: '/dev/nothing', binding, reconnect: false })
    await expect(firstValueFrom(source)).rejects.toMatchObject({
      name: 'SerialPortError',
      transient: true,
    })
    expect(() => serialSource({ path: '', binding })).toThrow(/"path"/)
    expect(() => serialSource({ path: PATH, binding, mode: 'fast' as 'auto' })).toThrow(/"mode"/)
  })
})
