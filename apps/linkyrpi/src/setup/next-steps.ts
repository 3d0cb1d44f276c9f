import { readFileSync } from 'node:fs'
import { inRoot } from './setup-context.js'
import type { SetupContext } from './setup-context.js'

/** True for the Raspberry Pi's own UART (as opposed to a USB TIC dongle). */
export function isUart(port: string): boolean {
  return /^\/dev\/(serial\d|ttyAMA\d|ttyS\d)$/.test(port)
}

/** The kernel command line files of Raspberry Pi OS (Bookworm, then older). */
const CMDLINES = ['/boot/firmware/cmdline.txt', '/boot/cmdline.txt']

/** The file and the `console=` option that still put a login console on the UART, or null. */
export function serialConsole(ctx: SetupContext): { file: string; option: string } | null {
  for (const file of CMDLINES) {
    try {
      const option = /\bconsole=(serial0|ttyAMA0|ttyS0)[^\s]*/.exec(
        readFileSync(inRoot(ctx, file), 'utf8'),
      )?.[0]
      if (option !== undefined) return { file, option }
    } catch {
      // Not this file.
    }
  }
  return null
}

/** The home directory of `user` in the system being set up. */
function homeOf(ctx: SetupContext, user: string): string {
  try {
    const line = readFileSync(inRoot(ctx, '/etc/passwd'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${user}:`))
    return line?.split(':')[5] ?? `/home/${user}`
  } catch {
    return `/home/${user}`
  }
}

/** What is left to the user after setup, with the exact commands. */
export function nextSteps(
  ctx: SetupContext,
  o: { port: string; desktopUser: string; url: string },
): string {
  const steps: string[] = []
  if (isUart(o.port)) {
    const console = serialConsole(ctx)
    steps.push(
      [
        `Free the UART from the serial console and enable it${console === null ? '' : ` (${console.file} still has '${console.option}')`}, then reboot:`,
        '    sudo raspi-config nonint do_serial_cons 1   # no login shell on the serial port',
        '    sudo raspi-config nonint do_serial_hw 0     # serial port hardware on',
        '    sudo reboot',
      ].join('\n'),
    )
  }
  steps.push(
    [
      'Watch the service find the meter, and open the dashboard:',
      '    journalctl -u linkyrpi -f -o cat',
      `    ${o.url}`,
    ].join('\n'),
  )
  const home = homeOf(ctx, o.desktopUser)
  const browser = `chromium-browser --kiosk --noerrdialogs --disable-infobars --incognito --check-for-update-interval=31536000 --password-store=basic '${o.url}#live' &`
  steps.push(
    [
      `Kiosk on the touch screen (Raspberry Pi OS with desktop, labwc; desktop user '${o.desktopUser}'):`,
      '    sudo raspi-config nonint do_boot_behaviour B4   # log in to the desktop automatically',
      `    sudo -u ${o.desktopUser} mkdir -p ${home}/.config/labwc`,
      `    echo "${browser}" | sudo -u ${o.desktopUser} tee -a ${home}/.config/labwc/autostart`,
    ].join('\n'),
  )
  return `\nWhat is left to do:\n${steps.map((s, i) => `${String(i + 1)}. ${s}`).join('\n')}\n`
}
