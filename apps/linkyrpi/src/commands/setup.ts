import { DEFAULT_HTTP_PORT } from '@linkyrpi/pipeline'
import { chownSync, existsSync, lstatSync, mkdirSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { parseDuration } from '../duration.js'
import { USUAL_PORTS, findMeter } from '@linkyrpi/source-serial'
import type { FoundMeter } from '@linkyrpi/source-serial'
import { NativeModuleError, checkSqlite } from '../native-module.js'
import { loadSerialBinding } from '../serial-binding.js'
import { CONFIG_PATH, DATA_DIR, DEFAULT_PORT, renderConfig } from '../setup/config-file.js'
import { writeManagedFile } from '../setup/managed-file.js'
import type { ManagedOutcome } from '../setup/managed-file.js'
import { nextSteps } from '../setup/next-steps.js'
import { SetupError, inRoot, system } from '../setup/setup-context.js'
import type { SetupContext } from '../setup/setup-context.js'
import { SERVICE_USER, ensureServiceUser, lookupUser } from '../setup/system-user.js'
import {
  UNIT_NAME,
  UNIT_PATH,
  UNIT_WANTS,
  renderUnit,
  unitTemplate,
} from '../setup/service-unit.js'

const HELP = `Usage: linkyrpi setup [--dry-run] [--port PATH | --no-detect] [--timeout D] [--root DIR]

Prepares this machine (a Raspberry Pi, or any systemd Linux) to run LinkyRPi as a service, and
says what it does. Run it as root; running it again changes only what is missing or outdated.

  1. the system user '${SERVICE_USER}', in group 'dialout' (serial ports);
  2. ${CONFIG_PATH}: a serial meter on the port where a meter answers (the ports tried:
     ${USUAL_PORTS.join(', ')}), else on ${DEFAULT_PORT}, decoded, stored
     in SQLite and shown on the dashboard (http://127.0.0.1:8080). A configuration changed since
     setup wrote it is never overwritten;
  3. ${DATA_DIR}, owned by '${SERVICE_USER}';
  4. the systemd unit ${UNIT_PATH}, enabled and started;
  5. then it prints what is left to do (UART and serial console, kiosk browser) with the commands.

Options:
  --dry-run      print what would be done; change nothing (root not needed)
  --port PATH    the meter's port (it is still checked, unless --no-detect)
  --no-detect    do not listen for a meter (use --port, or ${DEFAULT_PORT})
  --timeout D    time given to each port when listening for a meter (default 12s)
  --root DIR     set up the system mounted at DIR (an SD card image) instead of this one:
                 files go under DIR, useradd/usermod get --prefix DIR, systemctl --root=DIR,
                 and nothing is started

Exit codes: 0 done; 1 not run as root, or a system command failed; 2 bad arguments.
`

function describe(outcome: ManagedOutcome, what: string, dryRun: boolean): string {
  const would = dryRun ? 'would be ' : ''
  switch (outcome) {
    case 'created':
      return `${what}: ${would}created`
    case 'updated':
      return `${what}: ${would}updated (setup wrote it and nobody changed it since)`
    case 'unchanged':
      return `${what}: up to date`
    case 'kept-changed':
      return `${what}: changed since setup wrote it: left as it is (remove it and run setup again for a fresh one)`
  }
}

/** The command a user should type to run this CLI as root. */
function sudoCommand(args: readonly string[]): string {
  const entry = process.argv[1] ?? 'linkyrpi'
  const cli = basename(entry) === 'linkyrpi' ? entry : `${process.execPath} ${entry}`
  return ['sudo', cli, 'setup', ...args].join(' ')
}

/** Runs setup with a context (tests give a fake root and fake system commands on PATH). */
export async function runSetup(
  ctx: SetupContext,
  o: { port: string | undefined; detect: boolean; timeoutMs: number; desktopUser: string },
  io: CommandIo,
): Promise<number> {
  if (ctx.dryRun) ctx.say('dry run: nothing is changed')
  if (ctx.root !== '/') ctx.say(`setting up the system at ${ctx.root}`)

  // 1. The meter's port.
  let found: FoundMeter | null = null
  if (o.detect) {
    const ports = o.port === undefined ? USUAL_PORTS : [o.port]
    ctx.say(
      `meter: listening on ${o.port ?? 'the usual ports'} (up to ${String(o.timeoutMs / 1000)} s each)`,
    )
    const binding = await loadSerialBinding()
    found = await findMeter(
      { binding, ports, timeoutMs: o.timeoutMs, onTry: (p) => ctx.say(`  trying ${p}`) },
      io.signal,
    )
  }
  const port = found?.path ?? o.port ?? DEFAULT_PORT
  if (found !== null)
    ctx.say(
      `meter: ${found.detection.meterKind} ${found.detection.meterId ?? ''} on ${found.path}, ${found.detection.mode} mode at ${String(found.detection.baudRate)} Bd`,
    )
  else
    ctx.say(
      `meter: ${o.detect ? 'no meter answered; ' : ''}using ${port}${o.port === undefined ? ' (the Raspberry Pi UART)' : ''}`,
    )

  // The embedded store's native module: said now rather than when the service starts.
  try {
    await checkSqlite()
  } catch (error) {
    if (!(error instanceof NativeModuleError)) throw error
    ctx.say(`warning: ${error.message}`)
  }

  // 2. The user.
  await ensureServiceUser(ctx, DATA_DIR)

  // 3. Configuration and data directory.
  const body = renderConfig(port, found?.detection ?? null)
  const config = writeManagedFile(ctx, inRoot(ctx, CONFIG_PATH), body, 0o644)
  ctx.say(describe(config, CONFIG_PATH, ctx.dryRun))
  if (ctx.dryRun && (config === 'created' || config === 'updated'))
    ctx.say(body.replace(/^/gm, '    | ').trimEnd())
  if (config === 'kept-changed' && found !== null)
    ctx.say(`  (the meter answered on ${port}: check that the file uses it)`)
  const data = inRoot(ctx, DATA_DIR)
  const account = lookupUser(ctx, SERVICE_USER)
  if (existsSync(data)) ctx.say(`${DATA_DIR}: exists`)
  else ctx.say(`${DATA_DIR}: ${ctx.dryRun ? 'would be ' : ''}created, owned by ${SERVICE_USER}`)
  if (!ctx.dryRun) {
    mkdirSync(data, { recursive: true, mode: 0o750 })
    if (account !== null) chownSync(data, account.uid, account.gid)
  }

  // 4. The service.
  const unit = writeManagedFile(
    ctx,
    inRoot(ctx, UNIT_PATH),
    renderUnit(
      unitTemplate(),
      process.execPath,
      fileURLToPath(new URL('../main.js', import.meta.url)),
    ),
    0o644,
  )
  ctx.say(describe(unit, UNIT_PATH, ctx.dryRun))
  const live = ctx.root === '/'
  // The link `systemctl enable` makes; in an image it points to a path of the image, so look at
  // the link itself.
  const enabled = lstatSync(inRoot(ctx, UNIT_WANTS), { throwIfNoEntry: false }) !== undefined
  if (live && unit !== 'unchanged' && unit !== 'kept-changed')
    await system(ctx, 'systemctl', ['daemon-reload'])
  if (!enabled) {
    ctx.say(
      `${UNIT_NAME}: ${ctx.dryRun ? 'would be ' : ''}enabled (starts at boot)${live ? ' and started' : ''}`,
    )
    await system(
      ctx,
      'systemctl',
      live ? ['enable', '--now', UNIT_NAME] : [`--root=${ctx.root}`, 'enable', UNIT_NAME],
    )
  } else if (live && (unit === 'updated' || config === 'updated' || config === 'created')) {
    ctx.say(`${UNIT_NAME}: enabled; ${ctx.dryRun ? 'would be ' : ''}restarted for the new settings`)
    await system(ctx, 'systemctl', ['restart', UNIT_NAME])
  } else {
    ctx.say(`${UNIT_NAME}: enabled`)
  }
  io.stdout.write(
    nextSteps(ctx, {
      port,
      desktopUser: o.desktopUser,
      url: `http://127.0.0.1:${String(DEFAULT_HTTP_PORT)}/`,
    }),
  )
  return EXIT.ok
}

/** `linkyrpi setup`: user, configuration, data directory and service in one idempotent command. */
export const setupCommand: Command = {
  name: 'setup',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      options: {
        'dry-run': { type: 'boolean' },
        port: { type: 'string' },
        'no-detect': { type: 'boolean' },
        timeout: { type: 'string' },
        root: { type: 'string' },
      },
    })
    const root = values.root ?? '/'
    if (!root.startsWith('/')) throw new UsageError('--root must be an absolute path')
    const timeoutMs =
      values.timeout === undefined ? 12_000 : parseDuration(values.timeout, '--timeout')
    const dryRun = values['dry-run'] === true
    if (!dryRun && process.getuid?.() !== 0) {
      io.stderr.write(
        `linkyrpi setup: must run as root (it creates a system user and installs a service). Run:\n  ${sudoCommand(args)}\nor see what it would do with: linkyrpi setup --dry-run\n`,
      )
      return EXIT.failure
    }
    const ctx: SetupContext = {
      root,
      dryRun,
      env: io.env,
      say: (line) => io.stdout.write(`${line}\n`),
    }
    try {
      return await runSetup(
        ctx,
        {
          port: values.port,
          detect: values['no-detect'] !== true,
          timeoutMs,
          desktopUser: io.env.SUDO_USER ?? 'pi',
        },
        io,
      )
    } catch (error) {
      if (!(error instanceof SetupError)) throw error
      io.stderr.write(`linkyrpi setup: ${error.message}\n`)
      return EXIT.failure
    }
  },
}
