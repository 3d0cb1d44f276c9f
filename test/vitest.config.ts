import { defineProject, mergeConfig } from 'vitest/config'
import shared from '../vitest.shared.js'

// Integration and end-to-end tests start real servers, child processes and Chromium: they run
// one file at a time, after the unit tests (group 1), so that they never compete with each other
// for the machine's two cores.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'test',
      include: ['**/*.test.ts'],
      exclude: ['node_modules/**'],
      fileParallelism: false,
      sequence: { groupOrder: 1 },
    },
  }),
)
