import { spawn } from 'node:child_process'
import type { ChildProcessByStdio } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'

/** A pseudo-terminal created by socat: bytes written to `input` come out of `path`. */
export interface PtyBridge {
  /** The device path readers open (`/dev/pts/N`, or the requested link). */
  readonly path: string
  /** Where to write the bytes (socat's standard input). */
  readonly input: Writable
  /** Stops socat; resolves when it has exited. */
  close(): Promise<void>
}

/**
 * Starts `socat -d -d STDIO PTY,raw,echo=0[,link=LINK]` and resolves with the pty's path once
 * socat reports it. Rejects with a clear message when socat is missing or fails to start.
 * A pty ignores baud rate and parity: readers get the bytes as written (toolchain.md §5).
 */
export async function openPtyBridge(link?: string): Promise<PtyBridge> {
  const address = `PTY,raw,echo=0${link === undefined ? '' : `,link=${link}`}`
  let child: ChildProcessByStdio<Writable, null, Readable>
  try {
    child = spawn('socat', ['-d', '-d', 'STDIO', address], { stdio: ['pipe', 'ignore', 'pipe'] })
  } catch (error) {
    throw new Error('cannot start socat (install it: apt-get install socat)', { cause: error })
  }
  const path = await new Promise<string>((resolve, reject) => {
    let text = ''
    const onData = (d: Buffer): void => {
      text += d.toString()
      const m = /PTY is (\S+)/.exec(text)
      if (m !== null && /starting data transfer loop/.test(text)) {
        child.stderr.off('data', onData)
        resolve(link ?? m[1]!)
      }
    }
    child.stderr.on('data', onData)
    child.once('error', (error) =>
      reject(
        new Error(
          `cannot start socat (${(error as NodeJS.ErrnoException).code ?? error.message}); install it: apt-get install socat`,
          { cause: error },
        ),
      ),
    )
    child.once('exit', (code) =>
      reject(new Error(`socat exited with code ${String(code)}: ${text.trim()}`)),
    )
  })
  child.stderr.resume()
  return {
    path,
    input: child.stdin,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.stdin.end()
        child.kill('SIGTERM')
      }),
  }
}
