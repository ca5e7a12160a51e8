/**
 * Bounded clock (issue 15, point 4), through the real sim process: an advance beyond what the pump's u32
 * time fields can hold is refused (409, nothing changed); at the largest pump time the bench allows every
 * telemetry answer still encodes, also after a restart; and a long advance runs in slices, so the bench, the
 * telemetry line and SIGTERM are answered while it runs.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PUMP_TIME, type ClockInfo } from '../../firmware-sim/bench-schema';
import { connectProgrammer, FIRST_FILL, Sim, START_TIME, tempDir, type Programmer } from './harness';

let sim: Sim | null = null;
let prog: Programmer | null = null;
afterEach(async () => {
  await prog?.close();
  prog = null;
  await sim?.kill9();
  sim = null;
});

const DAY = 86_400;

async function fill(p: Programmer): Promise<void> {
  await p.client.openSession();
  const prep = await p.client.prepare(FIRST_FILL);
  if ('errors' in prep) throw new Error(JSON.stringify(prep.errors));
  const c = await p.client.commit(prep.token);
  if ('errors' in c) throw new Error(JSON.stringify(c.errors));
}

describe('clock bounds', () => {
  it('refuses advances beyond the limit with 409 and a message, and changes nothing', async () => {
    sim = await Sim.start(path.join(tempDir('sim-clock-'), 'pump.json'), ['--paused']);
    for (const body of [{ by: 1e12 }, { to: 4_294_967_295 }, { to: MAX_PUMP_TIME + 1 }]) {
      const r = await sim.http('POST', '/clock/advance', body);
      expect(r.status).toBe(409);
      expect((r.json as { error: string }).error).toMatch(/beyond the latest the bench allows/);
    }
    expect((await sim.state()).clock.pumpTime).toBe(START_TIME);
    // Many ordinary advances of 30 days stop at the limit too (the 2000 of them that broke the pump before).
    const left = MAX_PUMP_TIME - START_TIME;
    expect(Math.floor(left / (30 * DAY))).toBeLessThan(2000);
    // The --start-time option is bounded the same way.
    const refused = await Sim.start(path.join(tempDir('sim-clock-'), 'p.json'), [
      '--start-time',
      String(MAX_PUMP_TIME + 1),
    ]).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
  });

  it('at the largest pump time every answer encodes, also after a restart; one second more is refused', async () => {
    const file = path.join(tempDir('sim-clock-'), 'pump.json');
    const start = MAX_PUMP_TIME - 400 * DAY;
    sim = await Sim.start(file, ['--paused', '--start-time', String(start)]);
    prog = await connectProgrammer(sim.ready.port);
    await fill(prog);
    // 20 mL at 200 uL/day: empty after 100 days; by the limit the pump has its reservoir alarms sounding.
    const c = await sim.ok<ClockInfo>('POST', '/clock/advance', { to: MAX_PUMP_TIME });
    expect(c.pumpTime).toBe(MAX_PUMP_TIME);
    expect(c.maxPumpTime).toBe(MAX_PUMP_TIME);
    const check = async (p: Programmer): Promise<void> => {
      const s = await p.client.interrogate();
      expect(s.pumpTime).toBe(MAX_PUMP_TIME);
      expect(s.alarms.map((a) => a.code)).toContain('EMPTY_RESERVOIR');
      for (const a of s.alarms) expect(a.nextToneAt).toBeLessThanOrEqual(0xffffffff);
      expect((await p.client.readProgram()).programVersion).toBeGreaterThan(0);
      expect((await p.client.readLog(0, 50)).entries.length).toBeGreaterThan(0);
      const prep = await p.client.prepare({
        refill: {
          withdrawnVolumeUl: 0,
          drugName: 'baclofen',
          concentrationMcgPerMl: 500,
          fillVolumeUl: 20_000,
        },
      });
      if ('errors' in prep) throw new Error(JSON.stringify(prep.errors));
      expect(prep.consequences.emptyTime!).toBeLessThanOrEqual(0xffffffff);
    };
    await check(prog);
    const more = await sim.http('POST', '/clock/advance', { by: 1 });
    expect(more.status).toBe(409);
    // Running at full speed does not pass the limit either.
    await sim.ok('POST', '/clock/speed', { speed: 'fast' });
    await sim.ok('POST', '/clock', { action: 'resume' });
    expect((await sim.state()).clock.pumpTime).toBe(MAX_PUMP_TIME);
    await prog.close();
    prog = null;
    expect((await sim.stop()).code).toBe(0);
    sim = await Sim.start(file, ['--paused']);
    prog = await connectProgrammer(sim.ready.port);
    await prog.client.openSession();
    await check(prog);
  });

  it('a long advance runs in slices: bench, telemetry and SIGTERM are answered while it runs', async () => {
    const file = path.join(tempDir('sim-clock-'), 'pump.json');
    sim = await Sim.start(file, ['--paused']);
    prog = await connectProgrammer(sim.ready.port, { timeoutMs: 1000 });
    await fill(prog);
    const stream = await sim.stream();
    // Seventy-six years of an empty pump's alarm tones: seconds of work for the pump model.
    const advance = sim.http('POST', '/clock/advance', { to: MAX_PUMP_TIME }).catch((e: Error) => e);
    // The stream's state reports (on a timer) arrive while it runs, and so does a /state asked after it
    // began: a blocked event loop would answer only once the advance had ended.
    await stream.waitFor((m) => m.type === 'state' && m.state.clock.advancingTo === MAX_PUMP_TIME);
    const mid = await sim.state();
    expect(mid.clock.advancingTo).toBe(MAX_PUMP_TIME);
    expect(mid.clock.pumpTime).toBeLessThan(MAX_PUMP_TIME);
    const t = await prog.client.keepalive();
    expect(t).toBeLessThan(MAX_PUMP_TIME);
    // A second advance meanwhile is refused, not queued.
    expect((await sim.http('POST', '/clock/advance', { by: 1 })).status).toBe(409);
    stream.ws.close();
    const { code } = await sim.stop();
    expect(code).toBe(0);
    const answer = await advance;
    // The advance never completed: its request ended with the sim (connection closed or 409).
    if (!(answer instanceof Error)) expect(answer.status).toBe(409);
    await prog.close();
    prog = null;
    sim = await Sim.start(file, ['--paused']);
    const after = (await sim.state()).clock.pumpTime;
    expect(after).toBeGreaterThanOrEqual(t);
    expect(after).toBeLessThan(MAX_PUMP_TIME);
  });
});
