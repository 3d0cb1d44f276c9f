import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SetupContext } from './setup-context.js'

/** What {@link writeManagedFile} did (or, in a dry run, would do). */
export type ManagedOutcome = 'created' | 'unchanged' | 'updated' | 'kept-changed'

const HEADER = /^# Written by `linkyrpi setup` \(sha256 ([0-9a-f]{16})\)[^\n]*\n/

function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16)
}

/** The file as setup writes it: a header carrying the checksum of the body, then the body. */
export function managedContent(body: string): string {
  return `# Written by \`linkyrpi setup\` (sha256 ${digest(body)}). Once you edit it, setup leaves it alone.\n${body}`
}

/**
 * Writes a file setup owns, idempotently: creates it when missing, leaves it when it already
 * holds `body`, replaces it when it is still exactly what setup wrote earlier (its checksum
 * matches), and never overwrites a file someone changed (or that setup did not write).
 */
export function writeManagedFile(
  ctx: SetupContext,
  path: string,
  body: string,
  mode: number,
): ManagedOutcome {
  const content = managedContent(body)
  let outcome: ManagedOutcome = 'created'
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8')
    if (current === content) return 'unchanged'
    const header = HEADER.exec(current)
    if (header === null || header[1] !== digest(current.slice(header[0].length)))
      return 'kept-changed'
    outcome = 'updated'
  }
  if (!ctx.dryRun) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 })
    writeFileSync(`${path}.tmp`, content, { mode })
    chmodSync(`${path}.tmp`, mode)
    renameSync(`${path}.tmp`, path)
  }
  return outcome
}
