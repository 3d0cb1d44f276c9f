import { spawn } from 'node:child_process'
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `linkyrpi setup` (built app, separate process) on a fake root: a directory holding the /etc
// and /boot files of a Raspberry Pi OS image, with fake useradd/usermod/groupadd/systemctl
// first on PATH. They log their arguments and do what the real ones do to those files (the
// real ones, given --prefix / --root, edit exactly these files). A meter on a socat pty fed by
// `linkyrpi simulate --pty` proves the detection.

const root = fileURLToPath(new URL('../../', import.meta.url))
const APP = join(root, 'apps/linkyrpi/dist/main.js')

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

const FAKE_USERADD = `#!/bin/sh
echo "useradd $*" >> "$FAKE_LOG"
prefix=/; for a in "$@"; do [ "$prev" = --prefix ] && prefix="$a"; prev="$a"; name="$a"; done
echo "$name:x:999:999::/var/lib/$name:/usr/sbin/nologin" >> "$prefix/etc/passwd"
echo "$name:x:999:" >> "$prefix/etc/group"
sed -i "s/^dialout:\\(.*[^:]\\)$/dialout:\\1,$name/; s/^dialout:\\(.*\\):$/dialout:\\1:$name/" "$prefix/etc/group"
`
const FAKE_USERMOD = `#!/bin/sh
echo "usermod $*" >> "$FAKE_LOG"
prefix=/; for a in "$@"; do [ "$prev" = --prefix ] && prefix="$a"; prev="$a"; name="$a"; done
sed -i "s/^dialout:\\(.*[^:]\\)$/dialout:\\1,$name/; s/^dialout:\\(.*\\):$/dialout:\\1:$name/" "$prefix/etc/group"
`
const FAKE_SYSTEMCTL = `#!/bin/sh
echo "systemctl $*" >> "$FAKE_LOG"
case "$1" in --root=*) r="\${1#--root=}"; [ "$2" = enable ] && mkdir -p "$r/etc/systemd/system/multi-user.target.wants" && ln -sf /etc/systemd/system/$3 "$r/etc/systemd/system/multi-user.target.wants/$3";; esac
`

