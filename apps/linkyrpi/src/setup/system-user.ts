import { readFileSync } from 'node:fs'
import { SetupError, inRoot, system } from './setup-context.js'
import type { SetupContext } from './setup-context.js'

/** The account the service runs as. */
export const SERVICE_USER = 'linkyrpi'
/** The group that may open serial ports on Debian / Raspberry Pi OS. */
export const SERIAL_GROUP = 'dialout'

function entries(ctx: SetupContext, file: string): string[][] {
  try {
    return readFileSync(inRoot(ctx, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(':'))
  } catch {
    return []
  }
}

/** Uid and gid of a user of the system being set up, or null. */
export function lookupUser(ctx: SetupContext, name: string): { uid: number; gid: number } | null {
  const e = entries(ctx, '/etc/passwd').find((f) => f[0] === name)
  return e === undefined ? null : { uid: Number(e[2]), gid: Number(e[3]) }
}

/** Options that make useradd/usermod/groupadd edit the image's /etc rather than this machine's. */
function prefix(ctx: SetupContext): string[] {
  return ctx.root === '/' ? [] : ['--prefix', ctx.root]
}

/** Creates the system user `linkyrpi` in group `dialout`, or adds the existing one to it. */
export async function ensureServiceUser(ctx: SetupContext, home: string): Promise<void> {
  if (!entries(ctx, '/etc/group').some((f) => f[0] === SERIAL_GROUP)) {
    ctx.say(`group ${SERIAL_GROUP}: missing, creating it`)
    await system(ctx, 'groupadd', [...prefix(ctx), '--system', SERIAL_GROUP])
  }
  const members = (entries(ctx, '/etc/group').find((f) => f[0] === SERIAL_GROUP)?.[3] ?? '').split(
    ',',
  )
  if (lookupUser(ctx, SERVICE_USER) === null) {
    ctx.say(`user ${SERVICE_USER}: creating the system user, in group ${SERIAL_GROUP}`)
    await system(ctx, 'useradd', [
      ...prefix(ctx),
      '--system',
      '--user-group',
      '--home-dir',
      home,
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      '--groups',
      SERIAL_GROUP,
      SERVICE_USER,
    ])
    if (!ctx.dryRun && lookupUser(ctx, SERVICE_USER) === null)
      throw new SetupError(
        `useradd reported success but ${SERVICE_USER} is not in ${inRoot(ctx, '/etc/passwd')}`,
      )
  } else if (!members.includes(SERVICE_USER)) {
    ctx.say(`user ${SERVICE_USER}: exists, adding it to group ${SERIAL_GROUP}`)
    await system(ctx, 'usermod', [
      ...prefix(ctx),
      '--append',
      '--groups',
      SERIAL_GROUP,
      SERVICE_USER,
    ])
  } else {
    ctx.say(`user ${SERVICE_USER}: exists, in group ${SERIAL_GROUP}`)
  }
}
