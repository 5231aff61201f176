import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The architecture, as lint rules: the core is pure (no I/O, no wall clock, no timers, no outer layers),
// vendor code stays in its driver, SQL stays in the store.
const pureCoreRestrictions = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['node:*', 'fs', 'net', 'dgram', 'http', 'https', 'child_process', 'worker_threads'], message: 'The core does no I/O.' },
      { group: ['@outdial/store/*', '@outdial/server/*', '@outdial/telephony/*', '@outdial/driver-sip/*', '@outdial/cli/*', '@outdial/web/*', '@outdial/bench/*'], message: 'The core imports no outer layer.' },
      { group: ['kysely', 'better-sqlite3', 'pg', 'fastify', 'sip', 'react'], message: 'The core has zero runtime dependencies.' },
    ],
  }],
  'no-restricted-globals': ['error',
    { name: 'setTimeout', message: 'Use the injected Clock.' },
    { name: 'setInterval', message: 'Use the injected Clock.' },
    { name: 'setImmediate', message: 'Use the injected Clock.' },
    { name: 'fetch', message: 'The core does no I/O.' },
    { name: 'process', message: 'The core does no I/O.' },
  ],
  'no-restricted-syntax': ['error',
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected Clock.' },
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock.' },
    { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use a seeded random source.' },
    { selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']", message: 'Use the injected Clock.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-results/**', 'bench-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  { files: ['packages/core/src/**/*.ts'], rules: pureCoreRestrictions },
  {
    files: ['packages/**/src/**/*.ts', 'packages/**/src/**/*.tsx'],
    ignores: ['packages/store/src/**', 'packages/bench/src/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'kysely', message: 'SQL lives only in @outdial/store repositories.' },
        { name: 'better-sqlite3', message: 'SQL lives only in @outdial/store.' },
        { name: 'pg', message: 'SQL lives only in @outdial/store.' },
      ] }],
    },
  },
  { files: ['packages/core/src/**/*.ts'], rules: pureCoreRestrictions },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  { files: ['packages/cli/src/**/*.ts', 'packages/bench/src/**/*.ts', 'bin/**', 'test/**', 'scripts/**'], rules: { 'no-console': 'off' } },
);
