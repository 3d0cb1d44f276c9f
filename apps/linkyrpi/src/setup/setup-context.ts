import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** What setup works on and how it reports. */
export interface SetupContext {
  /** The system's root directory: `/`, or an image mounted elsewhere (`--root`). */
  readonly root: string
  /** Print what would be done, change nothing. */
  readonly dryRun: boolean
  /** Environment (PATH for useradd, systemctl…). */
  readonly env: NodeJS.ProcessEnv
  /** One line of progress. */
  say(line: string): void
}

/** A path of the system being set up. */
export function inRoot(ctx: SetupContext, path: string): string {
  return ctx.root === '/' ? path : join(ctx.root, path)
}

/** Thrown when a system command fails: setup stops there. */
export class SetupError extends Error {
  override readonly name = 'SetupError'
}

/** Runs a system command (prints it first); rejects with its output when it fails. */
export function system(ctx: SetupContext, command: string, args: readonly string[]): Promise<void> {
  ctx.say(`  $ ${[command, ...args].join(' ')}`)
  if (ctx.dryRun) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: ctx.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', (error) => reject(new SetupError(`${command}: ${error.message}`)))
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new SetupError(
              `${command} ${args.join(' ')} failed (exit ${String(code)}): ${output.trim()}`,
            ),
          ),
    )
  })
}
