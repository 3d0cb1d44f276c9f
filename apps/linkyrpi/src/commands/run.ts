import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  chooseNode,
  ConfigError,
  DEFAULT_CONFIG,
  loadConfig,
  nodesOf,
  portSchema,
  startNode,
  validateConfig,
} from '@linkyrpi/pipeline'
import type { PipelineConfig } from '@linkyrpi/pipeline'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { LOG_LEVELS, createLogger } from '../logger.js'
import type { LogLevel } from '../logger.js'
import { createPlatform } from '../platform.js'
import { SIMULATE_SPEC_WORDS, parseSimulateSpec } from '../simulate-spec.js'
import { USUAL_PORTS, findMeter } from '@linkyrpi/source-serial'
import { NativeModuleError, checkSqlite } from '../native-module.js'
import { checkPort } from '../port-check.js'
import { loadSerialBinding } from '../serial-binding.js'

const HELP = `Usage: linkyrpi run [--config FILE | --port PATH] [--node NAME] [--data-dir DIR] [--http-port N] [--http-host ADDR]
                    [--simulate SPEC] [--log-level debug|info|warn|error] [--log-format json|pretty]

Runs the pipeline until SIGINT/SIGTERM (or until a finite source, such as a replay, ends).

Without --config it runs the embedded defaults: a simulated meter at real pace (historique,
single-phase, option hc, the same default as 'linkyrpi simulate') → decoder → SQLite store in
./data → dashboard on port 8080 (it prints the URL). Stage types whose package
is not part of this build are left out of the defaults. --port PATH reads the meter on that
serial port instead of the simulator (mode and rate detected). When a meter answers on one of
the usual ports (${USUAL_PORTS.join(', ')}) while the simulator runs, it says so.

With --config it runs what the file says (see docs/pipeline.md); --node picks which machine's
stages this process runs (default: the file's only node, else 'main').

Options:
  --config FILE      YAML configuration (see linkyrpi.config.example.yaml)
  --port PATH        the embedded defaults with the meter on this serial port, e.g. /dev/ttyUSB0
                     or /dev/serial0 (see 'linkyrpi ports'); not with --config
  --node NAME        run only the stages placed on this node
  --data-dir DIR     directory of embedded data (default ./data; overrides 'dataDir')
  --http-port N      dashboard port (default 8080; overrides 'port' of display stages)
  --http-host ADDR   address the dashboard listens on (default 127.0.0.1, this machine only;
                     0.0.0.0 for every browser on the LAN; overrides 'host' of display stages)
  --simulate SPEC    the simulated meter's profile, comma-separated words in any order:
                     ${SIMULATE_SPEC_WORDS}
                     e.g. tempo,3,producer (a producer gets standard mode); overrides the
                     'simulator' stages of the configuration. Each profile is its own meter id.
  --log-level L      debug, info (default), warn or error
  --log-format F     json (default under systemd or when not a terminal) or pretty

On SIGINT/SIGTERM sources complete first, then every sink flushes and acknowledges what it holds,
then the process exits 0. A second signal exits at once.

Exit codes: 0 stopped cleanly; 1 a stage failed, the port does not exist, cannot be opened or
is busy, or a native module does not load; 2 bad arguments; 3 invalid configuration.
`

