import { execFile, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/ports.js'

// The release as a user gets it: `pnpm release`'s tarball installed with `npm install -g` into an
// empty prefix, then run from an empty directory with only `node` and the installed bin on PATH
// (no pnpm, turbo, TypeScript or repository). Slow (npm fetches the dependencies, and compiles
// better-sqlite3 where no prebuilt binary can be fetched): the tarball is built and installed
// once for the whole file.

const exec = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const appVersion = (
  JSON.parse(readFileSync(join(root, 'apps/linkyrpi/package.json'), 'utf8')) as { version: string }
).version

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

describe('release tarball installed with npm -g', () => {
  let dir = ''
  let tarball = ''
  let prefix = ''
  let work = ''
  let env: NodeJS.ProcessEnv = {}

  const linkyrpi = (args: string[]): Promise<Result> =>
    new Promise((resolve) => {
      const child = spawn(join(prefix, 'bin/linkyrpi'), args, { cwd: work, env })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
    })

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linky-release-'))
    const built = await exec(
      process.execPath,
      [join(root, 'scripts/release.mjs'), '--out', join(dir, 'out')],
      { cwd: root },
    )
    tarball = built.stdout.trim()
    prefix = join(dir, 'prefix')
    await mkdir(prefix)
    await exec('npm', ['install', '-g', tarball, '--prefix', prefix, '--no-audit', '--no-fund'], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    })
    // Only node itself and the installed command on PATH.
    const bin = join(dir, 'node-only')
    await mkdir(bin)
    await symlink(process.execPath, join(bin, 'node'))
    work = join(dir, 'work')
    await mkdir(work)
    env = { PATH: `${join(prefix, 'bin')}:${bin}`, HOME: work, LANG: 'C.UTF-8' }
    // npm compiles better-sqlite3 where it cannot download a prebuilt binary (67 s on 2 idle
    // cores, far longer on a shared machine).
  }, 1_800_000)

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('is linkyrpi-<version>.tgz with the workspace packages bundled, the client, the unit and the example config', async () => {
    expect(tarball.endsWith(`linkyrpi-${appVersion}.tgz`)).toBe(true)
    const { stdout } = await exec('tar', ['tzf', tarball])
    const files = stdout.split('\n')
    for (const f of [
      'package/package.json',
      'package/README.md',
      'package/LICENSE',
      'package/dist/main.js',
      'package/systemd/linkyrpi.service',
      'package/linkyrpi.config.example.yaml',
      'package/node_modules/@linkyrpi/sink-display/dist/client/index.html',
      'package/node_modules/@linkyrpi/tic-core/dist/index.js',
    ]) {
      expect(files).toContain(f)
    }
    // Compiled JavaScript only: no sources, type declarations or maps.
    expect(files.filter((f) => /\.(ts|map)$/.test(f))).toEqual([])
    const manifest = JSON.parse(
      (await exec('tar', ['xzf', tarball, '-O', 'package/package.json'])).stdout,
    ) as Record<string, unknown>
    expect(manifest).toMatchObject({
      name: 'linkyrpi',
      version: appVersion,
      bin: { linkyrpi: './dist/main.js' },
      engines: { node: '>=20' },
      license: expect.any(String),
      repository: expect.anything(),
    })
    // Every workspace package the app uses is bundled; every other dependency is an npm package.
    const bundled = manifest.bundleDependencies as string[]
    expect(bundled).toEqual(
      expect.arrayContaining([
        '@linkyrpi/pipeline',
        '@linkyrpi/tic-core',
        '@linkyrpi/sink-display',
        '@linkyrpi/store',
      ]),
    )
    for (const name of Object.keys(manifest.dependencies as object)) {
      if (name.startsWith('@linkyrpi/')) expect(bundled).toContain(name)
      else expect(String((manifest.dependencies as Record<string, string>)[name])).toMatch(/^\d/)
    }
  })

  it('installs without any development tool', () => {
    const installed = join(prefix, 'lib/node_modules/linkyrpi/node_modules')
    const names = readdirSync(installed).flatMap((n) =>
      n.startsWith('@') ? readdirSync(join(installed, n)).map((m) => `${n}/${m}`) : [n],
    )
    for (const tool of [
      'typescript',
      'turbo',
      'pnpm',
      'vitest',
      'vite',
      'eslint',
      'playwright-core',
    ])
      expect(names).not.toContain(tool)
    expect(names).toContain('@linkyrpi/pipeline')
    // The native modules the app loads are there, with a binary.
    expect(existsSync(join(installed, '@serialport/bindings-cpp/prebuilds'))).toBe(true)
    expect(existsSync(join(installed, 'better-sqlite3/package.json'))).toBe(true)
  })

  it('linkyrpi --version prints the package version', async () => {
    const r = await linkyrpi(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`linkyrpi ${appVersion}\n`)
  })

  it('linkyrpi decode reads a capture', async () => {
    const r = await linkyrpi([
      'decode',
      join(root, 'packages/tic-core/fixtures/std_mono_base_linkytic.tic'),
      '--format',
      'summary',
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/meter 012345678910: standard, 1-phase/)
    expect(r.stderr).toContain('healthy: yes')
  })

  it('linkyrpi run on its defaults serves the dashboard and its first frame, and stops cleanly on SIGTERM', async () => {
    const port = await freePort()
    const child = spawn(join(prefix, 'bin/linkyrpi'), ['run', '--http-port', String(port)], {
      cwd: work,
      env,
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (stderr.includes('dashboard at')) {
            clearInterval(timer)
            resolve()
          }
        }, 50)
        void exited.then((code) => {
          clearInterval(timer)
          reject(new Error(`exited (${String(code)}): ${stderr}`))
        })
      })
      const page = await fetch(`http://127.0.0.1:${port}/`)
      expect(page.status).toBe(200)
      const html = await page.text()
      const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1]
      expect(script).toBeDefined()
      expect((await fetch(`http://127.0.0.1:${port}/${script ?? ''}`)).status).toBe(200)
      // The simulated meter's first frame reaches the dashboard (one every ~1.5 s at speed 1).
      let latest: { reading?: unknown } | null = null
      const deadline = Date.now() + 30_000
      while (latest === null && Date.now() < deadline) {
        latest = (await (await fetch(`http://127.0.0.1:${port}/api/latest`)).json()) as {
          reading?: unknown
        } | null
        if (latest === null) await new Promise((r) => setTimeout(r, 250))
      }
      expect(latest).not.toBeNull()
      // The embedded store lives in ./data of the working directory.
      expect(existsSync(join(work, 'data'))).toBe(true)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 60_000)
  // Runs last: it takes the installed native binary away (as an install on a board for which
  // better-sqlite3 ships no prebuilt binary, without a C++ toolchain to compile one), then puts it back.
  it('without better-sqlite3 compiled, run names the package and the fix, and exits 1', async () => {
    const module = join(prefix, 'lib/node_modules/linkyrpi/node_modules/better-sqlite3')
    const binary = join(module, 'build/Release/better_sqlite3.node')
    expect(existsSync(binary)).toBe(true)
    await rename(binary, `${binary}.away`)
    try {
      const r = await linkyrpi(['run', '--http-port', String(await freePort())])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain("needs the native module 'better-sqlite3'")
      expect(r.stderr).toContain('sudo apt install build-essential python3')
      expect(r.stderr).toContain('install linkyrpi again')
      expect(r.stderr).not.toMatch(/\n\s+at /) // a sentence, not a stack trace
    } finally {
      await rename(`${binary}.away`, binary)
    }
  }, 60_000)
})
