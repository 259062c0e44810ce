// @ts-check
import eslint from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Sibling packages, by layer. The layering rules below are also enforced by `turbo boundaries`. */
const APPS = ['@agent-tracker/cli', '@agent-tracker/cli/*', '@agent-tracker/opencode-plugin', '@agent-tracker/opencode-plugin/*']

const EXPORT_ALL = { selector: 'ExportAllDeclaration', message: 'List exports explicitly: src/index.ts is the public API.' }
const EXPORT_DEFAULT = { selector: 'ExportDefaultDeclaration', message: 'Use named exports (only the OpenCode plugin entry may have a default export, because its host demands one).' }

export default tseslint.config(
  { ignores: ['**/dist/**', 'packages/cli/bundle/**', 'packages/opencode-plugin/bundle/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', 'bench/results/**', '**/test-artifacts/**'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // One program for the whole workspace (and one for the checked JavaScript), as `pnpm typecheck`
      // builds: with a program per package (the project service's way, by each file's nearest
      // tsconfig.json), every package's program reached its siblings' sources through their source
      // condition, and lint type-checked core's code once per package (`eslint .` took 79 s here, now 58 s).
      parserOptions: { project: ['./tsconfig.check.json', './tsconfig.check-js.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', EXPORT_ALL],
    },
  },
  {
    // Named exports only in package sources; the OpenCode plugin's entry is the one module whose
    // host demands a default export.
    files: ['packages/*/src/**/*.ts', 'bench/src/**/*.ts'],
    ignores: ['packages/opencode-plugin/src/index.ts'],
    rules: { 'no-restricted-syntax': ['error', EXPORT_ALL, EXPORT_DEFAULT] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // The binaries are CommonJS (their folder's package.json): Node starts them without its ES module
    // loader. So is what the bench preloads into them (`node --require`), to measure them as they run.
    files: ['packages/*/bin/**/*.js', 'bench/children/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Layering: core is the pure domain. No I/O, no Node built-ins, no LMDB, no sibling package.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'layering: core is pure — no Node built-ins (do I/O in an adapter).' },
            { group: ['lmdb', 'lmdb/*'], message: 'layering: core may not import lmdb — storage lives in @agent-tracker/lmdb-store.' },
            { group: ['@agent-tracker/*'], message: 'layering: core may not import sibling packages — they depend on core, not the reverse.' },
          ],
          paths: ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'process', 'url', 'util', 'events', 'stream', 'http', 'net'].map((name) => ({
            name,
            message: 'layering: core is pure — no Node built-ins (do I/O in an adapter).',
          })),
        },
      ],
    },
  },
  {
    // Core's test helpers may use vitest; core's tests may use Node (only src outside tests is pure).
    files: ['packages/core/src/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Layering: adapters never import the apps that compose them.
    files: ['packages/lmdb-store/src/**/*.ts', 'packages/write-buffer/src/**/*.ts', 'packages/migrate/src/**/*.ts', 'packages/node-host/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: APPS, message: 'layering: adapters may not import apps (cli, opencode-plugin) — apps compose adapters.' }] },
      ],
    },
  },
)
