import { describe, expect, it } from 'vitest'
import type { PipelineFrame } from './stage/index.js'
import { createPipelineFrameDecoder } from './pipeline-frame-decoder.js'
import { buildFrame, bytesOf } from './testing/index.js'

const F = buildFrame('historique', [
  ['ADCO', '021861348497'],
  ['PAPP', '00750'],
])

describe('createPipelineFrameDecoder', () => {
  it('numbers frames from firstSeq, stamps source and the receive time of the completing chunk, reports discards', () => {
    const d = createPipelineFrameDecoder({ source: 'meter', firstSeq: 7 })
    const frames: PipelineFrame[] = []
    const discarded: number[] = []
    const sink = {
      frame: (f: PipelineFrame) => frames.push(f),
      discarded: (e: { byteCount: number }) => discarded.push(e.byteCount),
    }
    let calls = 0
    d.write(bytesOf('xx'), () => (calls++, 1), sink)
    d.write(F.subarray(0, 10), () => (calls++, 2), sink)
    d.write(F.subarray(10), () => (calls++, 3), sink)
    d.write(F, () => (calls++, 4), sink)
    d.end(() => 5, sink)
    expect(frames.map((f) => f.meta)).toEqual([
      { seq: 7, receivedAt: 3, source: 'meter' },
      { seq: 8, receivedAt: 4, source: 'meter' },
    ])
    expect(frames[0]?.reading.meter.id).toBe('021861348497')
    expect(calls).toBe(2) // the clock is read only when a frame completes
    expect(discarded).toEqual([2])
  })
})
