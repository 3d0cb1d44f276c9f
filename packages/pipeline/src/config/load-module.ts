import { createRequire } from 'node:module'
import { isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { OptionsValidator, StageDefinition, ValidationResult } from '../stage-definition.js'

/**
 * The export a custom stage module provides: `export default { role, create, … }` (or a named
 * export `stage`). `options` is a zod-like validator (`safeParse`); plain-JavaScript modules may
 * give `validate(options)` returning a list of problems instead. Neither: options pass as written.
 */
export type StageModuleExport = Omit<StageDefinition, 'options' | 'summary'> & {
  readonly summary?: string
  readonly options?: OptionsValidator<unknown>
  readonly validate?: (options: Readonly<Record<string, unknown>>) => readonly string[]
}

/** Result of {@link loadStageModule}: the definition, or a reason it could not be used. */
export type LoadedModule =
  | { readonly ok: true; readonly definition: StageDefinition }
  | { readonly ok: false; readonly message: string }

/**
 * Imports a custom stage module named by a config `type` and checks its export. Paths are
 * resolved against `baseDir` (the config file's directory); `module:<name>` resolves a package
 * from `baseDir` (its `node_modules` or above) and falls back to a plain `import(name)`.
 */
export async function loadStageModule(type: string, baseDir: string): Promise<LoadedModule> {
  const specifier = type.startsWith('module:') ? type.slice('module:'.length) : type
  let url: string
  if (specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier)) {
    url = pathToFileURL(resolve(baseDir, specifier)).href
  } else {
    try {
      url = pathToFileURL(
        createRequire(join(baseDir, 'linkyrpi.config.yaml')).resolve(specifier),
      ).href
    } catch {
      url = specifier
    }
  }
  let namespace: Record<string, unknown>
  try {
    namespace = (await import(url)) as Record<string, unknown>
  } catch (error) {
    return {
      ok: false,
      message: `cannot load module '${specifier}': ${error instanceof Error ? error.message : String(error)}`,
    }
  }
  const exported = (namespace.default ?? namespace.stage) as Partial<StageModuleExport> | undefined
  if (typeof exported !== 'object' || exported === null) {
    return {
      ok: false,
      message: `module '${specifier}' has no default export (or 'stage' export) describing a stage`,
    }
  }
  if (exported.role !== 'source' && exported.role !== 'decoder' && exported.role !== 'sink') {
    return {
      ok: false,
      message: `module '${specifier}': role must be 'source', 'decoder' or 'sink'`,
    }
  }
  if (typeof exported.create !== 'function')
    return { ok: false, message: `module '${specifier}': create must be a function` }
  const validate = exported.validate
  const options: OptionsValidator<unknown> =
    exported.options ??
    (validate === undefined
      ? {
          safeParse: (input: unknown): ValidationResult<unknown> => ({
            success: true,
            data: input,
          }),
        }
      : {
          safeParse: (input: unknown): ValidationResult<unknown> => {
            const problems = validate(input as Readonly<Record<string, unknown>>)
            return problems.length === 0
              ? { success: true, data: input }
              : {
                  success: false,
                  error: { issues: problems.map((message) => ({ path: [], message })) },
                }
          },
        })
  return {
    ok: true,
    definition: { ...exported, summary: exported.summary ?? specifier, options } as StageDefinition,
  }
}
