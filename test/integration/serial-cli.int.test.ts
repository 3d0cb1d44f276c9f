import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { SERIAL_SETTINGS, createTicDecoder } from '@linkyrpi/tic-core'
import { replaySource } from '@linkyrpi/source-serial'
import { createMeterSimulator, uartMisread } from '@linkyrpi/simulator'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'
import { lastValueFrom, toArray } from 'rxjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CommandIo } from '../../apps/linkyrpi/src/commands/command.js'
import { detectMeter } from '../../apps/linkyrpi/src/commands/detect.js'
import { listPorts } from '../../apps/linkyrpi/src/commands/ports.js'
import { recordPort } from '../../apps/linkyrpi/src/commands/record.js'
import { trackedMockBinding } from '../support/mock-serial.js'

const mock = trackedMockBinding()
const { MockBinding, binding } = mock
const PATH = '/dev/ttyUSB0'
let dir: string
const timers: ReturnType<typeof setInterval>[] = []
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linky-serial-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => {
  for (const t of timers.splice(0)) clearInterval(t)
  mock.reset()
})

/** A simulated meter wired to the mock port, misread when the port is set to the other rate. */
function wire(feed: MeterSimulatorOptions | (() => Uint8Array)): void {
  MockBinding.createPort(PATH, {
    maxReadSize: 128,
    manufacturer: 'FTDI',
    vendorId: '0403',
    productId: '6001',
  })
  const sim = typeof feed === 'function' ? null : createMeterSimulator(feed)
  timers.push(
    setInterval(() => {
      const p = mock.current()
      if (p === null || !p.isOpen) return
      void p.getBaudRate().then(
        ({ baudRate }: { baudRate: number }) => {
          if (!p.isOpen) return
          if (sim === null) return p.emitData(Buffer.from((feed as () => Uint8Array)()))
          const f = sim.next()
          const meterBaud = SERIAL_SETTINGS[f.mode].baudRate
          p.emitData(
            Buffer.from(
              baudRate === meterBaud ? f.bytes : uartMisread(f.bytes, meterBaud, baudRate),
            ),
          )
        },
        () => undefined,
      )
    }, 5),
  )
}

function io(): CommandIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  stderr.on('data', (d: Buffer) => (err += d.toString()))
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  }
}

const detect = (over: Partial<Parameters<typeof detectMeter>[0]> = {}) =>
  detectMeter({
    path: PATH,
    binding,
    timeoutMs: 3000,
    mode: 'auto',
    baudRates: [1200, 9600],
    windowMs: 200,
    ...over,
  })

describe('linkyrpi detect / record / ports over MockBinding', () => {
  it('detect: a standard single-phase producer at 9600 Bd', async () => {
    wire({ mode: 'standard', producer: true, option: 'hc', seed: 5 })
    const r = await detect()
    expect(r).toMatchObject({
      found: {
        mode: 'standard',
        baudRate: 9600,
        phases: 1,
        producer: true,
        option: 'hc',
        meterKind: 'linky',
        subscribedVA: 6000,
        note: null,
      },
    })
  })

  it('detect: a historique three-phase CBETM at 1200 Bd', async () => {
    wire({ meter: 'cbetm', option: 'base', seed: 6 })
    const r = await detect()
    expect(r).toMatchObject({
      found: {
        mode: 'historique',
        baudRate: 1200,
        phases: 3,
        option: 'base',
        meterKind: 'pre-linky',
      },
    })
  })

  it('detect: fails with a clear reason and exit code 4 on silence and on garbage', async () => {
    MockBinding.createPort(PATH)
    expect(await detect({ timeoutMs: 800 })).toEqual({
      failed: expect.stringMatching(/no data at all/),
      exit: 4,
    })
    MockBinding.reset()
    let x = 1
    wire(() => Uint8Array.from({ length: 50 }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24))
    expect(await detect({ timeoutMs: 800 })).toEqual({
      failed: expect.stringMatching(/data, but no valid TIC at 1200 or 9600 Bd/),
      exit: 4,
    })
  })

  it('detect: fails with exit code 1 when the port cannot be opened', async () => {
    const r = await detect({ path: '/dev/ttyUSB9' })
    expect(r).toMatchObject({
      exit: 1,
      failed: expect.stringMatching(/cannot open \/dev\/ttyUSB9/),
    })
  })

  it('record: a timed recording that replays to the same frames', async () => {
    wire({ mode: 'historique', option: 'tempo', seed: 7 })
    const out = join(dir, 'meter.ticrec')
    const streams = io()
    expect(
      await recordPort(
        { path: PATH, binding, out, durationMs: 600, mode: 'auto', format: 'record' },
        streams,
      ),
    ).toBe(0)
    expect(streams.err()).toMatch(/historique at 1200 Bd/)
    const file = await readFile(out)
    expect(file.subarray(0, 8).toString()).toBe('LINKYREC')
    const chunks = await lastValueFrom(replaySource(out, { speed: 'max' }).pipe(toArray()))
    const frames = createTicDecoder()
      .push(Buffer.concat(chunks))
      .filter((e) => e.kind === 'frame')
    expect(frames.length).toBeGreaterThan(3)
  })

  it('ports: lists ports with what the system knows', async () => {
    MockBinding.createPort(PATH, { manufacturer: 'FTDI', vendorId: '0403', productId: '6001' })
    const streams = io()
    expect(await listPorts(binding, false, streams)).toBe(0)
    expect(streams.out()).toMatch(/^\/dev\/ttyUSB0 {2}FTDI, usb 0403:6001/)
  })
})
