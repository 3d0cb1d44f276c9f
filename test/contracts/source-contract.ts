import { firstValueFrom, lastValueFrom, take, toArray, timeout } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { Source, StageContext } from '@linkyrpi/tic-core/stage'
import { contractContext } from './sink-contract.js'

/** Options of {@link describeSourceContract}. */
export interface SourceContractOptions {
  /** The source ends by itself (a replay, a bounded simulation): it must complete without error. */
  readonly finite?: boolean
  /** Chunks to read in the open-ended cases (default 20). */
  readonly chunks?: number
  /** Longest wait for data, ms (default 10 000): a guard against hanging, not a speed check. */
  readonly waitMs?: number
}

/**
 * The conformance suite every source passes (house-style §2.6, §2.12): it emits `Uint8Array`
 * chunks that decode into TIC frames; it is cold (each subscription opens the device again and
 * gets its own bytes); unsubscribing stops the emissions and releases the device, so a new
 * subscription works; a finite source completes without error.
 *
 * `make(ctx)` builds the source (not subscribed).
 */
export function describeSourceContract(
  name: string,
  make: (ctx: StageContext) => Promise<Source> | Source,
  options: SourceContractOptions = {},
): void {
  const chunks = options.chunks ?? 20
  const waitMs = options.waitMs ?? 10_000
  describe(`source contract: ${name}`, () => {
    it('emits Uint8Array chunks that decode into frames', async () => {
      const source = await make(contractContext('contract-source'))
      const got = await lastValueFrom(source.pipe(take(chunks), timeout(waitMs), toArray()))
      expect(got.every((c) => c instanceof Uint8Array)).toBe(true)
      const decoder = createTicDecoder({ reading: true })
      const frames = got.flatMap((c) => decoder.push(c)).filter((e) => e.kind === 'frame')
      expect(frames.length).toBeGreaterThan(0)
    })

    it('is cold: a second subscription gets its own bytes from the start', async () => {
      const source = await make(contractContext('contract-source'))
      const a = await lastValueFrom(source.pipe(take(3), timeout(waitMs), toArray()))
      const b = await lastValueFrom(source.pipe(take(3), timeout(waitMs), toArray()))
      expect(b.length).toBe(3)
      expect(a.length).toBe(3)
    })

    it('stops emitting once unsubscribed, and can be subscribed again', async () => {
      const source = await make(contractContext('contract-source'))
      let after = 0
      let cut = false
      const sub = source.subscribe((chunk) => {
        expect(chunk).toBeInstanceOf(Uint8Array)
        if (cut) after += 1
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      cut = true
      sub.unsubscribe()
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(after).toBe(0)
      await expect(firstValueFrom(source.pipe(timeout(waitMs)))).resolves.toBeInstanceOf(Uint8Array)
    })

    if (options.finite === true) {
      it('completes without error at its end', async () => {
        const source = await make(contractContext('contract-source'))
        const got = await lastValueFrom(source.pipe(toArray()))
        expect(got.length).toBeGreaterThan(0)
      })
    }
  })
}
