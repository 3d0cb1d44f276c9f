#!/usr/bin/env node
// `pnpm release`: builds linkyrpi-<version>.tgz, the app as one ordinary npm package.
//
// The workspace packages the app depends on (found by following its `workspace:` dependencies,
// not listed here: new packages join by being depended on) are copied, compiled, into the
// package's node_modules/@linkyrpi/* and declared as bundleDependencies, so npm installs them
// from the tarball and never asks a registry for them. Their third-party dependencies are
// hoisted into the app's own `dependencies` (one exact version each; a conflict stops the
// release), so `npm install -g` fetches them as usual (serialport's bindings with their prebuilt
// binaries, better-sqlite3 with its prebuilt or compiled binary).
//
// Why bundleDependencies rather than a bundler: the installed files are exactly the tsc output
// the tests run (tsyringe's decorator metadata, files found relative to `import.meta.url` such as
// the dashboard's client, lazily imported commands and stages all stay as they are), and custom
// stage modules keep resolving `rxjs` and `@linkyrpi/*` like in the workspace. No new tool.
//
// Usage: node scripts/release.mjs [--out DIR]   (run `pnpm build` first; `pnpm release` does)
// Prints the tarball's path on stdout.
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const APP_DIR = join(root, 'apps/linkyrpi')
/** Published package name. */
const NAME = 'linkyrpi'
/** Native dependencies the CLI can run without (it says so, naming the fix, when one is missing). */
const OPTIONAL = new Set(['better-sqlite3'])
/** Files of a package's `files` that the installed app never reads. */
const SKIP = /(\.d\.ts|\.d\.ts\.map|\.js\.map|\.tsbuildinfo|\.test\.js)$/

const { values } = parseArgs({ options: { out: { type: 'string' } } })
const outDir = resolve(values.out ?? root)

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

/** Every workspace package by name, from pnpm-workspace.yaml's `packages:` globs (`dir/*` or `dir`). */
function workspacePackages() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
  const block = /^packages:\s*\n((?:\s+-.*\n?)+)/m.exec(yaml)
  if (block === null) throw new Error('pnpm-workspace.yaml: no packages list')
  const globs = [...block[1].matchAll(/-\s*["']?([^"'\n]+?)["']?\s*$/gm)].map((m) => m[1])
  const dirs = globs.flatMap((g) => {
    if (!g.endsWith('/*')) return [join(root, g)]
    const base = join(root, g.slice(0, -2))
    return existsSync(base) ? readdirSync(base).map((d) => join(base, d)) : []
  })
  const byName = new Map()
  for (const dir of dirs) {
    if (!existsSync(join(dir, 'package.json'))) continue
    byName.set(readJson(join(dir, 'package.json')).name, {
      dir,
      manifest: readJson(join(dir, 'package.json')),
    })
  }
  return byName
}

/** The workspace packages `app` needs at run time, following `workspace:` dependencies. */
function workspaceClosure(app, all) {
  const found = new Map()
  const queue = [app]
  while (queue.length > 0) {
    const m = queue.shift()
    for (const [name, spec] of Object.entries(m.dependencies ?? {})) {
      if (!String(spec).startsWith('workspace:') || found.has(name)) continue
      const pkg = all.get(name)
      if (pkg === undefined)
        throw new Error(`${m.name} depends on ${name} (${spec}), which is not in the workspace`)
      found.set(name, pkg)
      queue.push(pkg.manifest)
    }
  }
  return found
}

/** Copies a package's `files` (compiled output) without type declarations and source maps. */
function copyFiles(fromDir, toDir, files) {
  for (const entry of files) {
    const from = join(fromDir, entry)
    if (!existsSync(from))
      throw new Error(`${relative(root, from)} is missing: run pnpm build first`)
    cpSync(from, join(toDir, entry), { recursive: true, filter: (src) => !SKIP.test(src) })
  }
}

/** `exports` without the workspace-only source condition and the type declarations. */
function runtimeExports(exports) {
  if (typeof exports !== 'object' || exports === null) return exports
  const out = {}
  for (const [key, value] of Object.entries(exports)) {
    if (key === '@linkyrpi/source' || key === 'types') continue
    out[key] = runtimeExports(value)
  }
  return out
}

