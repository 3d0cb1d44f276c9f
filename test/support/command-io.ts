import { PassThrough, Writable } from 'node:stream'
import type { CommandIo } from '../../apps/linkyrpi/src/commands/command.js'

/** A `CommandIo` that records what a command writes, for in-process CLI tests. */
export function recordingIo(): CommandIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString())
        cb()
      },
    })
  return {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    stdin: new PassThrough(),
    env: {},
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  }
}
