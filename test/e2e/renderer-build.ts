/** The renderer build for the end-to-end tests (no vitest import: the global setup uses it too). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Build the renderer into a new private temporary directory and return it. out/web is shared with
 * whoever runs `npm run build:web` meanwhile (its emptyOutDir would pull the page away mid-test).
 */
export function buildRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'itb-e2e-web-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'vite.web.config.ts',
      '--outDir',
      dir,
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // The instructor console, served at /instructor/ from <root>/instructor.
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'vite.instructor.config.ts',
      '--outDir',
      join(dir, 'instructor'),
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return dir;
}
