import type { DependencyContainer } from 'tsyringe'
import type { Decoder, HistoryStore, Sink, Source, StageContext } from '@linkyrpi/tic-core/stage'
import type { BufferConfig } from './config/schema.js'

/** What a stage does in the graph: produce bytes, decode them, or consume decoded frames. */
export type StageRole = 'source' | 'decoder' | 'sink'

/** Result of a validator: zod's `safeParse` shape, so a zod schema is a validator. */
export type ValidationResult<O> =
  | { readonly success: true; readonly data: O }
  | {
      readonly success: false
      readonly error: {
        readonly issues: readonly {
          readonly path: readonly PropertyKey[]
          readonly message: string
        }[]
      }
    }

/** Validates a stage's own options (the stage's keys other than `type`, `node`, `from`, `buffer`). */
export interface OptionsValidator<O> {
  safeParse(input: unknown): ValidationResult<O>
}

/**
 * What a factory returns: the stage function itself, or an object with the stage and what the
 * runner must know about it. `dispose` is called once, after the stage completed (or was cut at
 * the shutdown timeout): tsyringe does not dispose `useFactory` results (house-style §2.7).
 */
export type StageInstance<S> =
  | S
  | {
      readonly stage: S
      /** A query API over what this sink stores, offered to the node's other stages (the dashboard). */
      readonly history?: HistoryStore
      readonly dispose?: () => Promise<void>
    }

/** Extra input a decoder factory receives. */
export interface DecoderInput {
  /** Id of the source stage it reads. */
  readonly source: string
}

/** A source type: bytes from a device, a file or a simulator. */
export interface SourceDefinition<O = unknown> {
  readonly role: 'source'
  readonly summary: string
  readonly options: OptionsValidator<O>
  create(
    options: O,
    ctx: StageContext,
    di: DependencyContainer,
  ): StageInstance<Source> | Promise<StageInstance<Source>>
}

/** A decoder type: bytes to pipeline frames. */
export interface DecoderDefinition<O = unknown> {
  readonly role: 'decoder'
  readonly summary: string
  readonly options: OptionsValidator<O>
  create(
    options: O,
    ctx: StageContext,
    di: DependencyContainer,
    input: DecoderInput,
  ): StageInstance<Decoder> | Promise<StageInstance<Decoder>>
}

/** A sink type: consumes decoded frames and acknowledges them. */
export interface SinkDefinition<O = unknown> {
  readonly role: 'sink'
  readonly summary: string
  readonly options: OptionsValidator<O>
  /**
   * When an edge into this sink crosses nodes, it goes over JetStream (true, default: nothing is
   * lost) or core NATS (false: live data, at most once — the dashboard).
   */
  readonly durable?: boolean
  /** Default isolation buffer for this type (merged under the stage's own `buffer`). */
  readonly buffer?: Partial<BufferConfig>
  /** True when its instances offer a {@link HistoryStore} (`StageInstance.history`) to the node's other stages. */
  readonly providesHistory?: boolean
  create(
    options: O,
    ctx: StageContext,
    di: DependencyContainer,
  ): StageInstance<Sink> | Promise<StageInstance<Sink>>
}

/** Any stage type (built-in or loaded from a module). */
export type StageDefinition<O = unknown> =
  SourceDefinition<O> | DecoderDefinition<O> | SinkDefinition<O>

/**
 * Typed identity helper for custom stage modules:
 * `export default defineStage({ role: 'sink', summary, options, create })`.
 */
export function defineStage<O>(definition: StageDefinition<O>): StageDefinition<O> {
  return definition
}
