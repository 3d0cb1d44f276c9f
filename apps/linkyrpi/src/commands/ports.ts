import type { SerialBinding } from '@linkyrpi/source-serial'
import { EXIT, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { loadSerialBinding } from '../serial-binding.js'

const HELP = `Usage: linkyrpi ports [--json]

Lists the serial ports of this machine (USB TIC dongles, the Raspberry Pi UART /dev/ttyAMA0 or
/dev/serial0, …) with what the system knows about them. Then run
'linkyrpi detect --port PATH' to find the meter's mode on one of them.

Options:
  --json   one JSON array on stdout

Exit codes: 0 listed (even none), 1 the ports could not be listed, 2 bad arguments.
`

/** Port listing with an injectable binding (tests pass MockBinding). */
export async function listPorts(
  binding: SerialBinding,
  json: boolean,
  io: CommandIo,
): Promise<number> {
  let ports
  try {
    ports = await binding.list()
  } catch (error) {
    io.stderr.write(`linkyrpi ports: cannot list serial ports: ${(error as Error).message}\n`)
    return EXIT.failure
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(ports)}\n`)
    return EXIT.ok
  }
  if (ports.length === 0) {
    io.stdout.write(
      'no serial port found (on a Raspberry Pi, enable the UART: it appears as /dev/serial0)\n',
    )
    return EXIT.ok
  }
  for (const p of ports) {
    const details = [
      p.manufacturer,
      p.vendorId !== undefined && p.productId !== undefined
        ? `usb ${p.vendorId}:${p.productId}`
        : undefined,
      p.serialNumber !== undefined ? `serial ${p.serialNumber}` : undefined,
      p.pnpId,
    ].filter((x): x is string => x !== undefined && x !== '')
    io.stdout.write(`${p.path}${details.length > 0 ? `  ${details.join(', ')}` : ''}\n`)
  }
  return EXIT.ok
}

/** `linkyrpi ports`: list serial ports. */
export const portsCommand: Command = {
  name: 'ports',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { options: { json: { type: 'boolean' } } })
    return listPorts(await loadSerialBinding(), values.json === true, io)
  },
}
