import { describe, expect, it } from 'vitest'
import { Statements } from './pg-statements.js'

/** A statement that resolves (or rejects) when told, recording when it was sent. */
function statement(
  log: string[],
  name: string,
): {
  run: () => Promise<string>
  finish: (error?: Error) => void
} {
  let finish: (error?: Error) => void = () => undefined
  return {
    run: () => {
      log.push(`send ${name}`)
      return new Promise<string>((resolve, reject) => {
        finish = (error) => (error === undefined ? resolve(name) : reject(error))
      })
    },
    finish: (error) => finish(error),
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('Statements', () => {
  it('sends each statement when the one before it is done, and a read after the deferred ones', async () => {
    const log: string[] = []
    const s = new Statements()
    const a = statement(log, 'a')
    const b = statement(log, 'b')
    s.defer(a.run)
    s.defer(b.run)
    const read = s.run(() => Promise.resolve('rows'))
    await tick()
    expect(log).toEqual(['send a'])
    a.finish()
    await tick()
    expect(log).toEqual(['send a', 'send b'])
    b.finish()
    await expect(read).resolves.toBe('rows')
    await expect(s.settle()).resolves.toBeUndefined()
  })

  it('the first deferred failure is the error: the statements behind it are not sent', async () => {
    const log: string[] = []
    const s = new Statements()
    const a = statement(log, 'a')
    const b = statement(log, 'b')
    s.defer(a.run)
    s.defer(b.run)
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' })
    await tick()
    a.finish(unique)
    await expect(s.run(() => Promise.resolve('rows'))).rejects.toBe(unique)
    await expect(s.settle()).rejects.toBe(unique)
    // A later statement failing because the transaction is aborted is not the cause.
    await expect(s.cause(new Error('current transaction is aborted'))).resolves.toBe(unique)
    expect(log).toEqual(['send a'])
  })

  it('without a deferred failure the cause is the error given', async () => {
    const s = new Statements()
    s.defer(() => Promise.resolve())
    const error = new Error('x')
    await expect(s.cause(error)).resolves.toBe(error)
  })
})
