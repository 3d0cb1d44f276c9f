import { spawn } from 'node:child_process'
import type { Actuator } from './actuator.js'

/** Options of {@link shellActuator}. */
export interface ShellActuatorOptions {
  /** Run by `/bin/sh -c`. */
  readonly command: string
  /** Killed after this long, ms. */
  readonly timeoutMs: number
}

/** Thrown when the command fails (exit status, signal, timeout). */
export class ShellActuatorError extends Error {
  override readonly name = 'ShellActuatorError'
}

/**
 * Runs a command per switch with LINKY_OUTPUT, LINKY_STATE (`on`/`off`), LINKY_REASON and LINKY_T
 * (epoch ms) in its environment; exit status 0 is success. Its stderr ends up in the error.
 */
export function shellActuator(options: ShellActuatorOptions): Actuator {
  return {
    set: (state, c) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', options.command], {
          env: {
            ...process.env,
            LINKY_OUTPUT: c.output,
            LINKY_STATE: state,
            LINKY_REASON: c.reason,
            LINKY_T: String(c.t),
          },
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: options.timeoutMs,
        })
        let stderr = ''
        child.stderr.setEncoding('utf8')
        child.stderr.on('data', (d: string) => {
          if (stderr.length < 2000) stderr += d
        })
        child.on('error', (error) =>
          reject(new ShellActuatorError(`cannot run '${options.command}'`, { cause: error })),
        )
        child.on('close', (code, signal) => {
          if (code === 0) resolve()
          else
            reject(
              new ShellActuatorError(
                `'${options.command}' ${signal !== null ? `killed by ${signal}` : `exited with ${String(code)}`}${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`,
              ),
            )
        })
      }),
    close: () => Promise.resolve(),
  }
}
