import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import type { Actuator } from './actuator.js'

/** Options of {@link gpioActuator}. */
export interface GpioActuatorOptions {
  /** Chip name (`gpiochip0`) or path. */
  readonly chip: string
  /** Line offset. */
  readonly line: number
  /** On = line low. */
  readonly activeLow: boolean
  /** The `gpioset` executable (libgpiod 1.6 or 2.x tools). */
  readonly gpioset: string
  /** How long gpioset must stay up to count as holding the line, ms (default 300). */
  readonly settleMs?: number
}

/** Thrown when gpioset cannot be run or exits (line busy, no such chip or line). */
export class GpioActuatorError extends Error {
  override readonly name = 'GpioActuatorError'
}

/** `gpioset --version` → major version of libgpiod (1 or 2). */
function libgpiodMajor(gpioset: string): Promise<1 | 2> {
  return new Promise((resolve, reject) => {
    execFile(gpioset, ['--version'], { timeout: 5000 }, (error, stdout) => {
      if (error !== null) {
        reject(
          new GpioActuatorError(
            `cannot run '${gpioset} --version' (install Debian's gpiod package)`,
            { cause: error },
          ),
        )
        return
      }
      // `gpioset (libgpiod) v1.6.3` or `gpioset (libgpiod) v2.1.3`
      resolve(/\bv1\.\d/.test(stdout) ? 1 : 2)
    })
  })
}

/**
 * GPIO actuator over the Linux character device, through a long-lived `gpioset` process that
 * holds the line at its value (libgpiod 1.6: `--mode=signal`; 2.x holds by default). A switch
 * ends the holder and starts one with the new value; `set` resolves once the new holder has run
 * `settleMs` without exiting (an exit means the line is busy or does not exist: the error
 * carries gpioset's message). No native module: the package `gpiod` of Raspberry Pi OS/Debian.
 * `close` ends the holder: the kernel then releases the line (most drivers keep the last value).
 */
export function gpioActuator(options: GpioActuatorOptions): Actuator {
  const settleMs = options.settleMs ?? 300
  let major: Promise<1 | 2> | undefined
  let holder: ChildProcess | undefined

  async function stop(): Promise<void> {
    const h = holder
    holder = undefined
    if (h === undefined || h.exitCode !== null || h.signalCode !== null) return
    await new Promise<void>((resolve) => {
      h.once('exit', () => resolve())
      h.kill('SIGTERM')
    })
  }

  return {
    async set(state) {
      major ??= libgpiodMajor(options.gpioset).catch((error: unknown) => {
        major = undefined
        throw error
      })
      const v = await major
      const value = `${String(options.line)}=${state === 'on' ? '1' : '0'}`
      const args =
        v === 1
          ? ['--mode=signal', ...(options.activeLow ? ['--active-low'] : []), options.chip, value]
          : [...(options.activeLow ? ['--active-low'] : []), '--chip', options.chip, value]
      await stop()
      const child = spawn(options.gpioset, args, { stdio: ['ignore', 'ignore', 'pipe'] })
      holder = child
      let stderr = ''
      child.stderr?.setEncoding('utf8')
      child.stderr?.on('data', (d: string) => {
        if (stderr.length < 2000) stderr += d
      })
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('exit', onExit)
          resolve()
        }, settleMs)
        const onExit = (code: number | null): void => {
          clearTimeout(timer)
          if (holder === child) holder = undefined
          reject(
            new GpioActuatorError(
              `gpioset ${args.join(' ')} exited with ${String(code)}${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`,
            ),
          )
        }
        child.once('exit', onExit)
        child.once('error', (error) => {
          clearTimeout(timer)
          if (holder === child) holder = undefined
          reject(new GpioActuatorError(`cannot run '${options.gpioset}'`, { cause: error }))
        })
      })
    },
    close: stop,
  }
}
