// ESLint for the whole tree (`npm run lint`, and CI through the README's test command): TypeScript
// with typescript-eslint's recommended rules, Svelte components with eslint-plugin-svelte's, and the
// rule that keeps core/ pure ECMAScript (it runs in the worker, the main process, the CLI and the
// renderer, so time, crypto and I/O come in as arguments). Formatting is Prettier's (.prettierrc.json).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** What core/ must not import: Node's modules, Electron, the serial port. */
const NODE_MODULES = ['fs', 'net', 'tls', 'dgram', 'os', 'path', 'crypto', 'timers', 'child_process', 'worker_threads', 'stream', 'events', 'util'];

/** What core/ must not touch: the host's clock, timers, the DOM and Node's globals. */
const HOST_GLOBALS = [
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'queueMicrotask',
  'requestAnimationFrame',
  'window',
  'document',
  'navigator',
  'localStorage',
  'process',
  'Buffer',
  'performance',
].map((name) => ({ name, message: 'core/ is pure ECMAScript: the host passes time, timers and I/O in as arguments' }));

export default ts.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', 'test-results/', 'renderer/.vite/', '.ci/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Unused names are mistakes, except those marked as deliberately ignored.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `!` is used where an index was just checked (noUncheckedIndexedAccess).
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Prettier wraps code at 160 but not strings, template literals or comments: those are split by hand.
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // A .cjs file is CommonJS, where require() is the module system (the only ones are the fake
    // Electron that out/main/main.cjs loads through require, and the script that patches the CJS
    // loader to serve it): typescript-eslint's rule against require() is for ES modules.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['core/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'core/ is pure ECMAScript: no Node.js modules' },
            { regex: `^(${NODE_MODULES.join('|')})$`, message: 'core/ is pure ECMAScript: no Node.js modules' },
            { regex: '^(electron|serialport|@serialport/.*)$', message: 'core/ is pure ECMAScript: the hosts own Electron and the serial ports' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...HOST_GLOBALS],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'core/ takes the time as an argument' }],
    },
  },
);
