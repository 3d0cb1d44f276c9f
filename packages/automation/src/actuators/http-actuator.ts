import type { z } from 'zod'
import type { OutputState } from '../automation-schema.js'
import type { httpRequestSchema } from '../automation-schema.js'
import { renderJson, renderTemplate } from './actuator.js'
import type { Actuator, SwitchContext } from './actuator.js'

type HttpRequest = z.output<typeof httpRequestSchema>

/** Options of {@link httpActuator} (the validated `http` actuator). */
export interface HttpActuatorOptions extends HttpRequest {
  readonly on?: HttpRequest | undefined
  readonly off?: HttpRequest | undefined
  /** Per request, ms. */
  readonly timeoutMs: number
  /** Quick retries within one `set`, 500 ms × 2^n apart. */
  readonly retries: number
}

/** Thrown when a device answers with a non-2xx status. */
export class HttpActuatorError extends Error {
  override readonly name = 'HttpActuatorError'
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * HTTP actuator (Shelly, Tasmota, any REST switch): one request per switch, URL and JSON body
 * rendered from templates, a 2xx status is success. Retries a few times quickly, then rejects.
 */
export function httpActuator(options: HttpActuatorOptions): Actuator {
  async function once(state: OutputState, c: SwitchContext): Promise<void> {
    const specific = state === 'on' ? options.on : options.off
    const url = renderTemplate((specific?.url ?? options.url) as string, state, c)
    const bodyTemplate = specific?.body ?? options.body
    const body =
      bodyTemplate === undefined ? undefined : JSON.stringify(renderJson(bodyTemplate, state, c))
    const method = specific?.method ?? options.method ?? (body === undefined ? 'GET' : 'POST')
    const headers = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
      ...specific?.headers,
    }
    const response = await fetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    await response.arrayBuffer()
    if (!response.ok)
      throw new HttpActuatorError(`${method} ${url}: HTTP ${String(response.status)}`)
  }
  return {
    async set(state, c) {
      for (let attempt = 0; ; attempt++) {
        try {
          await once(state, c)
          return
        } catch (error) {
          if (attempt >= options.retries) throw error
          await sleep(500 * 2 ** attempt)
        }
      }
    },
    close: () => Promise.resolve(),
  }
}
