import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  encodeRecord,
  encodeRecordingHeader,
  replaySource,
  serialSource,
} from '@linkyrpi/source-serial'
import { simulatorSource } from '@linkyrpi/pipeline'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { afterAll, beforeAll } from 'vitest'
import { describeSourceContract } from '../contracts/source-contract.js'
import { trackedMockBinding } from '../support/mock-serial.js'

const mock = trackedMockBinding()
const { MockBinding, binding } = mock
const PATH = '/dev/ttyAMA0'
let meter: ReturnType<typeof setInterval> | undefined
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linky-source-contract-'))
  MockBinding.createPort(PATH, { maxReadSize: 64 })
  // A historique meter on the mock port, whichever subscription has it open.
  const sim = createMeterSimulator({ mode: 'historique', option: 'hc', seed: 12 })
  meter = setInterval(() => {
    const port = mock.current()
    if (port?.isOpen === true) port.emitData(Buffer.from(sim.next().bytes))
  }, 5)
})
afterAll(async () => {
  clearInterval(meter)
  mock.reset()
  await rm(dir, { recursive: true, force: true })
})

async function capture(name: string, timed: boolean, frames: number): Promise<string> {
  const sim = createMeterSimulator({ mode: 'standard', option: 'tempo', seed: 4 })
  const parts: Uint8Array[] = timed
    ? [encodeRecordingHeader({ startedAt: new Date(sim.now).toISOString(), source: 'simulator' })]
    : []
  for (let i = 0; i < frames; i++) {
    const f = sim.next()
    parts.push(timed ? encodeRecord(f.at, f.bytes) : f.bytes)
  }
  const file = join(dir, name)
  await writeFile(file, Buffer.concat(parts))
  return file
}

describeSourceContract('serialSource (MockBinding, auto detection)', () =>
  serialSource({ path: PATH, binding, detectWindowMs: 300 }),
)
describeSourceContract(
  'simulatorSource (max speed, one simulated hour)',
  () => simulatorSource({ speed: 'max', durationMs: 3_600_000, seed: 3 }),
  { finite: true },
)
describeSourceContract('simulatorSource (real pace x50)', () =>
  simulatorSource({ mode: 'standard', speed: 50 }),
)
describeSourceContract(
  'replaySource (timed recording, x20)',
  async () => replaySource(await capture('rec.ticrec', true, 30), { speed: 20 }),
  { finite: true },
)
// 300 standard frames: several 64 KB reads, so several chunks at max speed.
describeSourceContract(
  'replaySource (raw capture, max)',
  async () => replaySource(await capture('raw.tic', false, 300), { speed: 'max' }),
  { finite: true },
)
