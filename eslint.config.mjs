import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', 'bench/results/**', '.stryker-tmp/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The core runs on plain Node and in the browser bundle's tests: it must never see VS Code.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/protocol/**/*.ts', 'src/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'] }] },
  },
  {
    // The core is what the adapters share: it never reaches back into one of them.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [{ group: ['**/cli', '**/cli/**', '**/server', '**/server/**', '**/extension', '**/extension/**'], message: 'The core imports only itself, src/protocol and src/view-model.' }],
      }],
    },
  },
  {
    // The webview runs in the browser on the view model and the messages only: the core stays behind the host.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [{ group: ['**/src/core', '**/src/core/**', '**/src/extension/**', '**/src/server/**', '**/src/cli/**'], message: 'The webview imports only src/protocol and src/view-model.' }],
      }],
    },
  },
  {
    // The view model is shared with the webview: pure functions of the protocol's graph, no core.
    files: ['src/view-model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [{ group: ['../core', '../core/**', '../extension/**', '../server/**', '../cli/**'], message: 'The view model imports only src/protocol.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
