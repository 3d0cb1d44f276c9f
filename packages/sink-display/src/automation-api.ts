import type { IncomingMessage } from 'node:http'

/**
 * What the dashboard needs of a running automation stage (structural, so that this package does
 * not depend on `@linkyrpi/automation`; the pipeline passes the stage's controller).
 */
export interface AutomationApi {
  /** The outputs, their states, reasons, overrides and actuator health (JSON). */
  status(): unknown
  /** Forces `output` to `state` for `durationMs` (`state` null clears); throws TypeError on bad input. */
  override(output: string, state: 'on' | 'off' | null, durationMs: number, by: string): unknown
}

/** An API answer: status and JSON body. */
export interface ApiAnswer {
  readonly status: number
  readonly body: unknown
}

/** Longest override, ms (7 days): an override is a temporary exception, never a setting. */
export const MAX_OVERRIDE_MS = 7 * 86_400_000

/** `GET /api/automation`. */
export function automationStatus(api: (() => AutomationApi | undefined) | undefined): ApiAnswer {
  const a = api?.()
  return a === undefined
    ? { status: 404, body: { error: 'no automation stage on this node' } }
    : { status: 200, body: a.status() }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  let size = 0
  const parts: Buffer[] = []
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) return null
    parts.push(chunk as Buffer)
  }
  return Buffer.concat(parts).toString('utf8')
}

/**
 * `POST /api/automation/override` with `{ "output": id, "state": "on"|"off"|null, "minutes": N }`
 * (the caller has checked the bearer token). Answers the output's new status.
 */
export async function automationOverride(
  api: (() => AutomationApi | undefined) | undefined,
  req: IncomingMessage,
): Promise<ApiAnswer> {
  const a = api?.()
  if (a === undefined) return { status: 404, body: { error: 'no automation stage on this node' } }
  const text = await readBody(req, 4096)
  if (text === null) return { status: 413, body: { error: 'body too large' } }
  let body: { output?: unknown; state?: unknown; minutes?: unknown }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    return {
      status: 400,
      body: { error: 'body must be JSON: {"output", "state": "on"|"off"|null, "minutes"}' },
    }
  }
  const { output, state, minutes } = body
  if (typeof output !== 'string')
    return { status: 400, body: { error: '"output" must be an output id' } }
  if (state !== 'on' && state !== 'off' && state !== null)
    return {
      status: 400,
      body: { error: '"state" must be "on", "off" or null (back to the rules)' },
    }
  const ms = typeof minutes === 'number' ? minutes * 60_000 : NaN
  if (state !== null && !(ms > 0 && ms <= MAX_OVERRIDE_MS))
    return {
      status: 400,
      body: { error: '"minutes" must be a number of minutes, more than 0 and at most 7 days' },
    }
  try {
    return {
      status: 200,
      body: a.override(
        output,
        state,
        state === null ? 0 : ms,
        `dashboard ${req.socket.remoteAddress ?? ''}`.trim(),
      ),
    }
  } catch (error) {
    if (error instanceof TypeError) return { status: 400, body: { error: error.message } }
    throw error
  }
}
