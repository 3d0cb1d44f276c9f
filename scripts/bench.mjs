#!/usr/bin/env node
// Runs every benchmark of the workspace: packages/*/bench/*.bench.mjs and apps/*/bench/*.bench.mjs,
// one process each, in sequence (the machine has 2 cores; benchmarks must not share them).
// Each prints JSON lines on stdout. Pass a substring to run only matching files: pnpm bench decode
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const filter = process.argv[2]
const files = []
for (const group of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, group))) {
    const dir = join(root, group, pkg, 'bench')
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir).sort()) {
      if (
        f.endsWith('.bench.mjs') &&
        (filter === undefined || join(group, pkg, f).includes(filter))
      ) {
        files.push(join(dir, f))
      }
    }
  }
}
let failed = 0
for (const file of files) {
  process.stderr.write(`# ${file.slice(root.length)}\n`)
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit', cwd: root })
  if (r.status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
