import type { SerialBinding } from '@linkyrpi/source-serial'

/**
 * The operating system's serial binding (`autoDetect()` of @serialport/bindings-cpp), loaded on
 * first use so that commands without a serial port never load native code.
 */
export async function loadSerialBinding(): Promise<SerialBinding> {
  const { autoDetect } = await import('@serialport/bindings-cpp')
  return autoDetect() as unknown as SerialBinding
}
