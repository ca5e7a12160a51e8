/** The clock options as a process: --fast jumps from event to event; --speed runs pump time at a factor. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectProgrammer, FIRST_FILL, Sim, START_TIME, tempDir } from './harness';

let sim: Sim | null = null;
afterEach(async () => {
  await sim?.stop();
  sim = null;
});

const waitUntil = async (cond: () => Promise<boolean>, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('clock modes', () => {
  it('--fast: a filled pump runs to its low-reservoir alarm at once, landing on the event times', async () => {
    sim = await Sim.start(path.join(tempDir(), 'pump.json'), ['--paused']);
    const p = await connectProgrammer(sim.ready.port);
    await p.client.openSession();
    const prep = await p.client.prepare(FIRST_FILL);
    if ('errors' in prep) throw new Error(JSON.stringify(prep.errors));
    await p.client.commit(prep.token);
    const lowAt = prep.consequences.lowReservoirAlarmTime!;
    expect(lowAt).toBeGreaterThan(START_TIME + 30 * 86_400);
    await p.client.closeSession();
    await p.close();
    await sim.ok('POST', '/clock/speed', { speed: 'fast' });
    await sim.ok('POST', '/clock', { action: 'resume' });
    await waitUntil(async () => (await sim!.state()).status.alarms.some((a) => a.code === 'LOW_RESERVOIR'));
    const c = await sim.ok<{ mode: string; pumpTime: number }>('POST', '/clock', { action: 'pause' });
    expect(c.mode).toBe('paused');
    expect(c.pumpTime).toBeGreaterThanOrEqual(lowAt);
    const low = (await sim.state()).status.alarms.find((a) => a.code === 'LOW_RESERVOIR')!;
    expect(low.raisedAt).toBe(lowAt); // raised at the calculated time
  });

  it('--speed 100000: the clock runs at that factor (a pump day passes within the wait)', async () => {
    sim = await Sim.start(path.join(tempDir(), 'pump.json'), ['--speed', '100000']);
    await waitUntil(async () => (await sim!.state()).clock.pumpTime > START_TIME + 86_400);
    const s = await sim.state();
    expect(s.clock).toMatchObject({ mode: 'running', speed: 100_000 });
  });
});
