/**
 * The embedded configuration `linkyrpi run` uses without `--config`: a simulated meter at real
 * pace → decoder → the SQLite store and the dashboard. Everything else (the data directory, the
 * dashboard's port) comes from the defaults of the config schema.
 */
export const DEFAULT_CONFIG = {
  version: 1,
  site: 'home',
  stages: {
    meter: { type: 'simulator', mode: 'historique', option: 'hc', speed: 1 },
    frames: { type: 'tic-decode', from: 'meter' },
    store: { type: 'sqlite', from: 'frames' },
    dashboard: { type: 'display', from: 'frames' },
  },
} as const
