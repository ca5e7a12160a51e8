import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeState,
  encodeState,
  loadState,
  removeStaleTemps,
  saveState,
  StateFileError,
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
