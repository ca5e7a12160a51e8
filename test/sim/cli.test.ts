/** The CLI as a process: --help, bad options (exit 2), a corrupt state file refused unless --reset, --link, signals. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, Sim, tempDir } from './harness';

describe('firmware-sim CLI', () => {
  it('--help documents every option and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const opt of [
      '--model',
      '--serial',
      '--state',
      '--speed',
      '--paused',
      '--fast',
      '--seed',
      '--key',
      '--bench-port',
      '--json',
      '--link',
      '--port',
      '--reset',
    ])
      expect(r.stdout).toContain(opt);
  });

  it.each([
    [['--model', 'SM9-99']],
    [['--speed', '0']],
    [['--bogus']],
    [['--paused', '--fast']],
    [['--key', 'zz']],
  ])('bad option %j: clear message, exit 2, nothing started', async (args) => {
    const dir = tempDir();
    const r = await runCli([...args, '--state', path.join(dir, 's.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/firmware-sim: .+\n\(try --help\)/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a corrupt or truncated state file is refused (exit 1, file untouched) unless --reset', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'pump.json');
    const sim = await Sim.start(file, ['--paused', '--serial', 'NGV424242']);
    expect(await sim.stop()).toEqual({ code: 0, signal: null });
    const good = fs.readFileSync(file, 'utf8');

    for (const damaged of [
      good.slice(0, Math.floor(good.length / 2)),
      good.replace('"NGV424242"', '"NGV424243"'),
      '',
    ]) {
      fs.writeFileSync(file, damaged);
      const r = await runCli(['--json', '--state', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/state file .* is unusable: .*--reset/);
      expect(JSON.parse(r.stdout.trim().split('\n')[0]!)).toMatchObject({ event: 'error' });
      expect(fs.readFileSync(file, 'utf8')).toBe(damaged);
    }

    const fresh = await Sim.start(file, ['--paused', '--reset', '--serial', 'NGV515151']);
    expect(fresh.ready.serial).toBe('NGV515151');
    await fresh.stop();
  });

  it('--link makes a stable symlink to the pty, removed on SIGINT (exit 0)', async () => {
    const dir = tempDir();
    const link = path.join(dir, 'ttyPUMP0');
    const sim = await Sim.start(path.join(dir, 's.json'), ['--paused', '--link', link]);
    expect(sim.ready.link).toBe(link);
    expect(fs.readlinkSync(link)).toBe(sim.ready.port);
    sim.proc.kill('SIGINT');
    expect(await sim.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(link)).toBe(false);
  });

  it('without --json the ready text is readable and names the port, bench and token file; SIGTERM exits 0', async () => {
    const dir = tempDir();
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, '--paused', '--state', path.join(dir, 's.json')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ready text: ${out}`)), 30_000);
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ctrl-C')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(out).toMatch(/serial port: \/dev\/pts\/\d+/);
    expect(out).toMatch(/bench API: +http:\/\/127\.0\.0\.1:\d+ \(token in .+s\.json\.token\)/);
    expect(() => JSON.parse(out.split('\n')[0]!)).toThrow();
    p.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  });

  it('with --exit-with-parent, saves the pump and exits when the process that started it is killed', async () => {
    const dir = tempDir();
    const state = path.join(dir, 's.json');
    // A parent that starts the sim with a pipe on its stdin, reports the sim's ready line, then waits.
    const parentScript = `
      const { spawn } = require('node:child_process');
      const sim = spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(CLI)}, '--json', '--paused',
        '--exit-with-parent', '--state', ${JSON.stringify(state)}], { cwd: ${JSON.stringify(ROOT)},
        stdio: ['pipe', 'pipe', 'inherit'] });
      sim.stdout.on('data', (d) => process.stdout.write(d));
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const ready = await new Promise<{ pid: number; serial: string }>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 30_000);
      parent.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"ready"'));
        if (line) {
          clearTimeout(t);
          resolve(JSON.parse(line) as { pid: number; serial: string });
        }
      });
    });
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(ready.pid)).toBe(true);
    const savedBefore = fs.statSync(state).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    parent.kill('SIGKILL');
    for (let i = 0; i < 300 && alive(ready.pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(ready.pid)).toBe(false);
    // It saved on the way out (the state file was written again), and a new sim resumes the same pump.
    expect(fs.statSync(state).mtimeMs).toBeGreaterThan(savedBefore);
    const again = await Sim.start(state, ['--paused']);
    expect(again.ready.serial).toBe(ready.serial);
    await again.stop();
  });
});
