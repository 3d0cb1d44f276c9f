import type { StageContext } from '@linkyrpi/tic-core/stage'
import { ORIGIN } from './discovery.js'
import { MeterLink } from './meter-link.js'
import type { ResolvedMqttOptions } from './options.js'

/** One automation output as the sink needs it (structurally the automation stage's status). */
export interface AutomationSwitchOutput {
  readonly output: string
  readonly label: string
  /** Null before the first decision. */
  readonly state: 'on' | 'off' | null
  /** Time of the last switch, epoch ms. */
  readonly since: number | null
  readonly reason: string
  /** The manual override and its expiry (epoch ms), if any. */
  readonly override: { readonly state: 'on' | 'off'; readonly until: number } | null
}

/**
 * The automation stage's control surface as the MQTT sink uses it (a structural copy, so that
 * this package never depends on the automation package).
 */
export interface AutomationControl {
  status(): { readonly running: boolean; readonly outputs: readonly AutomationSwitchOutput[] }
  /** Forces `output` for `durationMs` (ms), or clears its override (`state` null); throws for an unknown output. */
  override(output: string, state: 'on' | 'off' | null, durationMs: number, by?: string): unknown
}

/** An output name fit for a topic level and an entity id. */
const OUTPUT_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Publishes the automation outputs as Home Assistant switches over one connection of its own:
 * discovery `<discoveryPrefix>/switch/linkyrpi_<node>_automation/<output>/config` (unique id
 * `linkyrpi_<node>_automation_<output>`, device "LinkyRPi automatismes"), `ON`/`OFF` (retained)
 * on `<prefix>/automation/<output>/state`, JSON attributes (reason, since, override) on
 * `<prefix>/automation/<output>/attributes`, availability on `<prefix>/automation/availability`
 * (last will `offline`). `ON`/`OFF` on `<prefix>/automation/<output>/set` forces the output for
 * `automationOverrideMs`, `AUTO` clears the override (`by: 'mqtt'`). The controller is looked up
 * at each poll (every `automationPollMs`): the automation stage may start after this sink.
 */
export class AutomationSwitches {
  private link: MeterLink | null = null
  /** Last published state and attributes per output (cleared on reconnect). */
  private readonly published = new Map<string, string>()
  private outputs: readonly AutomationSwitchOutput[] = []
  private readonly timer: NodeJS.Timeout
  private readonly base: string

  constructor(
    private readonly o: ResolvedMqttOptions,
    private readonly ctx: StageContext,
    private readonly controller: () => AutomationControl | undefined,
    private readonly onFatal: (error: Error) => void,
  ) {
    this.base = `${o.prefix}/automation`
    this.timer = setInterval(() => this.poll(), o.automationPollMs)
    this.timer.unref()
    this.poll()
  }

  private poll(): void {
    const c = this.controller()
    if (c === undefined) return
    const s = c.status()
    if (!s.running || s.outputs.length === 0) return
    this.outputs = s.outputs.filter((out) => OUTPUT_ID.test(out.output))
    if (this.link === null) this.open()
    else if (this.link.connected) this.publishStates()
  }

  private open(): void {
    const topics = {
      state: `${this.base}/state`,
      availability: `${this.base}/availability`,
      event: `${this.base}/event`,
    }
    this.link = new MeterLink('automation', topics, this.o, this.ctx, {
      onConnect: () => {
        this.published.clear()
        this.link!.client.subscribe(`${this.base}/+/set`, { qos: 1 }, (error) => {
          if (error)
            this.ctx.logger.warn('cannot subscribe to the automation command topics', { error })
        })
        this.announce(true)
      },
      onHomeAssistantOnline: () => this.announce(false),
      onFatal: this.onFatal,
      onMessage: (topic, payload) => this.command(topic, payload.toString()),
    })
  }

