// tsyringe needs the Reflect metadata polyfill loaded before it (it throws otherwise).
import 'reflect-metadata'
import { container as rootContainer } from 'tsyringe'
import type { DependencyContainer } from 'tsyringe'
import type { StageContext } from '@linkyrpi/tic-core/stage'
import { formatPath } from './config/expand-env.js'
import { BUILTIN_STAGES } from './registry.js'
import type { StageRegistry } from './registry.js'
import { normalizeInstance } from './runtime/normalize-instance.js'
import type { NormalizedInstance } from './runtime/normalize-instance.js'
import type { StageDefinition } from './stage-definition.js'

/**
 * Builds one stage outside a configuration file (tests, tools): validates `options` against the
 * type's schema (throwing a TypeError listing every problem) and calls its factory. `container`
 * (default: a child of tsyringe's root container) provides what the factory resolves; a decoder
 * reads `source` (default `source`).
 */
export async function createStage<S>(
  type: string,
  options: Readonly<Record<string, unknown>>,
  ctx: StageContext,
  extra: {
    readonly container?: DependencyContainer
    readonly source?: string
    readonly registry?: StageRegistry
  } = {},
): Promise<NormalizedInstance<S>> {
  const registry: StageRegistry = extra.registry ?? BUILTIN_STAGES
  const definition = registry[type] as StageDefinition | undefined
  if (definition === undefined) throw new TypeError(`unknown stage type '${type}'`)
  const parsed = definition.options.safeParse(options)
  if (!parsed.success)
    throw new TypeError(
      `invalid options for '${type}': ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`,
    )
  const di = extra.container ?? rootContainer.createChildContainer()
  const create = definition.create as (
    o: unknown,
    c: StageContext,
    d: DependencyContainer,
    i: { source: string },
  ) => unknown
  return normalizeInstance<S>(
    (await create(parsed.data, ctx, di, { source: extra.source ?? 'source' })) as never,
  )
}
