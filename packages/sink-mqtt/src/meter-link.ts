import { randomBytes } from 'node:crypto'
import { connect } from 'mqtt'
import type { IClientOptions, MqttClient } from 'mqtt'
import type { StageContext } from '@linkyrpi/tic-core/stage'
import { MqttAuthError } from './errors.js'
import type { ResolvedMqttOptions } from './options.js'
import type { MeterTopics } from './topics.js'

/** What a link tells its owner. */
export interface LinkHandlers {
  /** Connected (first time or again): the owner re-publishes availability, discovery and state. */
  onConnect(): void
  /** Home Assistant came back (`<discoveryPrefix>/status` = `online`). */
  onHomeAssistantOnline(): void
  /** The broker refused the connection for good (credentials). */
  onFatal(error: Error): void
  /** Any other message on a topic the owner subscribed to. */
  onMessage?(topic: string, payload: Buffer): void
}

// MQTT 3.1.1 CONNACK 4/5 and MQTT 5 reason codes 134/135/133: credentials or client id refused.
const AUTH_CODES = new Set([4, 5, 133, 134, 135])

/**
 * One broker connection per meter, so that each meter's availability topic is its own last will
 * (`offline`, retained): a killed process or a lost network turns every meter it served
 * unavailable in Home Assistant. Reconnects forever with exponential backoff
 * (`reconnectMinMs` doubling up to `reconnectMaxMs`, reset on success), reporting `connected`,
 * `disconnected` and `reconnecting` states to the diagnostics.
 */
export class MeterLink {
  readonly client: MqttClient
  private delay: number
  private reconnects = 0
  private closed = false

  constructor(
    readonly meter: string,
    readonly topics: MeterTopics,
    private readonly o: ResolvedMqttOptions,
    private readonly ctx: StageContext,
    handlers: LinkHandlers,
  ) {
    this.delay = o.reconnectMinMs
    const statusTopic = `${o.discoveryPrefix}/status`
    const options: IClientOptions = {
      clientId: `${o.clientIdPrefix}-${ctx.stage}-${meter}-${randomBytes(3).toString('hex')}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: o.reconnectMinMs,
      connectTimeout: 10_000,
      // Nothing is handed to the client while it is offline (the sink keeps the latest state).
      queueQoSZero: false,
      will: { topic: topics.availability, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.ca !== undefined ? { ca: toBuffer(o.ca) } : {}),
      ...(o.cert !== undefined ? { cert: toBuffer(o.cert) } : {}),
      ...(o.key !== undefined ? { key: toBuffer(o.key) } : {}),
      rejectUnauthorized: o.rejectUnauthorized,
    }
    const client = connect(o.url, options)
    this.client = client
    const report = (state: string, detail?: Record<string, unknown>): void =>
      ctx.diagnostics.report({
        kind: 'state',
        stage: ctx.stage,
        state,
        detail: { meter, ...detail },
      })
    client.on('connect', () => {
      this.delay = o.reconnectMinMs
      client.options.reconnectPeriod = this.delay
      ctx.logger.info('MQTT connected', { meter, url: redact(o.url), reconnects: this.reconnects })
      report('connected', { reconnects: this.reconnects })
      if (o.discovery) {
        client.subscribe(statusTopic, { qos: 1 }, (error) => {
          if (error)
            ctx.logger.warn('cannot subscribe to the Home Assistant status topic', {
              topic: statusTopic,
              error,
            })
        })
      }
      handlers.onConnect()
    })
    client.on('message', (topic, payload) => {
      if (topic === statusTopic) {
        if (payload.toString() === 'online') handlers.onHomeAssistantOnline()
      } else handlers.onMessage?.(topic, payload)
    })
    client.on('close', () => {
      if (!this.closed) report('disconnected')
    })
    client.on('reconnect', () => {
      this.reconnects++
      this.delay = Math.min(o.reconnectMaxMs, this.delay * 2)
      client.options.reconnectPeriod = this.delay
      report('reconnecting', { attempt: this.reconnects, nextDelayMs: this.delay })
    })
    client.on('error', (error: Error & { code?: unknown }) => {
      if (typeof error.code === 'number' && AUTH_CODES.has(error.code)) {
        handlers.onFatal(
          new MqttAuthError(`the broker refused the connection (${error.message})`, {
            cause: error,
          }),
        )
        return
      }
      ctx.logger.warn('MQTT connection error', { meter, error: error.message })
    })
  }

  /** True while the broker connection is up. */
  get connected(): boolean {
    return this.client.connected
  }

  /** Publishes; resolves when the broker has it (QoS ≥ 1) or it is written (QoS 0). */
  async publish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos, retain })
  }

  /**
   * Clean shutdown: `offline` (retained) then DISCONNECT. `force` closes the socket at once
   * instead, so the broker publishes the last will (`offline`) itself.
   */
  async close(force: boolean): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (force || !this.client.connected) {
      await this.client.endAsync(true)
      return
    }
    try {
      await this.publish(this.topics.availability, 'offline', 1, true)
    } catch (error) {
      this.ctx.logger.warn('could not publish offline', { meter: this.meter, error })
    }
    await this.client.endAsync(false)
  }
}

function toBuffer(v: string | Uint8Array): Buffer {
  return typeof v === 'string' ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength)
}

/** The URL without its password, for logs. */
function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return '(invalid url)'
  }
}