  /** Availability (on connect), discovery, then the states. */
  private announce(withAvailability: boolean): void {
    const link = this.link
    if (link === null || !link.connected) return
    const p: Promise<void>[] = []
    if (withAvailability) p.push(link.publish(link.topics.availability, 'online', 1, true))
    if (this.o.discovery)
      for (const out of this.outputs) p.push(link.publish(...this.discovery(out)))
    Promise.all(p).catch((error: unknown) =>
      this.ctx.logger.debug('automation announce interrupted', { error }),
    )
    this.published.clear()
    this.publishStates()
  }

  private discovery(out: AutomationSwitchOutput): [string, string, 1, true] {
    const node = this.o.automationId
    const payload = {
      name: out.label,
      unique_id: `linkyrpi_${node}_automation_${out.output}`,
      default_entity_id: `switch.linkyrpi_${`${node}_${out.output}`.replaceAll('-', '_').toLowerCase()}`,
      state_topic: `${this.base}/${out.output}/state`,
      command_topic: `${this.base}/${out.output}/set`,
      payload_on: 'ON',
      payload_off: 'OFF',
      state_on: 'ON',
      state_off: 'OFF',
      json_attributes_topic: `${this.base}/${out.output}/attributes`,
      availability_topic: `${this.base}/availability`,
      icon: 'mdi:electric-switch',
      device: {
        identifiers: [`linkyrpi_${node}_automation`],
        name: this.o.lang === 'fr' ? 'LinkyRPi automatismes' : 'LinkyRPi automation',
        manufacturer: 'LinkyRPi',
        model: this.o.lang === 'fr' ? 'Délestage et automatismes' : 'Load shedding and automation',
      },
      origin: ORIGIN,
    }
    return [
      `${this.o.discoveryPrefix}/switch/linkyrpi_${node}_automation/${out.output}/config`,
      JSON.stringify(payload),
      1,
      true,
    ]
  }

  /** Publishes the states and attributes that changed since the last publish. */
  private publishStates(): void {
    const link = this.link!
    for (const out of this.outputs) {
      const state = out.state === null ? 'None' : out.state === 'on' ? 'ON' : 'OFF'
      const attributes = JSON.stringify({
        reason: out.reason,
        since: out.since === null ? null : new Date(out.since).toISOString(),
        override:
          out.override === null
            ? null
            : { state: out.override.state, until: new Date(out.override.until).toISOString() },
      })
      const key = `${state}|${attributes}`
      if (this.published.get(out.output) === key) continue
      this.published.set(out.output, key)
      Promise.all([
        link.publish(`${this.base}/${out.output}/attributes`, attributes, 1, true),
        link.publish(`${this.base}/${out.output}/state`, state, 1, true),
      ]).catch((error: unknown) => {
        // Lost with the connection: the reconnect publishes everything again.
        this.published.delete(out.output)
        this.ctx.logger.debug('automation state publish interrupted', { output: out.output, error })
      })
    }
  }

  /** `ON` / `OFF` forces the output for `automationOverrideMs`, `AUTO` clears the override. */
  private command(topic: string, payload: string): void {
    const match = /^(.+)\/([^/]+)\/set$/.exec(topic)
    if (match?.[1] !== this.base) return
    const output = match[2]!
    const word = payload.trim().toUpperCase()
    const state = word === 'ON' ? 'on' : word === 'OFF' ? 'off' : word === 'AUTO' ? null : undefined
    if (state === undefined) {
      this.ctx.logger.warn("automation command ignored: payload must be 'ON', 'OFF' or 'AUTO'", {
        output,
        payload: payload.slice(0, 40),
      })
      return
    }
    const c = this.controller()
    if (c === undefined) {
      this.ctx.logger.warn('automation command ignored: no automation stage runs on this node', {
        output,
      })
      return
    }
    try {
      c.override(output, state, this.o.automationOverrideMs, 'mqtt')
    } catch (error) {
      this.ctx.logger.warn('automation command refused', {
        output,
        payload: word,
        error: error instanceof Error ? error.message : String(error),
      })
      return
    }
    this.poll()
  }

  /** Stops polling and closes the connection (`force`: at once, the broker publishes the last will). */
  async close(force: boolean): Promise<void> {
    clearInterval(this.timer)
    await this.link?.close(force)
  }
}
