import { defineProject, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared.js'

export default mergeConfig(
  shared,
  defineProject({ test: { name: 'sink-mqtt', include: ['src/**/*.test.ts'] } }),
)
