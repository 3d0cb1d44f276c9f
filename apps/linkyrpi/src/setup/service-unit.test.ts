import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { renderUnit, unitNodeFlags, unitTemplate } from './service-unit.js'

const template = (execStart: string): string =>
  `[Service]\nExecStartPre=/usr/bin/node /x/main.js config check /c.yaml\nExecStart=${execStart}\n`

describe('renderUnit', () => {
  it("keeps the template's node options on ExecStart, not on the configuration check", () => {
    const unit = renderUnit(
      template(
        '/usr/local/bin/node --no-turbofan --max-lazy=1 /usr/local/lib/x/main.js run --config /etc/x.yaml',
      ),
      '/opt/node',
      '/opt/app/main.js',
    )
    expect(unit).toContain(
      'ExecStart=/opt/node --no-turbofan --max-lazy=1 /opt/app/main.js run --config /etc/linkyrpi/linkyrpi.yaml\n',
    )
    expect(unit).toContain(
      'ExecStartPre=/opt/node /opt/app/main.js config check /etc/linkyrpi/linkyrpi.yaml\n',
    )
  })

  it('writes none when the template has none', () => {
    expect(unitNodeFlags(template('/usr/bin/node /x/main.js run --config /c.yaml'))).toBe('')
    expect(
      renderUnit(template('/usr/bin/node /x/main.js run --config /c.yaml'), '/n', '/m.js'),
    ).toContain('ExecStart=/n /m.js run --config /etc/linkyrpi/linkyrpi.yaml\n')
  })

  it("the shipped unit's node options are ones this node accepts", () => {
    const flags = unitNodeFlags(unitTemplate()).trim().split(/\s+/)
    expect(flags).toContain('--no-turbofan')
    const r = spawnSync(
      process.execPath,
      [...flags, '-e', 'process.stdout.write(typeof WebAssembly)'],
      { encoding: 'utf8' },
    )
    expect(r.stderr).toBe('')
    // WebAssembly stays (fetch needs it): not --jitless, which --lite-mode implies.
    expect(r.stdout).toBe('object')
  })
})
