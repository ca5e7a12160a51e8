/**
 * An empty pump can be programmed (issue 15, point 5). A day after the reservoir ran empty, its projected
 * empty time lies in the past; the days-to-empty of a prepared change is then 0 by definition (already
 * empty), not a negative number the wire cannot carry (which made PREPARE answer NAK INTERNAL_ERROR).
 * Through the real sim process, its pty and the programmer's client.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectProgrammer, Sim, tempDir, type Programmer } from './harness';

let sim: Sim | null = null;
let prog: Programmer | null = null;
afterAll(async () => {
  await prog?.close();
  await sim?.stop();
});

const DAY = 86_400;

describe('programming a pump that ran empty', () => {
  it('PREPARE answers for therapy stopped, a titration and a refill; the refill commits', async () => {
    sim = await Sim.start(path.join(tempDir('sim-empty-'), 'pump.json'), ['--paused']);
    prog = await connectProgrammer(sim.ready.port);
    await prog.client.openSession();
    // 2 mL at 500 mcg/mL and 100 mcg/day: 200 uL/day, empty in 10 days.
    const fill = await prog.client.prepare({
      refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 500, fillVolumeUl: 2_000 },
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 100_000 },
    });
    if ('errors' in fill) throw new Error(JSON.stringify(fill.errors));
    expect(await prog.client.commit(fill.token)).toHaveProperty('programVersion');
    await sim.ok('POST', '/clock/advance', { by: 11 * DAY });
    const status = await prog.client.interrogate();
    expect(status.alarms.map((a) => a.code)).toContain('EMPTY_RESERVOIR');
    expect(status.emptyTime).not.toBeNull();
    expect(status.emptyTime!).toBeLessThan(status.pumpTime - DAY / 2);

    const stopped = await prog.client.prepare({ therapy: { mode: 'stopped' } });
    expect(stopped).toHaveProperty('token');
    const titrate = await prog.client.prepare({
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 120_000 },
    });
    if ('errors' in titrate) throw new Error(JSON.stringify(titrate.errors));
    // Still empty after the change: 0 days to empty, never negative.
    expect(titrate.consequences.daysToEmptyX1000).toBe(0);

    const refill = await prog.client.prepare({
      refill: {
        withdrawnVolumeUl: 0,
        drugName: 'baclofen',
        concentrationMcgPerMl: 500,
        fillVolumeUl: 20_000,
      },
    });
    if ('errors' in refill) throw new Error(JSON.stringify(refill.errors));
    expect(refill.consequences.daysToEmptyX1000).toBeGreaterThan(0);
    expect(await prog.client.commit(refill.token)).toHaveProperty('programVersion');
    expect((await prog.client.interrogate()).reservoirVolumeUl).toBe(20_000);
  });
});
