import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with { 'resolution-mode': 'require' }
import { createMeterSimulator, encodeRecord, encodeRecordingHeader, replaySource, serialSource, simulatorSource } from '@linkyrpi/source-serial'
import { afterAll, beforeAll } from 'vitest'
import { describeSourceContract } from '../contracts/source-contract.js'

// The package's ESM entry has no type declarations; its CommonJS entry does.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as { MockBinding: MockBindingInterface }
const PATH = '/dev/ttyAMA0'
let current: MockPortBinding | null = null
const binding = {
  ...MockBinding,
  async open(options: Parameters<MockBindingInterface['open']>[0]) {
    current = await MockBinding.open(options)
    return current
  },
}
let meter: ReturnType<typeof setInterval> | undefined
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linky-source-contract-'))
  MockBinding.createPort(PATH, { maxReadSize: 64 })
  // A historique meter on the mock port, whichever subscription has it open.
  const sim = createMeterSimulator({ mode: 'historique', option: 'hc', seed: 12 })
  meter = setInterval(() => {
    if (current?.isOpen === true) current.emitData(Buffer.from(sim.next().bytes))
  }, 5)
})
afterAll(async () => {
  clearInterval(meter)
  MockBinding.reset()
  await rm(dir, { recursive: true, force: true })
})

async function capture(name: string, timed: boolean, frames: number): Promise<string> {
  const sim = createMeterSimulator({ mode: 'standard', option: 'tempo', seed: 4 })
  const parts: Uint8Array[] = timed ? [encodeRecordingHeader({ startedAt: new Date(sim.now).toISOString(), source: 'simulator' })] : []
  for (let i = 0; i < frames; i++) {
    const f = sim.next()
    parts.push(timed ? encodeRecord(f.at, f.bytes) : f.bytes)
  }
  const file = join(dir, name)
  await writeFile(file, Buffer.concat(parts))
  return file
}

describeSourceContract('serialSource (MockBinding, auto detection)', () => serialSource({ path: PATH, binding, detectWindowMs: 300 }))
describeSourceContract('simulatorSource (max speed, one simulated hour)', () => simulatorSource({ speed: 'max', durationMs: 3_600_000, seed: 3 }), { finite: true })
describeSourceContract('simulatorSource (real pace x50)', () => simulatorSource({ mode: 'standard', speed: 50 }))
describeSourceContract('replaySource (timed recording, x20)', async () => replaySource(await capture('rec.ticrec', true, 30), { speed: 20 }), { finite: true })
// 300 standard frames: several 64 KB reads, so several chunks at max speed.
describeSourceContract('replaySource (raw capture, max)', async () => replaySource(await capture('raw.tic', false, 300), { speed: 'max' }), { finite: true })
