import type { Command } from './command.js'

/** A command as the CLI lists it; its module (and its dependencies) load only when it runs. */
export interface CommandEntry {
  /** The word(s) after `linkyrpi`. */
  readonly name: string
  /** One line for the command list. */
  readonly summary: string
  /** Imports the command's module. */
  load(): Promise<Command>
}

/**
 * Every command of the CLI, in the order `linkyrpi --help` lists them. Each lives in its own
 * file under `commands/` and is imported lazily, so that `decode` does not pay for loading NATS,
 * Kysely or serialport. Add an entry here to register one.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'run',
    summary: 'run the pipeline (embedded defaults: simulator → SQLite → dashboard on :8080)',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'decode',
    summary: 'decode a TIC capture (file or stdin) to JSON lines, a readable view or a summary',
    load: async () => (await import('./decode.js')).decodeCommand,
  },
  {
    name: 'config check',
    summary: 'validate a configuration file and report every problem at once',
    load: async () => (await import('./config-check.js')).configCheckCommand,
  },
  {
    name: 'simulate',
    summary: 'run a virtual meter (historique/standard, any option) onto stdout, a file or a pty',
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  {
    name: 'replay',
    summary: 'replay a recording or raw capture at its original pace (or faster), printing frames',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  {
    name: 'ports',
    summary: 'list the serial ports of this machine',
    load: async () => (await import('./ports.js')).portsCommand,
  },
  {
    name: 'detect',
    summary: 'find the TIC mode and baud rate on a serial port, and identify the meter',
    load: async () => (await import('./detect.js')).detectCommand,
  },
  {
    name: 'record',
    summary: 'record a meter to a file (bytes with receive times) for replay',
    load: async () => (await import('./record.js')).recordCommand,
  },
  {
    name: 'report',
    summary: 'energy, cost, contract comparison and advice for a range of days, from a store',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'setup',
    summary:
      'prepare this machine: service user, /etc/linkyrpi config for the meter found, systemd unit',
    load: async () => (await import('./setup.js')).setupCommand,
  },
  {
    name: 'db migrate',
    summary: 'create or upgrade the storage schema of a SQLite file or PostgreSQL database',
    load: async () => (await import('./db-migrate.js')).dbMigrateCommand,
  },
  {
    name: 'automation simulate',
    summary: 'run the automation rules over a capture (no actuator touched): switches and summary',
    load: async () => (await import('./automation-simulate.js')).automationSimulateCommand,
  },
  {
    name: 'automation status',
    summary:
      "show (or override) the outputs of a running node's automation stage, through its dashboard API",
    load: async () => (await import('./automation-status.js')).automationStatusCommand,
  },
]
