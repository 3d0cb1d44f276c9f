import { createRequire } from 'node:module'
import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with {
  'resolution-mode': 'require',
}

// The package's ESM entry has no type declarations; its CommonJS entry does.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingInterface
}

/** serialport's MockBinding, plus the port it opened last, so that a test can feed it bytes. */
export interface TrackedMockBinding {
  /** The mock itself (createPort, reset). */
  readonly MockBinding: MockBindingInterface
  /** The binding to hand to serialSource / the commands: MockBinding that remembers its open port. */
  readonly binding: MockBindingInterface
  /** The port opened last, or null (after `reset()`). */
  current(): MockPortBinding | null
  /** Resets the mock and forgets the port. */
  reset(): void
}

/** A MockBinding that tracks the port it opens (a fake where the hardware is missing). */
export function trackedMockBinding(): TrackedMockBinding {
  let current: MockPortBinding | null = null
  const binding: MockBindingInterface = {
    ...MockBinding,
    async open(options) {
      current = await MockBinding.open(options)
      return current
    },
  }
  return {
    MockBinding,
    binding,
    current: () => current,
    reset() {
      MockBinding.reset()
      current = null
    },
  }
}
