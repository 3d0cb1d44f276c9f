// ESLint flat config (house-style.md §2.14): typescript-eslint recommended rules plus the
// package boundaries of §2.4 that a machine can check. Run: pnpm lint
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-artifacts/**', '**/*.mjs', '**/*.js', '**/vitest.config.ts'] },
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
  {
    // tic-core: no I/O, no Node, no other package; rxjs only as types (stage contracts).
    files: ['packages/tic-core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'net', 'http', 'child_process'], message: 'tic-core does no I/O.' },
            { group: ['@linkyrpi/*'], message: 'tic-core depends on nothing.' },
          ],
          paths: [{ name: 'rxjs', allowTypeImports: true, message: 'tic-core may only import rxjs types.' }],
        },
      ],
    },
  },
  {
    // Production code never imports the test helpers (a package's own testing subpath may).
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/tic-core/**', 'packages/*/src/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/testing', '**/testing/*', '@linkyrpi/*/testing'], message: 'test helpers are for tests only.' }] },
      ],
    },
  },
  {
    // analytics: pure computations over tic-core types; the store's query API feeds it.
    files: ['packages/analytics/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/analytics/src/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'net', 'http', 'child_process'], message: 'analytics does no I/O.' },
            { group: ['@linkyrpi/*', '!@linkyrpi/tic-core', '!@linkyrpi/tic-core/*'], message: 'analytics depends on tic-core only.' },
            { group: ['**/testing', '**/testing/*', '@linkyrpi/*/testing'], message: 'test helpers are for tests only.' },
          ],
        },
      ],
    },
  },
)
