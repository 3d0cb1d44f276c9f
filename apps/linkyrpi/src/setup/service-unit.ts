import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CONFIG_PATH } from './config-file.js'

/** Where setup installs the unit. */
export const UNIT_PATH = '/etc/systemd/system/linkyrpi.service'
/** The unit's name for systemctl. */
export const UNIT_NAME = 'linkyrpi.service'
/** The symlink `systemctl enable` makes for `WantedBy=multi-user.target`. */
export const UNIT_WANTS = '/etc/systemd/system/multi-user.target.wants/linkyrpi.service'

/** The shipped unit (systemd/linkyrpi.service of the package). */
export function unitTemplate(): string {
  return readFileSync(
    fileURLToPath(new URL('../../systemd/linkyrpi.service', import.meta.url)),
    'utf8',
  )
}

/**
 * Node's own options on the template's `ExecStart` line, between `node` and the entry point
 * (V8 flags that NODE_OPTIONS refuses), each with its leading space; '' when there are none.
 */
export function unitNodeFlags(template: string): string {
  return /^ExecStart=\S+((?:\s+--[\w-]+(?:=\S+)?)*)\s+\S+\s+run\b/m.exec(template)?.[1] ?? ''
}

/**
 * The shipped unit with its commands pointing at this installation: `node` and the CLI's entry
 * point as they are now, and setup's configuration file. The service keeps the template's node
 * options ({@link unitNodeFlags}).
 */
export function renderUnit(template: string, node: string, main: string): string {
  const cli = `${node} ${main}`
  return template
    .replace(/^ExecStartPre=.*$/m, `ExecStartPre=${cli} config check ${CONFIG_PATH}`)
    .replace(
      /^ExecStart=.*$/m,
      `ExecStart=${node}${unitNodeFlags(template)} ${main} run --config ${CONFIG_PATH}`,
    )
}
