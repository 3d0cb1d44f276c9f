import { ConfigError, loadConfig, nodesOf } from '@linkyrpi/pipeline'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'

const HELP = `Usage: linkyrpi config check FILE

Validates a configuration file without starting anything: YAML syntax, \${VAR} references (from
the environment), every stage's type and options, custom stage modules (they are imported), and
the graph (every 'from' exists, no cycles, chains start at a source, edges between nodes need a
'nats' section). Prints every problem at once, as 'path: message', or a summary of the stages
per node and of the edges that go over NATS.

Exit codes: 0 valid, 2 bad arguments, 3 invalid configuration.
`

/** `linkyrpi config check FILE`. */
export const configCheckCommand: Command = {
  name: 'config check',
  help: HELP,
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, { allowPositionals: true, options: {} })
    if (positionals.length !== 1) throw new UsageError('config check takes exactly one FILE')
    const file = positionals[0] as string
    try {
      const config = await loadConfig(file, { env: io.env })
      const lines = [
        `${file}: valid (site '${config.site}', ${Object.keys(config.stages).length} stages)`,
      ]
      for (const node of nodesOf(config)) {
        lines.push(`node ${node}:`)
        for (const s of Object.values(config.stages).filter((x) => x.node === node)) {
          lines.push(
            `  ${s.id.padEnd(16)} ${s.role.padEnd(8)} ${s.type}${s.from !== undefined ? ` ← ${s.from}` : ''}`,
          )
        }
      }
      for (const s of Object.values(config.stages)) {
        const up = s.from !== undefined ? config.stages[s.from] : undefined
        if (up !== undefined && up.node !== s.node) {
          const how =
            s.role === 'decoder'
              ? 'raw bytes, core NATS (live)'
              : s.durable
                ? 'JetStream (durable)'
                : 'core NATS (live)'
          lines.push(`edge ${up.node}/${up.id} → ${s.node}/${s.id}: ${how}`)
        }
      }
      io.stdout.write(`${lines.join('\n')}\n`)
      return EXIT.ok
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`${file}: ${error.message}\n`)
        return EXIT.config
      }
      throw error
    }
  },
}
