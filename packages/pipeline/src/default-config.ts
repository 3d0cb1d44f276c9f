/**
 * The embedded configuration `linkyrpi run` uses without `--config`: a simulated meter at real
 * pace → decoder → the dashboard, plus the SQLite store in `dataDir` once that stage type exists.
 * Stage types missing from the registry are left out, so the defaults always validate.
 */
export const DEFAULT_CONFIG = {
  version: 1,
  site: 'home',
  dataDir: './data',
  stages: {
    meter: { type: 'simulator', mode: 'historique', option: 'hc', speed: 1 },
    frames: { type: 'tic-decode', from: 'meter' },
    store: { type: 'sqlite', from: 'frames' },
    dashboard: { type: 'display', from: 'frames', port: 8080 },
    log: { type: 'log', from: 'frames', level: 'debug' },
  },
} as const

/**
 * {@link DEFAULT_CONFIG} with overrides (data directory, dashboard port) and without stages whose
 * type is not in `available`. Returns a plain object for `validateConfig`.
 */
export function defaultConfig(overrides: { readonly dataDir?: string; readonly httpPort?: number }, available: ReadonlySet<string>): Record<string, unknown> {
  const stages: Record<string, Record<string, unknown>> = {}
  for (const [id, stage] of Object.entries(DEFAULT_CONFIG.stages)) {
    if (!available.has(stage.type)) continue
    stages[id] = id === 'dashboard' && overrides.httpPort !== undefined ? { ...stage, port: overrides.httpPort } : { ...stage }
  }
  // Without a dashboard the log sink shows the readings at info level.
  if (stages.dashboard === undefined && stages.log !== undefined) stages.log = { ...stages.log, level: 'info' }
  else delete stages.log
  return { ...DEFAULT_CONFIG, dataDir: overrides.dataDir ?? DEFAULT_CONFIG.dataDir, stages }
}
