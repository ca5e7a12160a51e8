// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The device model is pure: no I/O, no timers (docs/architecture.md).
    files: ['src/device/**/*.ts'],
    ignores: ['src/device/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'Date', 'Math'],
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'net', 'serialport', 'node-pty', 'ws'] },
      ],
    },
  },
  {
    // The renderer never imports Node modules.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'serialport',
            'node-pty',
            'ws',
            'electron',
            '**/main/**',
            '**/firmware-sim/**',
          ],
        },
      ],
    },
  },
);
