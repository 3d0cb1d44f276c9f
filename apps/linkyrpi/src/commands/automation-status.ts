import { parisIso } from '@linkyrpi/automation'
import { DEFAULT_HTTP_PORT } from '@linkyrpi/pipeline'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'

const HELP = `Usage: linkyrpi automation status [--url URL] [--json]
       linkyrpi automation status --url URL --set OUTPUT=on|off|auto [--for DURATION] [--token TOKEN]

Shows the outputs of a running node's automation stage, through its dashboard's HTTP API
(GET /api/automation): state, since when, why, override, actuator health.

With --set, forces an output for a while (POST /api/automation/override, journaled as
'automation-override'; it expires by itself): OUTPUT=on or OUTPUT=off for --for (default 1h,
at most 7d), OUTPUT=auto gives it back to the rules. Needs the dashboard's token (stage option
'token'), from --token or the LINKY_TOKEN environment variable.

Options:
  --url URL      the dashboard (default http://127.0.0.1:8080)
  --json         print the API's JSON instead of a table
  --set O=S      override an output (see above)
  --for D        override duration: 30m, 2h, 1d (default 1h)
  --token T      bearer token (default: $LINKY_TOKEN)

Exit codes: 0 done, 1 node unreachable or the API refused, 2 bad arguments.
`

interface StatusOutput {
  readonly output: string
  readonly state: 'on' | 'off' | null
  readonly sinceIso: string | null
  readonly reason: string
  readonly shed: boolean
  readonly override: { readonly state: string; readonly until: number } | null
  readonly driver: {
    readonly applied: string | null
    readonly failing: { readonly error: string; readonly attempts: number } | null
  }
  readonly next: { readonly t: number; readonly state: string } | null
}

interface StatusBody {
  readonly running: boolean
  readonly stale: boolean
  readonly outputs: readonly StatusOutput[]
}

const DURATION = /^(\d+(?:\.\d+)?)(m|h|d)$/

/** `linkyrpi automation status`. */
export const automationStatusCommand: Command = {
  name: 'automation status',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        json: { type: 'boolean' },
        set: { type: 'string' },
        for: { type: 'string' },
        token: { type: 'string' },
      },
    })
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`)
    const base = (values.url ?? `http://127.0.0.1:${String(DEFAULT_HTTP_PORT)}`).replace(/\/+$/, '')
    if (!/^https?:\/\//.test(base))
      throw new UsageError(`--url must be an http:// URL, got '${base}'`)
    let response: Response
    try {
      if (values.set !== undefined) {
        const m = /^([a-z0-9][a-z0-9_-]*)=(on|off|auto)$/.exec(values.set)
        if (m === null)
          throw new UsageError(
            `--set must be OUTPUT=on, OUTPUT=off or OUTPUT=auto, got '${values.set}'`,
          )
        const d = DURATION.exec(values.for ?? '1h')
        if (d === null)
          throw new UsageError(
            `--for must be a duration like 30m, 2h or 1d, got '${values.for ?? ''}'`,
          )
        const minutes = Number(d[1]) * (d[2] === 'm' ? 1 : d[2] === 'h' ? 60 : 1440)
        const token = values.token ?? io.env.LINKY_TOKEN
        if (token === undefined)
          throw new UsageError('--set needs the dashboard token: --token or LINKY_TOKEN')
        response = await fetch(`${base}/api/automation/override`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ output: m[1], state: m[2] === 'auto' ? null : m[2], minutes }),
          signal: AbortSignal.timeout(10_000),
        })
      } else {
        response = await fetch(`${base}/api/automation`, { signal: AbortSignal.timeout(10_000) })
      }
    } catch (error) {
      if (error instanceof UsageError) throw error
      io.stderr.write(
        `linkyrpi automation status: cannot reach ${base}: ${error instanceof Error ? error.message : String(error)}\n`,
      )
      return EXIT.failure
    }
    const body = (await response.json().catch(() => null)) as unknown
    if (!response.ok) {
      const message =
        (body as { error?: string } | null)?.error ?? `HTTP ${String(response.status)}`
      io.stderr.write(`linkyrpi automation status: ${base}: ${message}\n`)
      return EXIT.failure
    }
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(body)}\n`)
      return EXIT.ok
    }
    const outputs: readonly StatusOutput[] =
      values.set !== undefined ? [body as StatusOutput] : (body as StatusBody).outputs
    if (values.set === undefined && (body as StatusBody).stale)
      io.stdout.write('données périmées: sorties en état de sécurité\n')
    const width = Math.max(6, ...outputs.map((o) => o.output.length))
    io.stdout.write(`${'output'.padEnd(width)} state since                     reason\n`)
    for (const o of outputs) {
      const notes = [
        o.override === null ? null : `forcé jusqu'à ${parisIso(o.override.until)}`,
        o.next === null ? null : `prochain: ${o.next.state} à ${parisIso(o.next.t)}`,
        o.driver.failing === null
          ? null
          : `actionneur en échec (${String(o.driver.failing.attempts)} essais: ${o.driver.failing.error})`,
      ].filter((x) => x !== null)
      io.stdout.write(
        `${o.output.padEnd(width)} ${(o.state ?? '-').padEnd(5)} ${(o.sinceIso ?? '-').padEnd(25)} ${o.reason}${notes.length > 0 ? ` [${notes.join('; ')}]` : ''}\n`,
      )
    }
    return EXIT.ok
  },
}
