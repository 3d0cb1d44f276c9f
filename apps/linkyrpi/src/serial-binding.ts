import type { SerialBinding } from '@linkyrpi/source-serial'
import { NativeModuleError, nativeModuleMessage } from './native-module.js'

/**
 * The operating system's serial binding (`autoDetect()` of @serialport/bindings-cpp), loaded on
 * first use so that commands without a serial port never load native code. Throws a
 * {@link NativeModuleError} naming the package and the fix when its binary does not load.
 */
export async function loadSerialBinding(): Promise<SerialBinding> {
  try {
    const { autoDetect } = await import('@serialport/bindings-cpp')
    const binding = autoDetect() as unknown as SerialBinding
    // The binary loads lazily: listing ports makes sure it is there.
    await binding.list()
    return binding
  } catch (error) {
    throw new NativeModuleError(
      nativeModuleMessage('@serialport/bindings-cpp', 'Reading a serial port', error),
    )
  }
}
