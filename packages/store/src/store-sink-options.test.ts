import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveStoreSinkOptions } from './store-sink-options.js'

describe('resolveStoreSinkOptions', () => {
  it('applies the documented defaults', () => {
    const s = resolveStoreSinkOptions({}, 'store')
    expect(s).toMatchObject({
      batchSize: 1000,
      flushMs: 2000,
      attempts: 3,
      retryDelayMs: 250,
      outageRetryMs: 5000,
      maxQueueFrames: 20_000,
      retentionDays: 30,
      retentionIntervalMs: 3_600_000,
      completeTimeoutMs: 30_000,
      onFull: 'drop-newest',
      spoolCapacityBytes: 256 * 1024 * 1024,
    })
    expect(s.spoolDir).toBe(join(tmpdir(), 'linkyrpi-spool-store'))
  })
  it('keeps at least one frame per batch and one attempt; the queue bound follows the batch size', () => {
    expect(resolveStoreSinkOptions({ batchSize: 0, retry: { attempts: 0 } }, 's')).toMatchObject({
      batchSize: 1,
      attempts: 1,
      maxQueueFrames: 20,
    })
  })
})
