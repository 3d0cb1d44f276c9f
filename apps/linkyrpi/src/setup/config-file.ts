import { DEFAULT_HTTP_PORT } from '@linkyrpi/pipeline'
import type { MeterDetection } from '@linkyrpi/source-serial'

/** Where setup writes the configuration the service runs. */
export const CONFIG_PATH = '/etc/linkyrpi/linkyrpi.yaml'
/** The service's data directory (SQLite store). */
export const DATA_DIR = '/var/lib/linkyrpi'
/** The port used when no meter answered: the Raspberry Pi's UART. */
export const DEFAULT_PORT = '/dev/serial0'

/** The configuration for one meter on `port`: serial → decoder → SQLite → dashboard. */
export function renderConfig(port: string, found: MeterDetection | null): string {
  const about =
    found === null
      ? 'no meter answered during setup'
      : `found ${found.meterKind} ${found.meterId ?? ''} in ${found.mode} mode at ${String(found.baudRate)} Bd`.replace(
          '  ',
          ' ',
        )
  return `# LinkyRPi configuration (reference: docs/pipeline.md). Check it with:
#   linkyrpi config check ${CONFIG_PATH}
version: 1
site: home
dataDir: ${DATA_DIR}
stages:
  meter:
    type: serial
    path: ${port}   # ${about}
    mode: auto        # follows the meter if it switches between historique and standard
  frames:
    type: tic-decode
    from: meter
  store:
    type: sqlite
    from: frames
  dashboard:
    type: display
    from: frames
    host: 127.0.0.1   # this machine's kiosk only; 0.0.0.0 opens it (read-only) to the LAN
    port: ${String(DEFAULT_HTTP_PORT)}
`
}
