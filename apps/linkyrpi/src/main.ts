#!/usr/bin/env node
// No 'reflect-metadata' here: @linkyrpi/pipeline loads it before tsyringe, and the commands that
// do not run a pipeline (report, decode, simulate…) do not pay for it.
import { readFileSync } from 'node:fs'
import { COMMANDS } from './commands/index.js'
import { EXIT, UsageError } from './commands/command.js'
import type { CommandIo } from './commands/command.js'
import type { CommandEntry } from './commands/index.js'

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `linkyrpi — read French Enedis electricity meters (TIC)\n\nUsage: linkyrpi <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'linkyrpi <command> --help' for a command's options.\n`
}

/** Finds the command named by the first one or two words of `argv`. */
function findCommand(
  argv: readonly string[],
): { entry: CommandEntry; rest: readonly string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ')
    const entry = COMMANDS.find((c) => c.name === name)
    if (entry !== undefined) return { entry, rest: argv.slice(words) }
  }
  return undefined
}

/** The version of the package this file belongs to (the app's package.json, in the repository or installed). */
function version(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version?: string }
  return manifest.version ?? 'unknown'
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(usage())
    return argv.length === 0 ? EXIT.usage : EXIT.ok
  }
  if (argv[0] === '--version') {
    process.stdout.write(`linkyrpi ${version()}\n`)
    return EXIT.ok
  }
  const found = findCommand(argv)
  if (found === undefined) {
    process.stderr.write(`linkyrpi: unknown command '${argv[0] ?? ''}'\n\n${usage()}`)
    return EXIT.usage
  }
  const { entry, rest } = found
  const command = await entry.load()
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help)
    return EXIT.ok
  }
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const io: CommandIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`linkyrpi ${command.name}: ${error.message}\n\n${command.help}`)
      return EXIT.usage
    }
    process.stderr.write(
      `linkyrpi ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`,
    )
    return EXIT.failure
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`linkyrpi: ${String(error)}\n`)
    process.exitCode = EXIT.failure
  },
)
