/**
 * The state file through the real sim process (issue 15, points 2, 3 and 9):
 * - a disk that fills up (RLIMIT_FSIZE via prlimit: the kernel then makes a real short write, then EFBIG)
 *   never leaves a truncated state file: the failed save raises the pump's critical memory error before
 *   the acknowledgement leaves, the file keeps the previous save, no temp file is left (also when SIGTERM's
 *   own save fails), and the pump restarts from it without --reset;
 * - a second sim on the same state file is refused with a clear message and leaves the first one's token
 *   file and memory alone; a lock left by kill -9 is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeState } from '../../firmware-sim/persistence';
import type { AlarmEvent } from '../../src/protocol/messages/messages';
import { connectProgrammer, FIRST_FILL, Sim, tempDir, type Programmer } from './harness';

const sims: Sim[] = [];
let prog: Programmer | null = null;
afterEach(async () => {
  await prog?.close();
  prog = null;
  for (const s of sims.splice(0)) await s.kill9();
});

const start = async (file: string, extra: string[] = [], prefix: string[] = []): Promise<Sim> => {
  const s = await Sim.start(file, ['--paused', ...extra], prefix);
  sims.push(s);
  return s;
};

const until = async (what: string, ok: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('a disk that fills up', () => {
  it('never truncates the state file: memory error before the ack, previous save kept, restart works', async () => {
    const dir = tempDir('sim-full-');
    const file = path.join(dir, 'pump.json');
    // Files of this process may grow to 6144 bytes: a fresh pump and its patient (about 4 kB) and a few
    // programs fit.
    const sim = await start(file, [], ['prlimit', '--fsize=6144', '--']);
    prog = await connectProgrammer(sim.ready.port);
    const alarms: AlarmEvent[] = [];
    prog.client.on('alarm', (a) => alarms.push(a));
    await prog.client.openSession();
    const fill = await prog.client.prepare(FIRST_FILL);
    if ('errors' in fill) throw new Error(JSON.stringify(fill.errors));
    await prog.client.commit(fill.token);
    let lastSaved = decodeState(file, fs.readFileSync(file, 'utf8'));
    let failedAt: number | null = null;
    for (let dose = 101_000; dose < 300_000 && failedAt === null; dose += 1000) {
      const p = await prog.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: dose } });
      if ('errors' in p) throw new Error(JSON.stringify(p.errors));
      await prog.client.commit(p.token);
      // The commit's answer has arrived: the save that preceded it has either landed or failed.
      const status = await prog.client.interrogate();
      if (status.alarms.some((a) => a.code === 'MEMORY_ERROR_CRITICAL')) failedAt = dose;
      else lastSaved = decodeState(file, fs.readFileSync(file, 'utf8'));
    }
    expect(failedAt).not.toBeNull();
    await until('the memory error alarm event', () =>
      alarms.some((a) => a.raised && a.code === 'MEMORY_ERROR_CRITICAL'),
    );
    expect((await prog.client.interrogate()).deliverySuspended).toBe(true);
    // On disk: the complete previous save, not the first 6144 bytes of the new one; no temp file.
    const onDisk = decodeState(file, fs.readFileSync(file, 'utf8'));
    expect(onDisk).toEqual(lastSaved);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await prog.close();
    prog = null;
    // SIGTERM's own save fails too: reported, exit 1, still no temp file, lock and token file released.
    const { code } = await sim.stop();
    expect(code).toBe(1);
    expect(sim.stderr()).toBe('');
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(fs.existsSync(sim.ready.tokenFile)).toBe(false);
    // The pump restarts from the last complete save, without --reset.
    const again = await start(file);
    const s = await again.state();
    expect(s.program.programVersion).toBe(
      (lastSaved.snapshot.state as { programVersion: number }).programVersion,
    );
    expect(s.program.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: failedAt! - 1000 });
  });
});

describe('two sims on one state file', () => {
  it('the second is refused with a clear message and touches neither the token file nor the memory', async () => {
    const file = path.join(tempDir('sim-lock-'), 'pump.json');
    const a = await start(file);
    const tokenBefore = fs.readFileSync(a.ready.tokenFile, 'utf8');
    const refused = await Sim.start(file, ['--paused']).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(
      new RegExp(`in use by another firmware-sim \\(pid ${a.ready.pid}`),
    );
    expect(fs.readFileSync(a.ready.tokenFile, 'utf8')).toBe(tokenBefore);
    expect((await a.http('GET', '/state')).status).toBe(200);

    // An acknowledged commit of the first survives its kill -9; its stale lock is taken over.
    prog = await connectProgrammer(a.ready.port);
    await prog.client.openSession();
    const p = await prog.client.prepare(FIRST_FILL);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    const c = await prog.client.commit(p.token);
    if ('errors' in c) throw new Error(JSON.stringify(c.errors));
    await prog.close();
    prog = null;
    await a.kill9();
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
    const b = await start(file);
    expect((await b.state()).program.programVersion).toBe(c.programVersion);
  });
});
