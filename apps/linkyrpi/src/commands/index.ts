import type { Command } from './command.js'
import { decodeCommand } from './decode.js'
import { simulateCommand } from './simulate.js'
import { replayCommand } from './replay.js'
import { portsCommand } from './ports.js'
import { detectCommand } from './detect.js'
import { recordCommand } from './record.js'
import { runCommand } from './run.js'
import { configCheckCommand } from './config-check.js'
import { dbMigrateCommand } from './db-migrate.js'

/**
 * Every command of the CLI, in the order `linkyrpi --help` lists them. Each lives in its own
 * file under `commands/`; add a line here to register one.
 */
export const COMMANDS: readonly Command[] = [runCommand, decodeCommand, configCheckCommand, simulateCommand, replayCommand, portsCommand, detectCommand, recordCommand, dbMigrateCommand]
