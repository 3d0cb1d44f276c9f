import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with {
  'resolution-mode': 'require',
}
import { createMeterSimulator, uartMisread } from '@linkyrpi/simulator'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'
import { SERIAL_SETTINGS } from '@linkyrpi/tic-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { detectMeter } from './detect-meter.js'
import type { DetectMeterOptions } from './detect-meter.js'
import { findMeter } from './find-meter.js'

// The package's ESM entry has no type declarations; its CommonJS entry does.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingInterface
}
const timers: ReturnType<typeof setInterval>[] = []
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linky-detect-meter-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => {
  for (const t of timers.splice(0)) clearInterval(t)
  MockBinding.reset()
  current = null
})

let current: MockPortBinding | null = null
// MockBinding, plus a handle on the open port so that the meter can feed it.
const binding = {
  ...MockBinding,
  async open(o: Parameters<MockBindingInterface['open']>[0]) {
    return (current = await MockBinding.open(o))
  },
}

/** A simulated meter on a mock port at `path`, misread when the port is at the other rate. */
function wire(path: string, meter: MeterSimulatorOptions): void {
  MockBinding.createPort(path, { maxReadSize: 128 })
  const sim = createMeterSimulator(meter)
  const feed = (): void => {
    const p = current
    if (p === null || !p.isOpen) return
    void p.getBaudRate().then(
      ({ baudRate }: { baudRate: number }) => {
        if (!p.isOpen) return
        const f = sim.next()
        const meterBaud = SERIAL_SETTINGS[f.mode].baudRate
        const bytes = baudRate === meterBaud ? f.bytes : uartMisread(f.bytes, meterBaud, baudRate)
        p.emitData(Buffer.from(bytes))
      },
      () => undefined,
    )
  }
  timers.push(setInterval(feed, 5))
}

const options = (over: Partial<DetectMeterOptions> = {}): DetectMeterOptions => ({
  path: '/dev/ttyTIC',
  binding,
  timeoutMs: 3000,
  mode: 'auto',
  baudRates: [1200, 9600],
  windowMs: 150,
  ...over,
})

describe('detectMeter', () => {
  it('finds a standard meter at 9600 Bd after 1200, with its identity and contract', async () => {
    wire('/dev/ttyTIC', { mode: 'standard', producer: true, option: 'hc', seed: 5 })
    expect(await detectMeter(options())).toMatchObject({
      found: { mode: 'standard', baudRate: 9600, phases: 1, producer: true, option: 'hc' },
    })
  })

  it('says why it found nothing: silence, a locked mode without a frame, a port that does not open', async () => {
    MockBinding.createPort('/dev/ttyTIC')
    expect(await detectMeter(options({ timeoutMs: 500 }))).toEqual({
      failed: expect.stringMatching(/within 0.5 s: no data at all/),
      cause: 'not-found',
    })
    expect(await detectMeter(options({ timeoutMs: 300, mode: 'historique' }))).toEqual({
      failed: expect.stringMatching(/locked on historique at 1200 Bd but no complete valid frame/),
      cause: 'not-found',
    })
    expect(await detectMeter(options({ path: '/dev/ttyNONE' }))).toMatchObject({
      failed: expect.stringMatching(/^cannot open \/dev\/ttyNONE: /),
      cause: 'cannot-open',
    })
  })

  it('stops when the signal aborts', async () => {
    MockBinding.createPort('/dev/ttyTIC')
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    expect(await detectMeter(options(), ac.signal)).toEqual({
      failed: 'interrupted',
      cause: 'not-found',
    })
  })
})

describe('findMeter', () => {
  it('skips missing ports, tries a port and its link once, and returns the first that answers', async () => {
    const device = join(dir, 'ttyUSB0')
    const link = join(dir, 'serial0')
    await writeFile(device, '')
    await symlink(device, link)
    wire(link, { meter: 'cbetm', option: 'base', seed: 6 })
    const tried: string[] = []
    const found = await findMeter({
      binding,
      ports: [join(dir, 'missing'), link, device],
      windowMs: 150,
      onTry: (p) => tried.push(p),
    })
    expect(tried).toEqual([link])
    expect(found).toMatchObject({ path: link, detection: { mode: 'historique', phases: 3 } })
  })

  it('resolves to null when no listed port exists', async () => {
    expect(await findMeter({ binding, ports: [join(dir, 'none')] })).toBeNull()
  })
})
