import type { WireFrame } from '@linkyrpi/tic-core'
import type { DashboardConfig, StatsSnapshot, TariffSnapshot } from '../protocol.js'

/** What the page knows, updated by the event stream. */
export interface State {
  config: DashboardConfig | null
  frame: WireFrame | null
  tariff: TariffSnapshot | null
  stats: StatsSnapshot | null
  /** When the last frame arrived, page clock (epoch ms), or null. */
  lastFrameAt: number | null
  /** True when no frame arrived for the stale limit (see stale.ts). */
  stale: boolean
  /** The last frame-to-frame intervals, ms (page clock), oldest first. */
  intervalsMs: number[]
  /** Whether the server answered the last check made while frames were missing (null: not checked). */
  serverReachable: boolean | null
}

/** A screen of the dashboard. Built once; updated in place. */
export interface Screen {
  readonly id: string
  readonly el: HTMLElement
  /** A frame arrived (instantaneous values). */
  frame?(state: State): void
  tariff?(state: State): void
  stats?(state: State): void
  /** Called every second (ages, stale). */
  tick?(state: State): void
  /** The screen became visible. */
  shown?(state: State): void
}
