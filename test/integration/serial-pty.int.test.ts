import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { autoDetect } from '@serialport/bindings-cpp'
import { simulatorSource } from '@linkyrpi/pipeline'
import { serialSource } from '@linkyrpi/source-serial'
import type { SerialBinding, SerialSourceState } from '@linkyrpi/source-serial'
import type { SimulatedFrame } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame } from '@linkyrpi/tic-core'
import { filter, firstValueFrom } from 'rxjs'
import type { Subscription } from 'rxjs'
import { afterEach, expect, it } from 'vitest'
import { detectMeter } from '../../apps/linkyrpi/src/commands/detect.js'
import { describeWithService } from '../support/services.js'
import { matches } from '../support/matches.js'

const SOCAT = spawnSync('socat', ['-V']).status === 0
const binding = autoDetect() as unknown as SerialBinding

interface PtyPair {
  readonly writer: string
  readonly reader: string
  readonly socat: ChildProcess
}

/** `socat pty,raw,echo=0 pty,raw,echo=0`: two linked pseudo-terminals (toolchain.md §5). */
async function ptyPair(): Promise<PtyPair> {
  const socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const paths = await new Promise<string[]>((resolve, reject) => {
    let text = ''
    socat.stderr!.on('data', (d: Buffer) => {
      text += d.toString()
      const found = [...text.matchAll(/PTY is (\S+)/g)].map((m) => m[1]!)
      if (found.length === 2 && text.includes('starting data transfer loop')) resolve(found)
    })
    socat.once('exit', (code) => reject(new Error(`socat exited ${String(code)}: ${text}`)))
  })
  return { writer: paths[0]!, reader: paths[1]!, socat }
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

/** Plays a simulated meter onto the writer end, 20 times faster than real time. */
function playMeter(
  path: string,
  options: Parameters<typeof simulatorSource>[0],
  frames: SimulatedFrame[],
): void {
  const out: WriteStream = createWriteStream(path)
  // Writes still queued when the test tears the pty down fail; that is the end of the line, not a fault.
  const lateErrors: Error[] = []
  out.on('error', (error) => lateErrors.push(error))
  const sub: Subscription = simulatorSource({
    ...options,
    speed: 20,
    onFrame: (f) => frames.push(f),
  }).subscribe((chunk) => out.write(chunk))
  cleanups.push(() => {
    sub.unsubscribe()
    out.destroy()
  })
}

describeWithService('socat', SOCAT, 'serial source through a real pty pair (socat)', () => {
  for (const mode of ['historique', 'standard'] as const) {
    it(`detects and decodes a simulated ${mode} three-phase Tempo meter end to end`, async () => {
      const pty = await ptyPair()
      cleanups.push(() => pty.socat.kill())
      const sent: SimulatedFrame[] = []
      playMeter(pty.writer, { mode, phases: 3, option: 'tempo', seed: 11 }, sent)
      const source = serialSource({ path: pty.reader, binding, detectWindowMs: 1500 })
      const decoder = createTicDecoder({ reading: true })
      const frames: DecodedFrame[] = []
      const sub = source.subscribe((chunk) => {
        for (const e of decoder.push(chunk)) if (e.kind === 'frame') frames.push(e.frame)
      })
      cleanups.unshift(() => sub.unsubscribe())
      const locked: SerialSourceState = await firstValueFrom(
        source.state$.pipe(filter((s) => s.status === 'locked')),
      )
      // A pty ignores baud rate and parity: the mode comes from the data, whatever rate was set.
      expect(locked.mode).toBe(mode)
      while (frames.length < 4) await new Promise((r) => setTimeout(r, 20))
      for (const f of frames) expect(f.rejected).toEqual([])
      // Each decoded frame is one the simulator sent, field for field.
      for (const f of frames)
        expect(
          sent.some((s) =>
            matches({ ...f.reading!, alerts: [...f.reading!.alerts].sort() }, s.expected),
          ),
        ).toBe(true)
      expect(source.state().frames).toBeGreaterThanOrEqual(4)
    })
  }

  it('linkyrpi detect finds mode, meter, phases and contract on the pty', async () => {
    const pty = await ptyPair()
    cleanups.push(() => pty.socat.kill())
    playMeter(
      pty.writer,
      { mode: 'historique', phases: 1, option: 'hc', meter: 'cbemm', icc: true, seed: 2 },
      [],
    )
    const r = await detectMeter({
      path: pty.reader,
      binding,
      timeoutMs: 20_000,
      mode: 'auto',
      baudRates: [1200, 9600],
      windowMs: 1500,
    })
    expect(r).toMatchObject({
      found: {
        mode: 'historique',
        phases: 1,
        option: 'hc',
        meterKind: 'pre-linky',
        subscribedVA: 6000,
      },
    })
  })
})
