import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'

/** What a command may use of the process: streams and exit code only through these. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  readonly stdin: NodeJS.ReadableStream
  readonly env: NodeJS.ProcessEnv
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly and resolve. */
  readonly signal: AbortSignal
}

/** One `linkyrpi <name>` command. */
export interface Command {
  /** The word after `linkyrpi` (`decode`, `config check`). */
  readonly name: string
  /** Full `--help` text: usage, options with defaults and units, exit codes. */
  readonly help: string
  /** Runs the command with its own arguments; resolves to the process exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>
}

/** Thrown for bad command-line arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * `node:util`'s `parseArgs` over a command's own arguments, strict: an unknown option or a missing
 * value becomes a {@link UsageError} (printed with the usage, exit code 2).
 */
export function parseCommandArgs<T extends Omit<ParseArgsConfig, 'args'>>(
  args: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[] }>> {
  try {
    return parseArgs({ ...config, args: [...args] })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** Exit codes shared by every command (documented in README.md, CLI reference). */
export const EXIT = {
  ok: 0,
  /** Runtime failure: unreadable file, device or service failure beyond retries. */
  failure: 1,
  /** Bad arguments or usage. */
  usage: 2,
  /** Invalid configuration file. */
  config: 3,
  /** Nothing found (detect: no TIC signal). */
  notFound: 4,
} as const
