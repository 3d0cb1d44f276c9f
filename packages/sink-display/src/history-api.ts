import type { HistoryStore, Resolution } from '@linkyrpi/tic-core/stage'

/** A JSON answer: status and body. */
export interface ApiAnswer {
  readonly status: number
  readonly body: unknown
}

const RESOLUTIONS = new Set<string>(['raw', '1m', '1h', '1d', 'auto'])
/** Longest range one request may ask for (400 days), so a page cannot make the store scan years. */
const MAX_RANGE_MS = 400 * 86_400_000

function badRequest(message: string): ApiAnswer {
  return { status: 400, body: { error: message } }
}

function range(q: URLSearchParams): { meter: string; from: number; to: number } | string {
  const meter = q.get('meter')
  const from = Number(q.get('from'))
  const to = Number(q.get('to'))
  if (meter === null || meter.length === 0 || meter.length > 64) return '"meter" is required'
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
    return '"from" and "to" must be epoch ms with from < to'
  if (to - from > MAX_RANGE_MS) return 'range longer than 400 days'
  return { meter, from, to }
}

/**
 * Answers `GET /api/history/<what>?…` from the store: `meters`, `samples` (meter, from, to,
 * resolution), `energy` (meter, from, to, bucket=day|month), `events` (meter, from, to, limit: an
 * integer from 1 to 500, default 100). A bad query gets 400 with `{ error }`.
 */
export async function historyApi(
  store: HistoryStore | undefined,
  what: string,
  q: URLSearchParams,
): Promise<ApiAnswer> {
  if (store === undefined) return { status: 404, body: { error: 'no history store configured' } }
  if (what === 'meters') return { status: 200, body: await store.meters() }
  const r = range(q)
  if (typeof r === 'string') return badRequest(r)
  switch (what) {
    case 'samples': {
      const resolution = q.get('resolution') ?? 'auto'
      if (!RESOLUTIONS.has(resolution))
        return badRequest('"resolution" must be raw, 1m, 1h, 1d or auto')
      return {
        status: 200,
        body: await store.samples(r.meter, r.from, r.to, resolution as Resolution | 'auto'),
      }
    }
    case 'energy': {
      const bucket = q.get('bucket') ?? 'day'
      if (bucket !== 'day' && bucket !== 'month') return badRequest('"bucket" must be day or month')
      return { status: 200, body: await store.energy(r.meter, r.from, r.to, bucket) }
    }
    case 'events': {
      const raw = q.get('limit')
      const limit = raw === null ? 100 : /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN
      if (!(limit >= 1 && limit <= 500))
        return badRequest(`"limit" must be an integer from 1 to 500, got '${raw ?? ''}'`)
      return { status: 200, body: await store.events(r.meter, r.from, r.to, limit) }
    }
    default:
      return { status: 404, body: { error: `unknown history endpoint: ${what}` } }
  }
}
