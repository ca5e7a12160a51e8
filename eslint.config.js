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
    // The device and patient models are pure: no I/O, no timers, no clock (docs/architecture.md).
    files: ['src/device/**/*.ts', 'src/patient/**/*.ts'],
    ignores: ['src/device/**/*.test.ts', 'src/patient/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'Date', 'Math'],
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'net', 'serialport', 'node-pty', 'ws', '**/patient/**'] },
      ],
    },
  },
  {
    // The patient is bench-side truth: nothing of it travels on telemetry (docs/architecture.md).
    files: ['src/protocol/**/*.ts', 'src/shared/**/*.ts', 'src/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/patient', '**/patient/**', '**/training', '**/training/**'] },
      ],
    },
  },
  // The patient's closed form needs Math.exp; everything else the device rule forbids still applies, and
  // randomness comes only from its seeded generator (src/patient/prng.ts), never Math.random.
  pureModel('src/patient', 'use the seeded generator (src/patient/prng.ts)', [
    '**/firmware-sim/**',
    '**/main/**',
  ]),
  // The training engines (screening trial) are pure like the models they drive: no I/O, no clock, no
  // host; they may import src/patient, src/shared and the device facts (docs/architecture.md).
  pureModel('src/training', 'no randomness here', [
    'electron',
    '**/firmware-sim/**',
    '**/main/**',
    '**/renderer/**',
    '**/protocol/**',
  ]),
  // The dependency table of docs/architecture.md, one block per folder. A group that allows type imports
  // lets the layer use another's types (`import type`) but never its run-time code.
  ...layer('src/device/**/*.ts', [
    forbid(['**/protocol/**', '**/shared/clinical/**', '**/shared/contract*', '**/main/**', '**/preload/**']),
    forbid(['**/renderer/**', '**/firmware-sim/**', '**/patient/**', '**/training/**']),
  ]),
  // The protocol's three layers depend one way: session -> messages -> link (docs/architecture.md). A later
  // block replaces an earlier one's options for the same files, so each layer repeats the protocol's row.
  ...layer('src/protocol/session/**/*.ts', protocolRow()),
  ...layer('src/protocol/messages/**/*.ts', [...protocolRow(), forbid(['**/session/**'])]),
  ...layer('src/protocol/link/**/*.ts', [
    forbid(['**/device/**', '**/messages/**', '**/session/**']),
    ...protocolRow().slice(1),
  ]),
  ...layer('src/shared/**/*.ts', [
    forbid(['**/device/**', '**/protocol/**'], true),
    forbid(['**/main/**', '**/preload/**', '**/renderer/**', '**/firmware-sim/**']),
  ]),
  ...layer('src/main/**/*.ts', [
    forbid(['**/device/**'], true),
    forbid(['**/renderer/**', '**/firmware-sim/**']),
  ]),
  ...layer('src/preload/**/*.ts', [
    forbid(['**/device/**', '**/protocol/**'], true),
    forbid(['**/main/**', '**/renderer/**', '**/firmware-sim/**']),
  ]),
  ...layer('src/renderer/**/*.{ts,tsx}', [forbid(['**/device/**', '**/protocol/**'], true)]),
  ...layer('src/training/**/*.ts', [forbid(['**/device/**'], true)]),
  ...layer('firmware-sim/**/*.ts', [forbid(['**/main/**', '**/preload/**', '**/renderer/**'])]),
  // The instructor console is a browser page on the bench side: it may know the bench's and the patient's
  // shapes (types only: its data comes through the host's relay) but loads none of their code, nor the
  // trainee's programmer.
  ...layer('src/instructor/**/*.{ts,tsx}', [
    forbid(
      ['**/device/**', '**/protocol/**', '**/firmware-sim/**', '**/patient', '**/patient/**', '**/main/**'],
      true,
    ),
    forbid(['**/renderer/**', '**/preload/**', '**/training/**']),
  ]),
  {
    files: ['src/instructor/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'serialport', 'node-pty', 'ws', 'electron'] },
      ],
    },
  },
  // The headless scenario runner and CLI (issue 19): a programmer and a sim side by side, never the screens.
  ...layer('tools/**/*.ts', [forbid(['**/preload/**', '**/renderer/**'])]),
  // Drivers act as a clinician would: through the programmer service and the case handle only, never the
  // bench's truth (patient, device internals, the sim) or the wire.
  ...layer('scenarios/**/*.ts', [
    forbid(['**/device/**', '**/patient', '**/patient/**', '**/main/**', '**/training/**'], true),
    forbid(['**/firmware-sim/**', '**/protocol/**', '**/preload/**', '**/renderer/**']),
  ]),
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
            '**/patient',
            '**/patient/**',
            '**/training',
            '**/training/**',
          ],
        },
      ],
    },
  },
);

/** The protocol's row of the dependency table, common to its three layers. */
function protocolRow() {
  return [
    forbid(['**/device/**'], true),
    forbid(['**/shared/clinical/**', '**/shared/contract*', '**/main/**', '**/preload/**', '**/renderer/**']),
    forbid(['**/firmware-sim/**']),
  ];
}

/** Import groups a layer may not use; with `typesOnly`, only `import type` from them is allowed. */
function forbid(group, typesOnly = false) {
  return {
    group,
    allowTypeImports: typesOnly,
    message: typesOnly
      ? 'this layer may import only types from there (docs/architecture.md, dependency table)'
      : 'this layer may not import from there (docs/architecture.md, dependency table)',
  };
}

/** One folder's row of the dependency table (tests beside the code are exempt). */
function layer(files, patterns) {
  return [
    {
      files: [files],
      ignores: ['**/*.test.ts', '**/*.test.tsx'],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    },
  ];
}

/** A pure model's folder: no I/O, no clock, no Math.random (Math itself is allowed), nothing of `hosts`. */
function pureModel(folder, randomMessage, hosts) {
  return {
    files: [`${folder}/**/*.ts`],
    ignores: [`${folder}/**/*.test.ts`],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'Date', 'performance'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: randomMessage }],
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'net', 'serialport', 'node-pty', 'ws', ...hosts] },
      ],
    },
  };
}
