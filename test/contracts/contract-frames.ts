import { createPipelineFrameDecoder } from '@linkyrpi/tic-core'
import type { TicMode } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { createMeterSimulator } from '@linkyrpi/simulator'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'

/**
 * `count` real pipeline frames from the simulator (decoded by tic-core), with `meta.seq` from 1 and
 * `receivedAt` the simulated time. `mode` alternates per call site; `seed` picks the meter;
 * `meter` sets any other simulator option (option, phases, producer, interval).
 */
export function contractFrames(
  count: number,
  options: {
    mode?: TicMode
    seed?: number
    source?: string
    start?: number
    meter?: MeterSimulatorOptions
  } = {},
): PipelineFrame[] {
  const sim = createMeterSimulator({
    mode: options.mode ?? 'historique',
    seed: options.seed ?? 11,
    ...(options.start !== undefined ? { start: options.start } : {}),
    intervalMs: 60_000,
    ...options.meter,
  })
  const decoder = createPipelineFrameDecoder({ source: options.source ?? 'contract' })
  const out: PipelineFrame[] = []
  const sink = { frame: (f: PipelineFrame) => out.push(f) }
  while (out.length < count) {
    const simulated = sim.next()
    decoder.write(simulated.bytes, () => simulated.at, sink)
  }
  return out.slice(0, count)
}

/** A frame whose data is bad in every way a sink must tolerate: rejected groups, no meter id, no values. */
export function degenerateFrame(seq: number, receivedAt: number): PipelineFrame {
  const good = contractFrames(1)[0] as PipelineFrame
  return {
    ...good,
    groups: [],
    rejected: [
      { raw: 'PAPP 0075O ?', reason: 'checksum', label: 'PAPP' },
    ] as unknown as PipelineFrame['rejected'],
    reading: { ...good.reading, meter: { ...good.reading.meter, id: null } },
    meta: { seq, receivedAt, source: 'contract' },
  }
}
