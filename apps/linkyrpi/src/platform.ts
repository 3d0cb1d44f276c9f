import type { DependencyContainer } from 'tsyringe'
import type { NodePlatform, PipelineConfig } from '@linkyrpi/pipeline'
import { DASHBOARD_LISTENING, SERIAL_BINDING } from '@linkyrpi/pipeline'
import type { Logger } from '@linkyrpi/tic-core/stage'
import { loadSerialBinding } from './serial-binding.js'

/**
 * What the app provides to a node: its logger, the wall clock, and — only when the node has a
 * serial stage — the operating system's serial binding from `@serialport/bindings-cpp`, loaded
 * lazily so that nodes without a serial port never load native code; and `onDashboard`, called
 * with the dashboard's URL once it listens.
 */
export async function createPlatform(
  config: PipelineConfig,
  node: string,
  logger: Logger,
  onDashboard?: (url: string) => void,
): Promise<NodePlatform> {
  const needsSerial = Object.values(config.stages).some(
    (s) => s.node === node && s.type === 'serial',
  )
  let binding: unknown
  if (needsSerial) binding = await loadSerialBinding()
  return {
    logger,
    now: Date.now,
    register: (c: DependencyContainer) => {
      if (binding !== undefined) c.register(SERIAL_BINDING, { useValue: binding })
      if (onDashboard !== undefined) c.register(DASHBOARD_LISTENING, { useValue: onDashboard })
    },
  }
}
