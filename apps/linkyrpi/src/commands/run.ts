import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ConfigError, DEFAULT_CONFIG, loadConfig, nodesOf, portSchema, startNode, validateConfig } from '@linkyrpi/pipeline'
import type { PipelineConfig } from '@linkyrpi/pipeline'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'
import { LOG_LEVELS, createLogger } from '../logger.js'
import type { LogLevel } from '../logger.js'
import { createPlatform } from '../platform.js'
import { SIMULATE_SPEC_WORDS, parseSimulateSpec } from '../simulate-spec.js'

const HELP = `Usage: linkyrpi run [--config FILE] [--node NAME] [--data-dir DIR] [--http-port N] [--http-host ADDR]
                    [--simulate SPEC] [--log-level debug|info|warn|error] [--log-format json|pretty]

Runs the pipeline until SIGINT/SIGTERM (or until a finite source, such as a replay, ends).

Without --config it runs the embedded defaults: a simulated meter at real pace (historique,
single-phase, option hc, the same default as 'linkyrpi simulate') → decoder → SQLite store in
./data → dashboard on port 8080 (it prints the URL). Stage types whose package
is not part of this build are left out of the defaults.

With --config it runs what the file says (see docs/pipeline.md); --node picks which machine's
stages this process runs (default: the file's only node, else 'main').

Options:
  --config FILE      YAML configuration (see linkyrpi.config.example.yaml)
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

Exit codes: 0 stopped cleanly, 1 a stage failed, 2 bad arguments, 3 invalid configuration.
`

/** `linkyrpi run`: the app. */
export const runCommand: Command = {
  name: 'run',
  help: HELP,
  async run(args, io) {
    const values = parse(args)
    const level = (values['log-level'] ?? 'info') as LogLevel
    if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`)
    const format = values['log-format']
    if (format !== undefined && format !== 'json' && format !== 'pretty') throw new UsageError('--log-format must be json or pretty')
    const httpPort = values['http-port'] === undefined ? undefined : Number(values['http-port'])
    if (httpPort !== undefined && !portSchema.safeParse(httpPort).success) throw new UsageError('--http-port must be a port number')
    const httpHost = values['http-host']
    if (httpHost !== undefined && httpHost.trim() === '') throw new UsageError('--http-host must be an address')
    const display = { ...(httpPort === undefined ? {} : { port: httpPort }), ...(httpHost === undefined ? {} : { host: httpHost }) }
    const simulate = values.simulate === undefined ? undefined : parseSimulateSpec(values.simulate)
    let simulated = 0
    const transform = (document: Record<string, unknown>): Record<string, unknown> => {
      const out = { ...document }
      if (values['data-dir'] !== undefined) out.dataDir = values['data-dir']
      if ((Object.keys(display).length > 0 || simulate !== undefined) && typeof out.stages === 'object' && out.stages !== null) {
        const stages: Record<string, unknown> = {}
        for (const [id, stage] of Object.entries(out.stages as Record<string, unknown>)) {
          const s = stage as Record<string, unknown> | null
          if (s !== null && typeof s === 'object' && s.type === 'display') stages[id] = { ...s, ...display }
          else if (s !== null && typeof s === 'object' && s.type === 'simulator' && simulate !== undefined) {
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
          : await validateConfig(DEFAULT_CONFIG, { env: io.env, transform })
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`linkyrpi run: ${error.message}\n`)
        return EXIT.config
      }
      throw error
    }
    if (simulate !== undefined && simulated === 0) throw new UsageError('--simulate: the configuration has no simulator stage')
    const nodes = nodesOf(config)
    const node = values.node ?? (nodes.length === 1 ? (nodes[0] as string) : 'main')
    if (!nodes.includes(node)) {
      io.stderr.write(`linkyrpi run: node '${node}' has no stages (nodes in this file: ${nodes.join(', ')})\n`)
      return EXIT.config
    }
    const logger = createLogger({ level, ...(format !== undefined ? { format } : {}), stream: io.stdout as NodeJS.WritableStream & { isTTY?: boolean }, env: io.env })
    const local = Object.values(config.stages).filter((s) => s.node === node)
    if (local.some((s) => s.type === 'sqlite')) await mkdir(resolve(config.dataDir), { recursive: true })
    const platform = await createPlatform(config, node, logger, (url) => io.stderr.write(`linkyrpi: dashboard at ${url}\n`))
    const running = await startNode(config, { node, platform })
    const stop = (): void => running.stop()
    if (io.signal.aborted) stop()
    else io.signal.addEventListener('abort', stop, { once: true })
    try {
      await running.done
      return EXIT.ok
    } catch (error) {
      logger.error('stopped on failure', { error })
      return EXIT.failure
    } finally {
      io.signal.removeEventListener('abort', stop)
    }
  },
}

function parse(args: readonly string[]) {
  return parseCommandArgs(args, {
    allowPositionals: false,
    options: {
      config: { type: 'string' },
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
