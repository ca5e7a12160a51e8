import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireStateLock,
  decodeState,
  encodeState,
  loadState,
  removeStaleTemps,
  saveState,
  StateFileError,
  StateLockedError,
  StateWriteError,
  type PersistedState,
} from '../../firmware-sim/persistence';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-persist-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const state = (n: number): PersistedState => ({
  serial: 'NGV100001',
  model: 'SM2-40',
  pumpTime: 1_700_000_000 + n,
  snapshot: {
    version: 1,
    state: { reservoir: 20_000_000 - n, log: [{ seq: n, detail: 'dose 400000 ng/day' }] },
  },
  savedAt: '2026-01-01T00:00:00.000Z',
});

describe('state file', () => {
  it('round-trips and replaces atomically, leaving no temp file', () => {
    const file = path.join(tmp(), 'sub', 'pump.json');
    expect(loadState(file)).toBeNull();
    saveState(file, state(1));
    saveState(file, state(2));
    expect(loadState(file)).toEqual(state(2));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['pump.json']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a truncated file at every cut point, naming --reset', () => {
    const text = encodeState(state(5));
    for (let cut = 0; cut < text.length - 1; cut += 7) {
      expect(() => decodeState('f.json', text.slice(0, cut))).toThrow(StateFileError);
    }
    expect(() => decodeState('f.json', text.slice(0, 40))).toThrow(/--reset/);
  });

  it('refuses a file changed in place (checksum) and a file of another kind', () => {
    const text = encodeState(state(5));
    const tampered = text.replace('"pumpTime":1700000005', '"pumpTime":1700000006');
    expect(tampered).not.toBe(text);
    expect(() => decodeState('f.json', tampered)).toThrow(/checksum/);
    expect(() => decodeState('f.json', '{"hello":1}')).toThrow(/not a firmware-sim state file/);
  });

  it('removes temp files left by a crash mid-write, and keeps the real file', () => {
    const file = path.join(tmp(), 'pump.json');
    saveState(file, state(1));
    fs.writeFileSync(path.join(path.dirname(file), '.pump.json.999.tmp'), '{"half');
    removeStaleTemps(file);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['pump.json']);
    expect(loadState(file)).toEqual(state(1));
  });
});

describe('saveState: never silently short (issue 15, point 2)', () => {
  const dirOf = () => {
    const d = tmp();
    return { d, file: path.join(d, 'pump.json') };
  };
  const leftovers = (d: string) => fs.readdirSync(d).filter((n) => n.endsWith('.tmp'));

  it('continues partial writes until every byte is written', () => {
    const { d, file } = dirOf();
    let calls = 0;
    // A writer that takes at most 7 bytes per call, as a slow device may.
    saveState(file, state(1), (fd, b, off, len) => {
      calls++;
      return fs.writeSync(fd, b, off, Math.min(7, len));
    });
    expect(calls).toBeGreaterThan(10);
    expect(loadState(file)).toEqual(state(1));
    expect(leftovers(d)).toEqual([]);
  });

  it('a write that makes no progress (full disk) fails, keeps the previous save and removes the temp file', () => {
    const { d, file } = dirOf();
    saveState(file, state(1));
    let budget = 100; // one page of the disk left, then nothing
    expect(() =>
      saveState(file, state(2), (fd, b, off, len) => {
        const n = Math.min(budget, len);
        budget -= n;
        return n === 0 ? 0 : fs.writeSync(fd, b, off, n);
      }),
    ).toThrow(StateWriteError);
    expect(loadState(file)).toEqual(state(1));
    expect(leftovers(d)).toEqual([]);
  });

  it('a write error (ENOSPC) fails the same way', () => {
    const { d, file } = dirOf();
    saveState(file, state(1));
    expect(() =>
      saveState(file, state(2), () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }),
    ).toThrow(/could not be saved: writing failed \(ENOSPC/);
    expect(loadState(file)).toEqual(state(1));
    expect(leftovers(d)).toEqual([]);
  });

  it('a writer that reports success but stores other bytes is caught by the read-back before the rename', () => {
    const { d, file } = dirOf();
    saveState(file, state(1));
    expect(() =>
      saveState(file, state(2), (fd, b, off, len) => {
        const copy = Buffer.from(b.subarray(off, off + len));
        const i = copy.length >> 1;
        copy[i] = copy[i]! ^ 0x20;
        return fs.writeSync(fd, copy);
      }),
    ).toThrow(/read back differs/);
    expect(loadState(file)).toEqual(state(1));
    expect(leftovers(d)).toEqual([]);
  });
});

describe('acquireStateLock (issue 15, point 3)', () => {
  it('refuses a second holder, naming the owner; frees on release; takes over a dead owner', () => {
    const file = path.join(tmp(), 'pump.json');
    const a = acquireStateLock(file);
    expect(() => acquireStateLock(file)).toThrow(StateLockedError);
    expect(() => acquireStateLock(file)).toThrow(new RegExp(`pid ${process.pid}`));
    a.release();
    expect(fs.existsSync(a.lockFile)).toBe(false);
    const b = acquireStateLock(file);
    b.release();
    // A lock left by a process that no longer runs (pid far above any pid_max) is stale.
    fs.writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: 2 ** 30, started: null, host: os.hostname(), since: 'x', nonce: 'dead' }),
    );
    const c = acquireStateLock(file);
    expect(JSON.parse(fs.readFileSync(c.lockFile, 'utf8')).pid).toBe(process.pid);
    c.release();
  });

  it('release leaves a lock that is no longer its own alone', () => {
    const file = path.join(tmp(), 'pump.json');
    const a = acquireStateLock(file);
    fs.writeFileSync(
      a.lockFile,
      JSON.stringify({ pid: 1, started: null, host: 'h', since: 'x', nonce: 'n' }),
    );
    a.release();
    expect(fs.existsSync(a.lockFile)).toBe(true);
  });
});
