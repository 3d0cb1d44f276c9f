import { describe, expect, it } from 'vitest'
import { validateConfig } from '../config/load-config.js'
import { waitingFor } from './display-stage.js'

describe('waitingFor', () => {
  it('follows from-links up to the source: serial with its path, simulator, replay, another node', async () => {
    const config = await validateConfig({
      version: 1,
      nats: { servers: ['nats://127.0.0.1:4222'] },
      stages: {
        meter: { type: 'serial', path: '/dev/ttyUSB0' },
        frames: { type: 'tic-decode', from: 'meter' },
        screen: { type: 'display', from: 'frames', port: 0 },
        sim: { type: 'simulator' },
        'sim-frames': { type: 'tic-decode', from: 'sim' },
        'sim-screen': { type: 'display', from: 'sim-frames', port: 0 },
        far: { type: 'display', from: 'frames', port: 0, node: 'server' },
      },
    })
    expect(waitingFor(config, 'screen')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0' })
    expect(waitingFor(config, 'sim-screen')).toEqual({ kind: 'simulator' })
    expect(waitingFor(config, 'far')).toEqual({ kind: 'remote' })
    expect(waitingFor(config, 'nothing')).toEqual({ kind: 'other' })
  })
})
