import type { TicReading } from '@linkyrpi/tic-core'
import { costEntities, DailyCost } from './daily-cost.js'
import type { Pricing } from './daily-cost.js'
import { entitiesOf, entityShape } from './entities.js'
import type { EntitySpec, EntityValue } from './entities.js'

/** What one frame changed for a meter. */
export interface FoldResult {
  /** Some released value changed: the state message must be published. */
  readonly stateChanged: boolean
  /** Entities seen for the first time (or all of them when the device description changed). */
  readonly newEntities: readonly EntitySpec[]
}

/** Throttle intervals in ms of frame time (see `MqttSinkOptions`). */
export interface ThrottleIntervals {
  readonly measurementIntervalMs: number
  readonly energyIntervalMs: number
}

/**
 * The Home Assistant view of one meter: the entities announced so far (only ever grows, so a
 * frame that lacks a field never removes an entity and its history) and, per entity, the value
 * last released to the state topic under its throttle. Per frame: one shape string, one value
 * read and comparison per entity; the state JSON is built only when something is released.
 */
export class MeterState {
  private shape = ''
  private readonly entities: EntitySpec[] = []
  private readonly keys = new Set<string>()
  private released: EntityValue[] = []
  private releasedAt: number[] = []
  private deviceKey = ''
  /** The Home Assistant device description (see `deviceOf`), rebuilt when the shape changes. */
  device: Record<string, unknown> = {}
  /** The last reading and its frame time, for events. */
  last: { readonly reading: TicReading; readonly t: number } | null = null
  /** Frame time of the last released change, epoch ms. */
  at = 0

  private readonly cost = new DailyCost()
  private priced = false

  /** @param pricing When given, the price and cost-of-the-day entities are added once a reading is priced. */
  constructor(
    private readonly intervals: ThrottleIntervals,
    private readonly describe: (r: TicReading) => Record<string, unknown>,
    private readonly pricing?: Pricing,
  ) {}

  /** Every entity announced so far, in announcement order. */
  get all(): readonly EntitySpec[] {
    return this.entities
  }

  /** Takes one reading at frame time `t` (epoch ms) into account. */
  fold(r: TicReading, t: number): FoldResult {
    let newEntities: EntitySpec[] = []
    const shape = entityShape(r)
    if (shape !== this.shape) {
      this.shape = shape
      for (const spec of entitiesOf(r)) {
        if (this.keys.has(spec.key)) {
          // Same key, maybe a better name (the option became known): replace the spec.
          const i = this.entities.findIndex((e) => e.key === spec.key)
          if (this.entities[i]!.name.fr !== spec.name.fr) {
            this.entities[i] = spec
            newEntities.push(spec)
          }
          continue
        }
        this.keys.add(spec.key)
        this.entities.push(spec)
        this.released.push(null)
        this.releasedAt.push(Number.NEGATIVE_INFINITY)
        newEntities.push(spec)
      }
      const device = this.describe(r)
      const key = JSON.stringify(device)
      if (key !== this.deviceKey) {
        this.deviceKey = key
        this.device = device
        newEntities = [...this.entities]
      }
    }
    if (this.pricing !== undefined) {
      const info = this.pricing(r, t)
      this.cost.update(r, info)
      if (info !== null && !this.priced) {
        this.priced = true
        for (const spec of costEntities(this.cost)) {
          this.keys.add(spec.key)
          this.entities.push(spec)
          this.released.push(null)
          this.releasedAt.push(Number.NEGATIVE_INFINITY)
          newEntities.push(spec)
        }
      }
    }
    let stateChanged = newEntities.length > 0
    for (let i = 0; i < this.entities.length; i++) {
      const spec = this.entities[i]!
      const v = spec.value(r)
      if (v === this.released[i]) continue
      const since = t - this.releasedAt[i]!
      const due =
        spec.throttle === 'state' ||
        (spec.throttle === 'energy'
          ? since >= this.intervals.energyIntervalMs
          : since >= this.intervals.measurementIntervalMs)
      if (!due) continue
      this.released[i] = v
      this.releasedAt[i] = t
      stateChanged = true
    }
    if (stateChanged) this.at = t
    this.last = { reading: r, t }
    return { stateChanged, newEntities }
  }

  /** The state message: `at` (ISO time of the last released change) and every entity's released value. */
  stateJson(): string {
    const out: Record<string, EntityValue> = { at: new Date(this.at).toISOString() }
    for (let i = 0; i < this.entities.length; i++)
      out[this.entities[i]!.key] = this.released[i] ?? null
    return JSON.stringify(out)
  }
}