const all = workspacePackages()
const app = readJson(join(APP_DIR, 'package.json'))
const rootManifest = readJson(join(root, 'package.json'))
const bundled = workspaceClosure(app, all)

// Third-party runtime dependencies of the app and every bundled package: one version each.
const deps = new Map()
const addDep = (owner, name, spec) => {
  const seen = deps.get(name)
  if (seen !== undefined && seen.spec !== spec)
    throw new Error(
      `${name}: ${seen.owner} wants ${seen.spec}, ${owner} wants ${spec}; align them before releasing`,
    )
  if (seen === undefined) deps.set(name, { owner, spec })
}
for (const m of [app, ...[...bundled.values()].map((p) => p.manifest)]) {
  for (const [name, spec] of Object.entries(m.dependencies ?? {})) {
    if (!String(spec).startsWith('workspace:')) addDep(m.name, name, spec)
  }
}
for (const { manifest: m } of bundled.values()) {
  for (const [name, range] of Object.entries(m.peerDependencies ?? {})) {
    if (m.peerDependenciesMeta?.[name]?.optional === true || deps.has(name) || bundled.has(name))
      continue
    throw new Error(
      `${m.name} needs the peer ${name}@${range}: add it to apps/linkyrpi's dependencies`,
    )
  }
}

const stage = mkdtempSync(join(tmpdir(), 'linkyrpi-release-'))
try {
  copyFiles(APP_DIR, stage, app.files ?? ['dist'])
  for (const extra of ['systemd', 'linkyrpi.config.example.yaml', 'README.md'])
    cpSync(join(APP_DIR, extra), join(stage, extra), { recursive: true })
  if (existsSync(join(root, 'LICENSE'))) cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'))

  for (const [name, { dir, manifest: m }] of bundled) {
    const to = join(stage, 'node_modules', name)
    mkdirSync(to, { recursive: true })
    copyFiles(dir, to, m.files ?? ['dist'])
    // Only the bundled siblings: npm counts every dependency of a bundled package as part of the
    // bundle (and then extracts an empty folder for it), so the third-party ones are declared by
    // the app alone and found by Node in the app's node_modules, one level up.
    const dependencies = Object.fromEntries(
      Object.entries(m.dependencies ?? {})
        .filter(([, spec]) => String(spec).startsWith('workspace:'))
        .map(([d]) => [d, bundled.get(d).manifest.version]),
    )
    const manifest = {
      name,
      version: m.version,
      description: m.description,
      license: rootManifest.license,
      type: m.type,
      sideEffects: m.sideEffects,
      exports: runtimeExports(m.exports),
      dependencies,
    }
    writeFileSync(join(to, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  }

  const sorted = [...deps.keys()].sort()
  const manifest = {
    name: NAME,
    version: app.version,
    description: rootManifest.description,
    keywords: ['linky', 'enedis', 'tic', 'teleinfo', 'raspberry-pi', 'energy', 'electricity-meter'],
    license: rootManifest.license,
    repository: rootManifest.repository,
    homepage: rootManifest.homepage,
    bugs: rootManifest.bugs,
    type: 'module',
    bin: app.bin,
    files: ['dist', 'systemd', 'linkyrpi.config.example.yaml'],
    engines: { node: rootManifest.engines?.node ?? '>=20' },
    dependencies: Object.fromEntries([
      ...sorted.filter((d) => !OPTIONAL.has(d)).map((d) => [d, deps.get(d).spec]),
      ...[...bundled.keys()].sort().map((d) => [d, bundled.get(d).manifest.version]),
    ]),
    optionalDependencies: Object.fromEntries(
      sorted.filter((d) => OPTIONAL.has(d)).map((d) => [d, deps.get(d).spec]),
    ),
    bundleDependencies: [...bundled.keys()].sort(),
  }
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)

  mkdirSync(outDir, { recursive: true })
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
      cwd: stage,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )[0]
  const file = join(outDir, packed.filename)
  process.stderr.write(
    `${relative(process.cwd(), file) || file}: ${NAME}@${app.version}, ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${String(packed.entryCount)} files; bundles ${[...bundled.keys()].join(', ')}\n`,
  )
  process.stdout.write(`${file}\n`)
} finally {
  rmSync(stage, { recursive: true, force: true })
}
