/**
 * Smoke test of the real Electron app with playwright-core's `_electron`. Electron's binary is fetched
 * lazily on first use and cannot be downloaded on machines without internet: then this test is SKIPPED,
 * with the reason in its name and on stderr. We look for the binary without `require('electron')`,
 * because that call itself starts the download.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/shared/contract';

const require = createRequire(import.meta.url);

function electronBinary(): { path: string | null; reason: string } {
  let dir: string;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) {
    return { path: null, reason: `Electron binary missing (no ${pathTxt}: the binary was never downloaded)` };
  }
  const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin)
    ? { path: bin, reason: '' }
    : { path: null, reason: `Electron binary missing at ${bin}` };
}

const electron = electronBinary();
if (!electron.path) process.stderr.write(`electron-smoke: SKIPPED: ${electron.reason}\n`);

describe.skipIf(!electron.path)(
  `Electron app smoke test${electron.path ? '' : ` (SKIPPED: ${electron.reason})`}`,
  () => {
    it('opens the locked-down window with the bench statement and exactly the contract bridge', async () => {
      const root = join(import.meta.dirname, '../..');
      if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/preload/index.cjs'))) {
        execFileSync(
          process.execPath,
          [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
          {
            cwd: root,
            stdio: 'inherit',
          },
        );
      }
      const { _electron } = await import('playwright-core');
      const app = await _electron.launch({
        executablePath: electron.path!,
        args: [join(root, 'out/main/index.js'), '--no-sandbox'],
        cwd: root,
      });
      try {
        const page = await app.firstWindow();
        const title = await app.evaluate(
          ({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '',
        );
        expect(title).toContain('not a medical device');
        const keys = await page.evaluate(() =>
          Object.keys((window as unknown as { programmer: object }).programmer).sort(),
        );
        expect(keys).toEqual([...OPERATIONS, 'onEvent'].sort());
        expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe(
          'undefined',
        );
        const state = await page.evaluate(() =>
          (
            window as unknown as { programmer: { connectionState(r: object): Promise<unknown> } }
          ).programmer.connectionState({}),
        );
        expect(state).toMatchObject({ ok: true });
      } finally {
        await app.close();
      }
    });
  },
);