/** `linkyrpi run`: the app. */
export const runCommand: Command = {
  name: 'run',
  help: HELP,
  async run(args, io) {
    const values = parse(args)
    const level = (values['log-level'] ?? 'info') as LogLevel
    if (!LOG_LEVELS.includes(level))
      throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`)
    const format = values['log-format']
    if (format !== undefined && format !== 'json' && format !== 'pretty')
      throw new UsageError('--log-format must be json or pretty')
    const httpPort = values['http-port'] === undefined ? undefined : Number(values['http-port'])
    if (httpPort !== undefined && !portSchema.safeParse(httpPort).success)
      throw new UsageError('--http-port must be a port number')
    const port = values.port
    if (port !== undefined && values.config !== undefined)
      throw new UsageError(
        "--port replaces the simulator of the embedded defaults: with --config, set the serial stage's 'path' in the file",
      )
    if (port !== undefined && port.trim() === '')
      throw new UsageError('--port must be a device path')
    if (port !== undefined && values.simulate !== undefined)
      throw new UsageError(
        '--port reads a real meter, --simulate picks a simulated one: give one of them',
      )
    const httpHost = values['http-host']
    if (httpHost !== undefined && httpHost.trim() === '')
      throw new UsageError('--http-host must be an address')
    const display = {
      ...(httpPort === undefined ? {} : { port: httpPort }),
      ...(httpHost === undefined ? {} : { host: httpHost }),
    }
    const simulate = values.simulate === undefined ? undefined : parseSimulateSpec(values.simulate)
    let simulated = 0
    const transform = (document: Record<string, unknown>): Record<string, unknown> => {
      const out = { ...document }
      if (values['data-dir'] !== undefined) out.dataDir = values['data-dir']
      if (
        (Object.keys(display).length > 0 || simulate !== undefined) &&
        typeof out.stages === 'object' &&
        out.stages !== null
      ) {
        const stages: Record<string, unknown> = {}
        for (const [id, stage] of Object.entries(out.stages as Record<string, unknown>)) {
          const s = stage as Record<string, unknown> | null
          if (s !== null && typeof s === 'object' && s.type === 'display')
            stages[id] = { ...s, ...display }
          else if (
            s !== null &&
            typeof s === 'object' &&
            s.type === 'simulator' &&
            simulate !== undefined
          ) {
            simulated++
            stages[id] = { ...s, ...simulate }
          } else stages[id] = stage
        }
        out.stages = stages
      }
      return out
    }
    let config: PipelineConfig
    try {
      config =
        values.config !== undefined
          ? await loadConfig(values.config, { env: io.env, transform })
          : await validateConfig(withPort(DEFAULT_CONFIG, port), { env: io.env, transform })
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`linkyrpi run: ${error.message}\n`)
        return EXIT.config
      }
      throw error
    }
    if (simulate !== undefined && simulated === 0)
      throw new UsageError('--simulate: the configuration has no simulator stage')
    const nodes = nodesOf(config)
    const node = chooseNode(config, values.node)
    if (!nodes.includes(node)) {
      io.stderr.write(
        `linkyrpi run: node '${node}' has no stages (nodes in this file: ${nodes.join(', ')})\n`,
      )
      return EXIT.config
    }
    const logger = createLogger({
      level,
      ...(format !== undefined ? { format } : {}),
      stream: io.stdout as NodeJS.WritableStream & { isTTY?: boolean },
      env: io.env,
    })
    const local = Object.values(config.stages).filter((s) => s.node === node)
    try {
      if (port !== undefined) {
        const problem = await checkPort(await loadSerialBinding(), port)
        if (problem !== null) {
          io.stderr.write(`linkyrpi run: ${problem}\n`)
          return EXIT.failure
        }
      }
      if (local.some((s) => s.type === 'sqlite')) await checkSqlite()
    } catch (error) {
      if (!(error instanceof NativeModuleError)) throw error
      io.stderr.write(`linkyrpi run: ${error.message}\n`)
      return EXIT.failure
    }
    if (local.some((s) => s.type === 'sqlite'))
      await mkdir(resolve(config.dataDir), { recursive: true })
    const platform = await createPlatform(config, node, logger, (url) =>
      io.stderr.write(`linkyrpi: dashboard at ${url}\n`),
    )
    const running = await startNode(config, { node, platform })
    const probe = new AbortController()
    if (values.config === undefined && port === undefined) void suggestMeter(io, probe.signal)
    const stop = (): void => {
      probe.abort()
      running.stop()
    }
    if (io.signal.aborted) stop()
    else io.signal.addEventListener('abort', stop, { once: true })
    try {
      await running.done
      return EXIT.ok
    } catch (error) {
      logger.error('stopped on failure', { error })
      return EXIT.failure
    } finally {
      probe.abort()
      io.signal.removeEventListener('abort', stop)
    }
  },
}

/** The embedded defaults with the simulator replaced by a serial meter on `port`. */
function withPort(
  config: typeof DEFAULT_CONFIG,
  port: string | undefined,
): Record<string, unknown> {
  if (port === undefined) return config
  const stages = { ...config.stages, meter: { type: 'serial', path: port, mode: 'auto' } }
  return { ...config, stages }
}

/**
 * While the embedded simulator runs: listens on the usual ports (LINKYRPI_PORTS, colon-separated,
 * overrides them) and, when a meter answers, says how to read it instead. Silent otherwise.
 */
async function suggestMeter(io: CommandIo, signal: AbortSignal): Promise<void> {
  try {
    const ports = io.env.LINKYRPI_PORTS?.split(':').filter(Boolean) ?? USUAL_PORTS
    const found = await findMeter({ binding: await loadSerialBinding(), ports }, signal)
    if (found === null || signal.aborted) return
    const d = found.detection
    io.stderr.write(
      `linkyrpi: a meter answers on ${found.path} (${d.meterKind} ${d.meterId ?? ''}, ${d.mode} mode at ${String(d.baudRate)} Bd), but this run shows a simulated meter. Read the real one with:\n  linkyrpi run --port ${found.path}\nor install the service for it: sudo linkyrpi setup\n`,
    )
  } catch {
    // Only a hint: no serial binding, no ports.
  }
}

function parse(args: readonly string[]) {
  return parseCommandArgs(args, {
    allowPositionals: false,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      node: { type: 'string' },
      'data-dir': { type: 'string' },
      'http-port': { type: 'string' },
      'http-host': { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      simulate: { type: 'string' },
    },
  }).values
}
