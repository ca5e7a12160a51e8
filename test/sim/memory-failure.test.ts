/**
 * The state file is the pump's memory. When it cannot be written (here: its directory removed under the
 * running sim and a plain file put in its place, which fails even for root), the pump must not carry on with a program a restart would lose: it raises its critical
 * memory error (delivery suspended, alarm event to the programmer), the sim keeps running, and once the
 * file can be written again the pump is saved with the memory error in it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmEvent } from '../../src/protocol/messages/messages';
import { connectProgrammer, FIRST_FILL, Sim, tempDir, type Programmer } from './harness';

const dir = tempDir('sim-memory-');
const stateFile = path.join(dir, 'pump.json');
let sim: Sim | null = null;
let prog: Programmer | null = null;
afterAll(async () => {
  await prog?.close();
  await sim?.kill9();
});

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('firmware-sim: a state file that cannot be written', () => {
  it('raises the critical memory error and stops delivery, without exiting', async () => {
    sim = await Sim.start(stateFile, ['--paused']);
    prog = await connectProgrammer(sim.ready.port);
    const alarms: AlarmEvent[] = [];
    prog.client.on('alarm', (a) => alarms.push(a));
    await prog.client.openSession();
    const prep = await prog.client.prepare(FIRST_FILL);
    if ('errors' in prep) throw new Error(JSON.stringify(prep.errors));
    expect(await prog.client.commit(prep.token)).toMatchObject({ programVersion: expect.any(Number) });
    expect((await prog.client.interrogate()).deliverySuspended).toBe(false);

    fs.rmSync(dir, { recursive: true, force: true });
    fs.writeFileSync(dir, 'not a directory');
    // A therapy change now cannot be stored.
    const titrate = await prog.client.prepare({
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 110_000 },
    });
    if ('errors' in titrate) throw new Error(JSON.stringify(titrate.errors));
    await prog.client.commit(titrate.token);

    await until('the memory error alarm event', () =>
      alarms.some((a) => a.raised && a.code === 'MEMORY_ERROR_CRITICAL'),
    );
    const status = await prog.client.interrogate();
    expect(status.deliverySuspended).toBe(true);
    expect(status.alarms.map((a) => a.code)).toContain('MEMORY_ERROR_CRITICAL');
    expect(sim.proc.exitCode).toBeNull();
  });

  it('saves the pump, memory error included, once the file can be written again', async () => {
    fs.rmSync(dir);
    fs.mkdirSync(dir);
    // Any change schedules a save; silencing the alarm is one.
    await prog!.client.silenceAlarm((await prog!.client.interrogate()).pumpTime + 3600);
    await until('the state file', () => fs.existsSync(stateFile));
    await prog!.close();
    prog = null;
    await sim!.stop();
    sim = await Sim.start(stateFile, ['--paused']);
    const state = await sim.state();
    expect(state.status.alarms.map((a) => a.code)).toContain('MEMORY_ERROR_CRITICAL');
    expect(state.status.deliverySuspended).toBe(true);
  });
});
