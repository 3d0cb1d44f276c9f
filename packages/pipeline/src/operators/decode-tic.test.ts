import { from, lastValueFrom, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { buildFrame, bytesOf, concat, splits } from '@linkyrpi/tic-core/testing'
import { stampChunk } from '@linkyrpi/tic-core/stage'
import type { DiagnosticEvent, StageContext } from '@linkyrpi/tic-core/stage'
import { memoryLogger } from '../runtime/memory-logger.js'
import { decodeTic } from './decode-tic.js'

function context(events: DiagnosticEvent[] = [], now = () => 1_700_000_000_000): StageContext {
  return {
    stage: 'frames',
    logger: memoryLogger(),
    diagnostics: { report: (e) => events.push(e) },
    now,
  }
}

const F1 = buildFrame('historique', [
  ['ADCO', '021861348497'],
  ['OPTARIF', 'BASE'],
  ['ISOUSC', '30'],
  ['BASE', '001234567'],
  ['PTEC', 'TH..'],
  ['PAPP', '00750'],
])
const F2 = buildFrame('historique', [
  ['ADCO', '021861348497'],
  ['BASE', '001234568'],
  ['PAPP', '00760'],
])

describe('decodeTic', () => {
  it('stamps meta {seq, receivedAt, source} and builds the reading', async () => {
    const out = await lastValueFrom(
      from([concat([F1, F2])]).pipe(decodeTic(context(), { source: 'meter' }), toArray()),
    )
    expect(out.map((f) => f.meta)).toEqual([
      { seq: 1, receivedAt: 1_700_000_000_000, source: 'meter' },
      // Completed by the same chunk at the same instant: 1 ms later, never the same receive time.
      { seq: 2, receivedAt: 1_700_000_000_001, source: 'meter' },
    ])
    expect(out[0]?.reading.meter.id).toBe('021861348497')
    expect(out[1]?.reading.energy.importWh).toBe(1_234_568)
    expect(out[1]?.reading.power.apparentVA).toBe(760)
  })

  it('gives the same frames for every split of the bytes', async () => {
    for (const [a, b] of splits(F1)) {
      const out = await lastValueFrom(
        from([a, b]).pipe(decodeTic(context(), { source: 'meter' }), toArray()),
      )
      expect(out).toHaveLength(1)
      expect(out[0]?.groups.map((g) => g.label)).toEqual([
        'ADCO',
        'OPTARIF',
        'ISOUSC',
        'BASE',
        'PTEC',
        'PAPP',
      ])
    }
  })

  it('keeps unstamped receive times increasing through small clock steps back, and follows a clock that was set back', async () => {
    const clock = [5000, 5000, 4500, 9000, 2000]
    let i = 0
    const out = await lastValueFrom(
      from([F1, F2, F1, F2, F1]).pipe(
        decodeTic(
          context([], () => clock[i++]!),
          { source: 'meter' },
        ),
        toArray(),
      ),
    )
    expect(out.map((f) => f.meta.receivedAt)).toEqual([5000, 5001, 5002, 9000, 2000])
  })

  it('uses the stamp of the chunk that completes a frame as receivedAt', async () => {
    const out = await lastValueFrom(
      from([stampChunk(F1.slice(0, 10), 5), stampChunk(F1.slice(10), 42), F2]).pipe(
        decodeTic(context(), { source: 'sim' }),
        toArray(),
      ),
    )
    expect(out.map((f) => f.meta.receivedAt)).toEqual([42, 1_700_000_000_000])
  })

  it('reports rejected groups and discarded bytes as values, never as errors', async () => {
    const events: DiagnosticEvent[] = []
    const bad = F1.slice()
    const papp = bytesOf('PAPP 00750 ')
    const at = bad.findIndex((_, i) => papp.every((c, j) => bad[i + j] === c))
    bad[at + papp.length] = (bad[at + papp.length] as number) ^ 1 // flip PAPP's checksum
    const out = await lastValueFrom(
      from([bytesOf('garbage'), bad, F2.slice(0, 20)]).pipe(
        decodeTic(context(events), { source: 'm' }),
        toArray(),
      ),
    )
    expect(out).toHaveLength(1)
    expect(out[0]?.rejected).toHaveLength(1)
    expect(events).toEqual([
      { kind: 'bytes-discarded', stage: 'frames', reason: 'outside-frame', byteCount: 7 },
      expect.objectContaining({
        kind: 'group-rejected',
        stage: 'frames',
        rejection: expect.objectContaining({ label: 'PAPP', reason: 'checksum' }),
      }),
      { kind: 'bytes-discarded', stage: 'frames', reason: 'truncated', byteCount: 20 },
    ])
  })

  it('starts a new count and a clean state per subscription', async () => {
    const decoded = from([F1.slice(0, 30)]).pipe(decodeTic(context(), { source: 'm' }))
    const once = from([F1, F2]).pipe(decodeTic(context(), { source: 'm', firstSeq: 10 }))
    expect((await lastValueFrom(decoded.pipe(toArray()))).length).toBe(0)
    expect((await lastValueFrom(once.pipe(toArray()))).map((f) => f.meta.seq)).toEqual([10, 11])
    expect((await lastValueFrom(once.pipe(toArray()))).map((f) => f.meta.seq)).toEqual([10, 11])
  })
})
