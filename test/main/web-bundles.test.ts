/**
 * `npm run web`'s bundles (scripts/web.mjs): built on demand into out/web-host (never committed), reused
 * while their inputs are unchanged, and the pump's bundle runs like the sources: it finds the scenario
 * library and node-pty from its source files' locations.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, bundlesAreCurrent } from '../../scripts/web.mjs';
import { parseReadyLine } from '../../src/main/service/embedded-pump';

const dir = mkdtempSync(join(tmpdir(), 'web-bundles-'));
const out = join(dir, 'out');

describe('npm run web: the host and pump bundles', () => {
  beforeAll(async () => {
    await buildBundles(out);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the project files it was built from (not node_modules: the lockfile pins those) and is current', () => {
    const stamp = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as { files: string[] };
    expect(stamp.files).toEqual(
      expect.arrayContaining([
        'scripts/web.ts',
        'src/main/web-host.ts',
        'firmware-sim/cli.ts',
        'src/protocol/link/frame.ts',
      ]),
    );
    expect(stamp.files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
    expect(bundlesAreCurrent(out)).toBe(true);
  });

  it('is out of date when an input changed or a bundle is missing', () => {
    const stampFile = join(out, 'inputs.json');
    const good = readFileSync(stampFile, 'utf8');
    try {
      // A changed source hashes differently from the stamp: the same as a stamp of other contents.
      const stamp = JSON.parse(good) as { files: string[]; sha256: string };
      writeFileSync(stampFile, JSON.stringify({ ...stamp, sha256: '0'.repeat(64) }));
      expect(bundlesAreCurrent(out)).toBe(false);
      writeFileSync(stampFile, JSON.stringify({ ...stamp, files: [...stamp.files, 'src/gone.ts'] }));
      expect(bundlesAreCurrent(out)).toBe(false);
      writeFileSync(stampFile, 'not json');
      expect(bundlesAreCurrent(out)).toBe(false);
    } finally {
      writeFileSync(stampFile, good);
    }
    expect(bundlesAreCurrent(out)).toBe(true);
    expect(bundlesAreCurrent(join(dir, 'nothing-built'))).toBe(false);
  });

  it('the pump bundle starts on a pty and serves the scenario library from the repository', async () => {
    expect(existsSync(join(out, 'firmware-sim.mjs'))).toBe(true);
    const child = spawn(
      process.execPath,
      [join(out, 'firmware-sim.mjs'), '--json', '--state', join(dir, 'pump.json')],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    try {
      const ready = await new Promise<ReturnType<typeof parseReadyLine>>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          const r = parseReadyLine(l);
          if (r) resolve(r);
        });
        child.once('exit', (code) => reject(new Error(`the bundled sim exited (${code}) before ready`)));
      });
      expect(ready?.port).toMatch(/^\/dev\/pts\//);
      const raw = ready as unknown as { bedside: string; bedsideTokenFile: string };
      const token = readFileSync(raw.bedsideTokenFile, 'utf8').trim();
      const res = await fetch(`${raw.bedside}/cases`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const cases = (await res.json()) as { id: string }[];
      expect(cases.map((c) => c.id)).toContain('battery-eri-eos');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
