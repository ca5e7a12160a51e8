/**
 * A full programmer session against firmware-sim as a child process, over a real pty, with SerialPort and
 * PumpClient: interrogate, refill, titrate (prepare/commit/verify), bolus, an alarm made by the bench clock
 * and silenced over telemetry, log paging, disconnect/reconnect, a second programmer answered BUSY,
 * then a restart on the same state file.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkTimeoutError, ProtocolError } from '../../src/protocol/session/client';
import { connectProgrammer, FIRST_FILL, Sim, START_TIME, tempDir, type Programmer } from './harness';

const dir = tempDir();
const stateFile = path.join(dir, 'pump.json');
let sim: Sim | null = null;
const programmers: Programmer[] = [];
afterAll(async () => {
  for (const p of programmers) await p.close();
  await sim?.kill9();
});

const committed = async (p: Programmer, change: Parameters<Programmer['client']['prepare']>[0]) => {
  const prep = await p.client.prepare(change);
  if ('errors' in prep) throw new Error(`prepare refused: ${JSON.stringify(prep.errors)}`);
  const c = await p.client.commit(prep.token);
  if ('errors' in c) throw new Error(`commit refused: ${JSON.stringify(c.errors)}`);
  return { prep, commit: c };
};

describe('firmware-sim: a full session over a real pty', () => {
  let before: Awaited<ReturnType<Sim['state']>>;

  it('starts paused, prints a ready line with the port, bench and token file', async () => {
    sim = await Sim.start(stateFile, ['--paused', '--serial', 'NGV777001', '--model', 'SM2-40']);
    expect(sim.ready).toMatchObject({ event: 'ready', serial: 'NGV777001', model: 'SM2-40', link: null });
    expect(sim.ready.port).toMatch(/^\/dev\/pts\/\d+$/);
    expect(sim.ready.bench).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.ready.pid).toBe(sim.proc.pid);
  });

  it('interrogates, fills, titrates with verify, and boluses', async () => {
    const a = await connectProgrammer(sim!.ready.port, { programmerId: 'PROG-A' });
    programmers.push(a);
    const session = await a.client.openSession();
    expect(session).toMatchObject({ pumpSerial: 'NGV777001', model: 'SM2-40' });
    const status0 = await a.client.interrogate();
    expect(status0).toMatchObject({
      serial: 'NGV777001',
      reservoirCapacityUl: 40_000,
      mode: 'stopped',
      pumpTime: START_TIME,
    });

    const fill = await committed(a, FIRST_FILL);
    expect(fill.prep.consequences.rateUlPerDay).toBe(200); // 100 000 ng/day at 500 ng/uL
    const afterFill = await a.client.readProgram();
    expect(afterFill).toMatchObject({
      drugName: 'baclofen',
      concentrationMcgPerMl: 500,
      therapy: FIRST_FILL.therapy,
    });
    expect(afterFill.programVersion).toBe(fill.commit.programVersion);

    // Titrate up 20%: prepare, commit, verify by reading back.
    const titration = { therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: 120_000 } };
    const t = await committed(a, titration);
    const readBack = await a.client.readProgram();
    expect(readBack.therapy).toEqual(titration.therapy);
    expect(readBack.programVersion).toBe(t.commit.programVersion);
    expect(readBack.programVersion).toBeGreaterThan(afterFill.programVersion);

    const b = await committed(a, { bolus: { kind: 'single', amountNg: 50_000, durationS: 3_600 } });
    expect(b.commit.programVersion).toBeGreaterThan(t.commit.programVersion);
    const bolusing = await a.client.interrogate();
    expect(bolusing.mode).toBe('singleBolus');
    expect(bolusing.reservoirVolumeUl).toBe(20_000);

    // The bench sees the same belief, and the truth beside it.
    before = await sim!.state();
    expect(before.status.mode).toBe('singleBolus');
    expect(before.program.therapy).toEqual(titration.therapy);
    expect(before.truth.catheter).toBe('patent');
  });

  it('an alarm made by the bench clock reaches the programmer and is silenced over telemetry', async () => {
    const a = programmers[0]!;
    const stream = await sim!.stream();
    const status = await a.client.interrogate();
    expect(status.lowReservoirAlarmTime).not.toBeNull();
    await sim!.ok('POST', '/clock/advance', { to: status.lowReservoirAlarmTime! + 60 });
    await stream.waitFor((m) => m.type === 'alarm' && m.code === 'LOW_RESERVOIR' && m.raised);
    const alarmed = await a.client.interrogate();
    const low = alarmed.alarms.find((x) => x.code === 'LOW_RESERVOIR');
    expect(low).toBeDefined();
    expect(low!.silencedUntil).toBeNull();
    await a.client.silenceAlarm(alarmed.pumpTime + 86_400, 'LOW_RESERVOIR');
    const silenced = await a.client.interrogate();
    expect(silenced.alarms.find((x) => x.code === 'LOW_RESERVOIR')!.silencedUntil).toBe(
      alarmed.pumpTime + 86_400,
    );
    // The stream also carried every frame with its decode.
    const frames = stream.messages.filter((m) => m.type === 'frame');
    expect(frames.some((m) => m.type === 'frame' && m.frame.direction === 'rx' && m.frame.ok)).toBe(true);
    expect(
      frames.some(
        (m) => m.type === 'frame' && m.frame.direction === 'tx' && /[0-9a-f]{20}/.test(m.frame.hex),
      ),
    ).toBe(true);
    // An alarm test sounds every tone: the bench stream carries them.
    await a.client.alarmTest();
    await stream.waitFor((m) => m.type === 'tone');
    stream.ws.close();
  });

  it('a link disconnected on the bench is silence to the programmer; reconnected, the session carries on', async () => {
    const a = programmers[0]!;
    await sim!.ok('POST', '/link-faults', { disconnected: true });
    const lost = await a.client.keepalive().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(LinkTimeoutError);
    await sim!.ok('POST', '/link-faults', { disconnected: false });
    expect(await a.client.keepalive()).toBeGreaterThanOrEqual(START_TIME);
    expect((await a.client.interrogate()).serial).toBe('NGV777001');
  });

  it('pages the log consistently with the bench log', async () => {
    const a = programmers[0]!;
    const all = await sim!.ok<{ entries: { seq: number }[]; total: number }>(
      'GET',
      '/log?offset=0&count=1000',
    );
    expect(all.total).toBeGreaterThanOrEqual(4);
    const pages: number[] = [];
    for (let off = 0; off < all.total; off += 3) {
      const page = await a.client.readLog(off, 3);
      expect(page.total).toBe(all.total);
      pages.push(...page.entries.map((e) => e.seq));
    }
    expect(pages).toEqual(all.entries.map((e) => e.seq));
    expect(new Set(pages).size).toBe(pages.length);
  });

  it('a programmer that vanishes leaves its session: a second programmer is answered BUSY, the first reconnects', async () => {
    const a = programmers.shift()!;
    // Mid-update: the pump stopped for the update and a change prepared, then the programmer vanishes
    // (port closed without COMMIT or CLOSE_SESSION).
    const versionBefore = (await a.client.readProgram()).programVersion;
    await a.client.stop();
    const prep = await a.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 140_000 } });
    expect('token' in prep).toBe(true);
    // Garbage on the line first: the sim must neither die nor be confused by it.
    a.port.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) & 0xff)));
    await new Promise<void>((r) => a.port.drain(() => r()));
    await a.close();
    const b = await connectProgrammer(sim!.ready.port, { programmerId: 'PROG-B' });
    programmers.push(b);
    const busy = await b.client.openSession().catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ProtocolError);
    expect((busy as ProtocolError).reason).toBe('BUSY');
    await b.close();
    programmers.pop();

    const a2 = await connectProgrammer(sim!.ready.port, { programmerId: 'PROG-A' });
    programmers.push(a2);
    await a2.client.openSession();
    const st = await a2.client.interrogate();
    expect(st.serial).toBe('NGV777001');
    // The pump stayed in its defined state: stopped, the uncommitted change not applied.
    expect(st.mode).toBe('stopped');
    const pr = await a2.client.readProgram();
    expect(pr.programVersion).toBe(versionBefore);
    expect(pr.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 120_000 });
    await a2.client.resume();
    expect((await a2.client.interrogate()).mode).not.toBe('stopped');
    await a2.client.closeSession();
    // Session closed properly: now B is welcome.
    await a2.close();
    programmers.pop();
    const b2 = await connectProgrammer(sim!.ready.port, { programmerId: 'PROG-B' });
    programmers.push(b2);
    await b2.client.openSession();
    await b2.client.closeSession();
    await b2.close();
    programmers.pop();
  });

  it('restart on the same state file: same serial, program, volumes, log and pump time', async () => {
    const s1 = await sim!.state();
    const log1 = await sim!.ok('GET', '/log?count=1000');
    expect(await sim!.stop()).toEqual({ code: 0, signal: null });
    sim = await Sim.start(stateFile, ['--paused']);
    expect(sim.ready.serial).toBe('NGV777001');
    expect(sim.ready.model).toBe('SM2-40');
    const s2 = await sim.state();
    expect(s2.status).toEqual(s1.status);
    expect(s2.program).toEqual(s1.program);
    expect(s2.truth).toEqual(s1.truth);
    expect(s2.clock.pumpTime).toBe(s1.clock.pumpTime);
    expect(await sim.ok('GET', '/log?count=1000')).toEqual(log1);
    // And the restored pump still talks.
    const a = await connectProgrammer(sim.ready.port, { programmerId: 'PROG-C' });
    programmers.push(a);
    await a.client.openSession();
    expect((await a.client.readProgram()).programVersion).toBe(s1.program.programVersion);
  });

  it('refuses to start over the state file of another pump', async () => {
    await sim!.stop();
    await expect(Sim.start(stateFile, ['--serial', 'NGV999999'])).rejects.toThrow(/holds pump NGV777001/);
  });
});
