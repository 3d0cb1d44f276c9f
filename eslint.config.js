// ESLint flat config (house-style.md §2.14): typescript-eslint recommended rules plus the
// package boundaries of §2.4 that a machine can check. Run: pnpm lint
import tseslint from 'typescript-eslint'

// Package boundaries (house-style.md §2.4), one rule per layer. Each layer lists what its
// production code may NOT import; tests (`*.test.ts`) may import anything.
const TESTING = {
  group: ['**/testing', '**/testing/*', '@linkyrpi/*/testing'],
  message: 'test helpers are for tests only.',
}
const DEEP = {
  group: ['@linkyrpi/*/src/*', '@linkyrpi/*/dist/*'],
  message: 'import a package through its exports, not its files.',
}
const STAGES = [
  'source-serial',
  'simulator',
  'sink-display',
  'sink-sqlite',
  'sink-postgres',
  'sink-mqtt',
]
const DRIVERS = ['pg', 'better-sqlite3', '@serialport/bindings-cpp']

/** `no-restricted-imports` for the production code of `files`: the common patterns plus `patterns`/`paths`. */
function boundary(files, { patterns = [], paths = [] }, ignores = []) {
  return {
    files,
    ignores: ['**/*.test.ts', ...ignores],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [TESTING, DEEP, ...patterns], paths },
      ],
    },
  }
}

/** A stage package imports tic-core, its own drivers (and, for storage sinks, the store core): never another stage, the pipeline or DI. */
function stage(name, allowed = []) {
  const others = [...STAGES, 'pipeline', 'store']
    .filter((n) => n !== name && !allowed.includes(n))
    .map((n) => `@linkyrpi/${n}`)
  return boundary([`packages/${name}/src/**/*.ts`], {
    patterns: [
      {
        group: others,
        message: `${name} is a stage: it imports tic-core and its own drivers only (the pipeline wires stages).`,
      },
    ],
    paths: [{ name: 'tsyringe', message: 'only the pipeline and the app use DI.' }],
  })
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'test-artifacts/**',
      '**/*.mjs',
      '**/*.js',
      '**/vitest.config.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  // tic-core: no I/O, no Node, no other package; rxjs only as types (stage contracts).
  boundary(
    ['packages/tic-core/src/**/*.ts'],
    {
      patterns: [
        {
          group: ['node:*', 'fs', 'net', 'http', 'child_process'],
          message: 'tic-core does no I/O.',
        },
        { group: ['@linkyrpi/*'], message: 'tic-core depends on nothing.' },
      ],
      paths: [
        { name: 'rxjs', allowTypeImports: true, message: 'tic-core may only import rxjs types.' },
      ],
    },
    ['packages/tic-core/src/testing/**'],
  ),
  // store: the driver-free core of the storage sinks (kysely's core): tic-core and kysely only.
  boundary(
    ['packages/store/src/**/*.ts'],
    {
      patterns: [
        {
          group: [...STAGES, 'pipeline'].map((n) => `@linkyrpi/${n}`),
          message: 'store is the storage core: the sinks import it, not the reverse.',
        },
      ],
      paths: [
        ...DRIVERS.map((name) => ({
          name,
          message: 'store has no driver: engines live in sink-sqlite and sink-postgres.',
        })),
        { name: 'tsyringe', message: 'only the pipeline and the app use DI.' },
      ],
    },
    ['packages/store/src/testing/**'],
  ),
  stage('sink-sqlite', ['store']),
  stage('sink-postgres', ['store']),
  stage('sink-display'),
  stage('sink-mqtt'),
  stage('simulator'),
  stage('source-serial'),
  // The pipeline wires stages: never the app, never native serial code (the app passes the binding).
  boundary(['packages/pipeline/src/**/*.ts'], {
    patterns: [
      {
        group: ['@linkyrpi/linkyrpi', '**/apps/**'],
        message: 'the pipeline does not import the app.',
      },
    ],
    paths: [{ name: '@serialport/bindings-cpp', message: 'native serial code enters at the app.' }],
  }),
  // The app composes: packages through their exports, engines through the pipeline's openStore.
  boundary(['apps/*/src/**/*.ts'], {
    paths: ['pg', 'better-sqlite3'].map((name) => ({
      name,
      message: 'the app reaches databases through the pipeline (openStore) and the sinks.',
    })),
  }),
  // analytics: pure computations over tic-core types; the store's query API feeds it.
  boundary(
    ['packages/analytics/src/**/*.ts'],
    {
      patterns: [
        {
          group: ['node:*', 'fs', 'net', 'http', 'child_process'],
          message: 'analytics does no I/O.',
        },
        {
          group: ['@linkyrpi/*', '!@linkyrpi/tic-core', '!@linkyrpi/tic-core/*'],
          message: 'analytics depends on tic-core only.',
        },
      ],
    },
    ['packages/analytics/src/testing/**'],
  ),
)
