import { existsSync } from 'node:fs'
import type { SerialBinding } from '@linkyrpi/source-serial'

/**
 * Opens `path` once, locked, as the serial source will (7E1, 1200 Bd), and closes it. Resolves to
 * null when it opens, else to a sentence saying why not and what to do: missing device,
 * permission (the `dialout` group), or busy (another program holds it).
 */
export async function checkPort(binding: SerialBinding, path: string): Promise<string | null> {
  if (!existsSync(path)) {
    let known: string[] = []
    try {
      known = (await binding.list()).map((p) => p.path)
    } catch {
      // Listing is only a hint.
    }
    return `${path} does not exist (serial ports here: ${known.length > 0 ? known.join(', ') : 'none found'}; 'linkyrpi ports' lists them${path.includes('serial0') ? '; on a Raspberry Pi, enable the UART: sudo raspi-config nonint do_serial_hw 0, then reboot' : ''})`
  }
  try {
    const port = await binding.open({
      path,
      baudRate: 1200,
      dataBits: 7,
      parity: 'even',
      stopBits: 1,
      lock: true,
    })
    await port.close()
    return null
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/EACCES|permission denied/i.test(message)) {
      return `${path}: permission denied. Add the user to the group that owns it (dialout): sudo usermod -aG dialout $USER, then log out and in again`
    }
    if (/lock|EBUSY|busy|temporarily unavailable/i.test(message)) {
      return `${path} is busy: another program has it open (find it with: sudo fuser -v ${path}; on a Raspberry Pi it may be the serial console: sudo raspi-config nonint do_serial_cons 1)`
    }
    return `cannot open ${path}: ${message}`
  }
}
