import type { ConfigIssue } from '../errors.js'

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

/**
 * Expands `${VAR}` and `${VAR:-default}` in every string of a parsed YAML document (keys are left
 * alone); `$$` stands for a literal `$`. A variable that is unset (or empty) without a default is
 * reported as an issue at the string's path, and every such issue is collected, not just the first.
 * Returns a new value; the input is not modified.
 */
export function expandEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path: readonly (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      REFERENCE,
      (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$$') return '$'
        const found = env[name as string]
        if (found !== undefined && found !== '') return found
        if (fallback !== undefined) return fallback
        issues.push({
          path: formatPath(path),
          message: `environment variable ${name as string} is not set`,
        })
        return match
      },
    )
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandEnv(item, env, issues, [...path, index]))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value))
      out[key] = expandEnv(item, env, issues, [...path, key])
    return out
  }
  return value
}

/** `['stages', 'store', 'url']` → `stages.store.url`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('')
}
