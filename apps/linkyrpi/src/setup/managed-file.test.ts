import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { managedContent, writeManagedFile } from './managed-file.js'
import type { SetupContext } from './setup-context.js'

const dirs: string[] = []
const context = (dryRun = false): SetupContext => ({
  root: '/',
  dryRun,
  env: {},
  say: () => undefined,
})
function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linky-managed-'))
  dirs.push(dir)
  return join(dir, 'sub/linkyrpi.yaml')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('writeManagedFile', () => {
  it('creates, then leaves, then updates its own file', () => {
    const f = file()
    expect(writeManagedFile(context(), f, 'a: 1\n', 0o644)).toBe('created')
    expect(readFileSync(f, 'utf8')).toBe(managedContent('a: 1\n'))
    expect(writeManagedFile(context(), f, 'a: 1\n', 0o644)).toBe('unchanged')
    expect(writeManagedFile(context(), f, 'a: 2\n', 0o644)).toBe('updated')
    expect(readFileSync(f, 'utf8')).toBe(managedContent('a: 2\n'))
  })

  it('keeps a file changed after setup wrote it, or one setup did not write', () => {
    const f = file()
    writeManagedFile(context(), f, 'a: 1\n', 0o644)
    writeFileSync(f, `${readFileSync(f, 'utf8')}b: 2\n`)
    expect(writeManagedFile(context(), f, 'a: 3\n', 0o644)).toBe('kept-changed')
    expect(readFileSync(f, 'utf8')).toContain('b: 2')
    writeFileSync(f, 'mine: true\n')
    expect(writeManagedFile(context(), f, 'a: 3\n', 0o644)).toBe('kept-changed')
    expect(readFileSync(f, 'utf8')).toBe('mine: true\n')
  })

  it('in a dry run says what it would do and writes nothing', () => {
    const f = file()
    expect(writeManagedFile(context(true), f, 'a: 1\n', 0o644)).toBe('created')
    expect(() => readFileSync(f)).toThrow()
  })
})