/** Every file under `dir` with its content (links as their target), for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out[p.slice(dir.length)] = e.isSymbolicLink() ? `-> ${p}` : readFileSync(p, 'utf8')
    }
    out[`${d.slice(dir.length)}/`] = ''
  }
  walk(dir)
  return out
}

describe('linkyrpi setup', () => {
  let dir = ''
  let bin = ''
  let log = ''

  /** A fresh fake Raspberry Pi OS root: a desktop user 'pi' in dialout, the console on the UART. */
  async function fakeRoot(name: string): Promise<string> {
    const r = join(dir, name)
    await mkdir(join(r, 'etc'), { recursive: true })
    await mkdir(join(r, 'boot/firmware'), { recursive: true })
    await writeFile(
      join(r, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000::/home/pi:/bin/bash\n',
    )
    await writeFile(join(r, 'etc/group'), 'root:x:0:\ndialout:x:20:pi\npi:x:1000:\n')
    await writeFile(
      join(r, 'boot/firmware/cmdline.txt'),
      'console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait\n',
    )
    return r
  }

  function setup(args: string[], opts: { uid?: number } = {}): Promise<Result> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [APP, 'setup', ...args], {
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          FAKE_LOG: log,
          SUDO_USER: 'pi',
        },
        ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
    })
  }

  const calls = (): string[] =>
    existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []

  beforeAll(async () => {
    if (!existsSync(APP)) throw new Error(`${APP} is missing: build first (pnpm build)`)
    dir = await mkdtemp(join(tmpdir(), 'linky-setup-'))
    await chmod(dir, 0o755)
    bin = join(dir, 'bin')
    log = join(dir, 'calls.log')
    await mkdir(bin)
    for (const [name, script] of [
      ['useradd', FAKE_USERADD],
      ['usermod', FAKE_USERMOD],
      ['groupadd', '#!/bin/sh\necho "groupadd $*" >> "$FAKE_LOG"\n'],
      ['systemctl', FAKE_SYSTEMCTL],
    ] as const) {
      await writeFile(join(bin, name), script, { mode: 0o755 })
    }
  })

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('--dry-run prints the plan and the configuration, runs nothing and changes nothing', async () => {
    const r = await fakeRoot('dry')
    await rm(log, { force: true })
    const before = snapshot(r)
    const result = await setup(['--root', r, '--no-detect', '--dry-run'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('dry run: nothing is changed')
    expect(result.stdout).toContain(
      `$ useradd --prefix ${r} --system --user-group --home-dir /var/lib/linkyrpi --no-create-home --shell /usr/sbin/nologin --groups dialout linkyrpi`,
    )
    expect(result.stdout).toContain('/etc/linkyrpi/linkyrpi.yaml: would be created')
    expect(result.stdout).toMatch(/\|\s+path: \/dev\/serial0/)
    expect(result.stdout).toContain(`$ systemctl --root=${r} enable linkyrpi.service`)
    expect(calls()).toEqual([])
    expect(snapshot(r)).toEqual(before)
  })

  it('creates the user in dialout, the configuration, the data directory and the enabled unit; says what is left', async () => {
    const r = await fakeRoot('first')
    await rm(log, { force: true })
    const result = await setup(['--root', r, '--no-detect'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(calls()).toEqual([
      `useradd --prefix ${r} --system --user-group --home-dir /var/lib/linkyrpi --no-create-home --shell /usr/sbin/nologin --groups dialout linkyrpi`,
      `systemctl --root=${r} enable linkyrpi.service`,
    ])
    expect(readFileSync(join(r, 'etc/group'), 'utf8')).toContain('dialout:x:20:pi,linkyrpi')
    // The configuration: the Pi's UART, and valid.
    const config = join(r, 'etc/linkyrpi/linkyrpi.yaml')
    expect(readFileSync(config, 'utf8')).toMatch(/type: serial\n\s+path: \/dev\/serial0/)
    const check = await new Promise<Result>((resolve) => {
      const c = spawn(process.execPath, [APP, 'config', 'check', config])
      let stdout = ''
      let stderr = ''
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      c.on('exit', (code) => resolve({ code, stdout, stderr }))
    })
    expect(check.stderr).toBe('')
    expect(check.code).toBe(0)
    // The data directory belongs to the new user (uid 999 from the fake useradd).
    const data = statSync(join(r, 'var/lib/linkyrpi'))
    expect(data.isDirectory()).toBe(true)
    expect(data.uid).toBe(999)
    // The unit runs this installation's node and CLI on setup's configuration.
    const unit = readFileSync(join(r, 'etc/systemd/system/linkyrpi.service'), 'utf8')
    // with the shipped unit's V8 flags (NODE_OPTIONS refuses them).
    expect(unit).toContain(
      `ExecStart=${process.execPath} --no-turbofan --no-maglev --no-sparkplug --optimize-for-size ${APP} run --config /etc/linkyrpi/linkyrpi.yaml\n`,
    )
    expect(unit).toContain(
      `ExecStartPre=${process.execPath} ${APP} config check /etc/linkyrpi/linkyrpi.yaml\n`,
    )
    expect(unit).toContain('User=linkyrpi')
    expect(
      lstatSync(
        join(r, 'etc/systemd/system/multi-user.target.wants/linkyrpi.service'),
      ).isSymbolicLink(),
    ).toBe(true)
    // What is left, with the exact commands; the console is still on the UART in cmdline.txt.
    expect(result.stdout).toContain(
      "(/boot/firmware/cmdline.txt still has 'console=serial0,115200')",
    )
    expect(result.stdout).toContain('sudo raspi-config nonint do_serial_cons 1')
    expect(result.stdout).toContain('sudo raspi-config nonint do_serial_hw 0')
    expect(result.stdout).toContain(
      "'http://127.0.0.1:8080/#live' &\" | sudo -u pi tee -a /home/pi/.config/labwc/autostart",
    )

    // Again: nothing to do, nothing run, nothing changed.
    await rm(log, { force: true })
    const before = snapshot(r)
    const again = await setup(['--root', r, '--no-detect'])
    expect(again.code).toBe(0)
    expect(calls()).toEqual([])
    expect(snapshot(r)).toEqual(before)
    expect(again.stdout).toContain('user linkyrpi: exists, in group dialout')
    expect(again.stdout).toContain('/etc/linkyrpi/linkyrpi.yaml: up to date')
    expect(again.stdout).toContain('/etc/systemd/system/linkyrpi.service: up to date')
    expect(again.stdout).toContain('linkyrpi.service: enabled')
  })

  it('updates a configuration nobody touched, and never overwrites one that was changed', async () => {
    const r = await fakeRoot('changes')
    const config = join(r, 'etc/linkyrpi/linkyrpi.yaml')
    expect((await setup(['--root', r, '--no-detect', '--port', '/dev/ttyUSB0'])).code).toBe(0)
    expect(readFileSync(config, 'utf8')).toContain('path: /dev/ttyUSB0')
    // Untouched: setup may replace it.
    const updated = await setup(['--root', r, '--no-detect', '--port', '/dev/ttyUSB1'])
    expect(updated.stdout).toContain('/etc/linkyrpi/linkyrpi.yaml: updated')
    expect(readFileSync(config, 'utf8')).toContain('path: /dev/ttyUSB1')
    // Edited by hand: kept as it is, and said so. The UART is not mentioned for a USB dongle.
    const edited = `${readFileSync(config, 'utf8').replace('port: 8080', 'port: 8081')}`
    await writeFile(config, edited)
    const kept = await setup(['--root', r, '--no-detect', '--port', '/dev/ttyUSB0'])
    expect(kept.code).toBe(0)
    expect(kept.stdout).toContain(
      '/etc/linkyrpi/linkyrpi.yaml: changed since setup wrote it: left as it is',
    )
    expect(readFileSync(config, 'utf8')).toBe(edited)
    expect(kept.stdout).not.toContain('raspi-config nonint do_serial')
  })

  it('without root refuses, prints the command to run, and changes nothing', async () => {
    const r = await fakeRoot('nonroot')
    await rm(log, { force: true })
    const before = snapshot(r)
    const result = await setup(['--root', r, '--no-detect'], { uid: 65534 })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('linkyrpi setup: must run as root')
    expect(result.stderr).toContain(`sudo ${process.execPath} ${APP} setup --root ${r} --no-detect`)
    expect(calls()).toEqual([])
    expect(snapshot(r)).toEqual(before)
  })

  it('writes the port where a meter answers (a socat pty fed by linkyrpi simulate)', async () => {
    const sim = spawn(process.execPath, [APP, 'simulate', '--pty', '--speed', '1', '--seed', '7'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const pty = await new Promise<string>((resolve, reject) => {
        let out = ''
        sim.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /(\/dev\/pts\/\d+)/.exec(out)
          if (m !== null) resolve(m[1] as string)
        })
        sim.on('exit', (code) => reject(new Error(`simulate exited ${String(code)}`)))
      })
      const r = await fakeRoot('detect')
      const result = await setup(['--root', r, '--port', pty, '--timeout', '20s'])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(
        new RegExp(`meter: \\S+ \\d+ on ${pty}, historique mode at 1200 Bd`),
      )
      expect(readFileSync(join(r, 'etc/linkyrpi/linkyrpi.yaml'), 'utf8')).toMatch(
        new RegExp(`path: ${pty} +# found \\S+ \\d+ in historique mode at 1200 Bd`),
      )
    } finally {
      sim.kill('SIGTERM')
    }
  }, 60_000)
})
