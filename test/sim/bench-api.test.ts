/** The bench API of a running firmware-sim: every endpoint, bad requests (4xx, nothing changed), tokens. */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchState, LinkFaults } from '../../firmware-sim/bench-schema';
import { connectProgrammer, FIRST_FILL, Sim, START_TIME, tempDir } from './harness';

let sim: Sim;
beforeAll(async () => {
  sim = await Sim.start(path.join(tempDir(), 'pump.json'), ['--paused']);
});
afterAll(async () => {
  await sim?.stop();
});

const wsStatus = (url: string) =>
  new Promise<number | 'open'>((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });

describe('bench API', () => {
  it('token file is private and the token is required (HTTP and WebSocket)', async () => {
    expect(fs.statSync(sim.ready.tokenFile).mode & 0o777).toBe(0o600);
    expect((await sim.http('GET', '/state', undefined, null)).status).toBe(401);
    const wrong = await sim.http('GET', '/state', undefined, 'f'.repeat(64));
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: expect.stringMatching(/token/) });
    expect((await sim.http('POST', '/clock', { action: 'resume' }, 'nope')).status).toBe(401);
    expect((await sim.state()).clock.mode).toBe('paused'); // the refused request changed nothing
    const ws = sim.ready.bench.replace('http', 'ws');
    expect(await wsStatus(`${ws}/stream?token=wrong`)).toBe(401);
    expect(await wsStatus(`${ws}/stream`)).toBe(401);
    expect(await wsStatus(`${ws}/stream?token=${sim.token}`)).toBe('open');
  });

  it('GET /state: belief and truth side by side, with clock and link faults', async () => {
    const s = await sim.state();
    expect(s.serial).toBe(sim.ready.serial);
    expect(s.status.pumpTime).toBe(START_TIME);
    expect(s.clock).toMatchObject({ mode: 'paused', speed: 1, pumpTime: START_TIME });
    expect(s.truth).toHaveProperty('trueReservoirVolumeNl');
    expect(s.truth).toHaveProperty('calculatedReservoirVolumeNl');
    expect(s.linkFaults).toEqual({
      corruptionRate: 0,
      dropRate: 0,
      duplicateRate: 0,
      latencyMs: 0,
      baud: 0,
      disconnected: false,
    });
  });

  it('bad requests get a clear 4xx and change nothing', async () => {
    const before = await sim.state();
    const logBefore = await sim.ok('GET', '/log?count=1000');
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/clock', '{not json', 400, /JSON/],
      ['POST', '/clock', undefined, 400, /body is required/],
      ['POST', '/clock', { action: 'explode' }, 400, /action/],
      ['POST', '/clock', { action: 'resume', extra: 1 }, 400, /invalid body/],
      ['POST', '/clock/speed', { speed: 0 }, 400, /speed/],
      ['POST', '/clock/speed', { speed: 100_001 }, 400, /speed/],
      ['POST', '/clock/speed', { speed: '3600' }, 400, /speed/],
      ['POST', '/clock/advance', { to: START_TIME - 1 }, 409, /before the pump time/],
      ['POST', '/clock/advance', { by: -5 }, 400, /invalid body/],
      ['POST', '/clock/advance', { by: 1.5 }, 400, /invalid body/],
      ['POST', '/clock/advance', { to: START_TIME + 10, by: 5 }, 400, /invalid body/],
      ['POST', '/faults', { kind: 'catheter', state: 'kinked' }, 400, /state/],
      ['POST', '/faults', { kind: 'meteorStrike' }, 400, /invalid body/],
      ['POST', '/faults', { kind: 'overInfusion', ppm: 0.5 }, 400, /ppm/],
      ['DELETE', '/faults/meteorStrike', undefined, 400, /unknown fault kind/],
      ['DELETE', '/faults/%ZZ', undefined, 400, /not valid percent-encoding/],
      ['POST', '/link-faults', { corruptionRate: 1.01 }, 400, /corruptionRate/],
      ['POST', '/link-faults', { dropRate: -0.1 }, 400, /dropRate/],
      ['POST', '/link-faults', { latencyMs: 5, bogus: true }, 400, /invalid body/],
      ['POST', '/link-faults', { disconnected: 'yes' }, 400, /disconnected/],
      ['POST', '/link-faults', 'x'.repeat(70_000), 413, /larger/],
      ['GET', '/log?count=0', undefined, 400, /count/],
      ['GET', '/log?offset=-1', undefined, 400, /offset/],
      ['POST', '/state', {}, 405, /not allowed/],
      ['GET', '/clock', undefined, 405, /not allowed/],
      ['GET', '/nowhere', undefined, 404, /no such endpoint/],
    ];
    for (const [method, p, body, status, msg] of cases) {
      const r = await sim.http(method, p, body);
      expect(r.status, `${method} ${p} ${JSON.stringify(body)?.slice(0, 60)}`).toBe(status);
      expect((r.json as { error: string }).error).toMatch(msg);
    }
    expect(await sim.state()).toEqual(before);
    expect(await sim.ok('GET', '/log?count=1000')).toEqual(logBefore);
  });

  it('POST /clock/advance by and to; GET /log pages', async () => {
    let c = await sim.ok<BenchState['clock']>('POST', '/clock/advance', { by: 3_600 });
    expect(c.pumpTime).toBe(START_TIME + 3_600);
    c = await sim.ok<BenchState['clock']>('POST', '/clock/advance', { to: START_TIME + 7_200 });
    expect(c.pumpTime).toBe(START_TIME + 7_200);
    expect((await sim.state()).status.pumpTime).toBe(START_TIME + 7_200);
    const log = await sim.ok<{ entries: unknown[]; total: number; offset: number }>(
      'GET',
      '/log?offset=0&count=5',
    );
    expect(log.offset).toBe(0);
    expect(log.entries.length).toBeLessThanOrEqual(5);
    expect(log.total).toBeGreaterThanOrEqual(log.entries.length);
  });

  it('POST /faults and DELETE /faults/:kind change the truth, and the stream reports it', async () => {
    const stream = await sim.stream();
    const hello = await stream.waitFor((m) => m.type === 'hello');
    expect(hello.type === 'hello' && hello.state.serial).toBe(sim.ready.serial);
    expect(stream.messages[0]).toBe(hello); // the first message, before any change
    let s = await sim.ok<BenchState>('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    expect(s.truth.catheter).toBe('fullOcclusion');
    await stream.waitFor((m) => m.type === 'state' && m.state.truth.catheter === 'fullOcclusion');
    s = await sim.ok<BenchState>('DELETE', '/faults/catheter');
    expect(s.truth.catheter).toBe('patent');
    s = await sim.ok<BenchState>('POST', '/faults', { kind: 'overInfusion', ppm: 50_000 });
    expect(s.truth.overInfusionPpm).toBe(50_000);
    s = await sim.ok<BenchState>('DELETE', '/faults/overInfusion');
    expect(s.truth.overInfusionPpm).toBe(0);
    s = await sim.ok<BenchState>('POST', '/faults', { kind: 'battery', to: 'eri' });
    expect(s.status.battery).toBe('eri');
    await stream.waitFor((m) => m.type === 'alarm' && m.code === 'ERI' && m.raised);
    stream.ws.close();
  });

  it('POST /link-faults merges a subset; GET /link-faults reads it back', async () => {
    const lf = await sim.ok<LinkFaults>('POST', '/link-faults', { corruptionRate: 0.01, latencyMs: 5 });
    expect(lf).toEqual({
      corruptionRate: 0.01,
      dropRate: 0,
      duplicateRate: 0,
      latencyMs: 5,
      baud: 0,
      disconnected: false,
    });
    const lf2 = await sim.ok<LinkFaults>('POST', '/link-faults', { baud: 9600, disconnected: true });
    expect(lf2).toMatchObject({ corruptionRate: 0.01, latencyMs: 5, baud: 9600, disconnected: true });
    expect(await sim.ok('GET', '/link-faults')).toEqual(lf2);
    expect((await sim.state()).linkFaults).toEqual(lf2);
    await sim.ok('POST', '/link-faults', { corruptionRate: 0, latencyMs: 0, baud: 0, disconnected: false });
  });

  it('POST /clock and /clock/speed take effect at once', async () => {
    let c = await sim.ok<BenchState['clock']>('POST', '/clock/speed', { speed: 3_600 });
    expect(c).toMatchObject({ mode: 'paused', speed: 3_600 }); // paused stays paused
    c = await sim.ok<BenchState['clock']>('POST', '/clock', { action: 'resume' });
    expect(c.mode).toBe('running');
    const t0 = c.pumpTime;
    // At x3600 pump time moves an hour per host second: wait until it has visibly moved.
    let now = t0;
    for (let i = 0; i < 100 && now < t0 + 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      now = (await sim.state()).clock.pumpTime;
    }
    expect(now).toBeGreaterThanOrEqual(t0 + 600);
    c = await sim.ok<BenchState['clock']>('POST', '/clock', { action: 'pause' });
    expect(c.mode).toBe('paused');
    const frozen = (await sim.state()).clock.pumpTime;
    await new Promise((r) => setTimeout(r, 300));
    expect((await sim.state()).clock.pumpTime).toBe(frozen);
    c = await sim.ok<BenchState['clock']>('POST', '/clock/speed', { speed: 'fast' });
    expect(c.mode).toBe('paused');
    c = await sim.ok<BenchState['clock']>('POST', '/clock', { action: 'resume' });
    expect(c.mode).toBe('fast');
    await sim.ok('POST', '/clock', { action: 'pause' });
  });

  it('POST /clock/auto-pause: fast time stops exactly at the chosen time, then on a condition; bad requests change nothing', async () => {
    await sim.ok('POST', '/clock', { action: 'pause' });
    const t0 = (await sim.state()).clock.pumpTime;
    // Refused, nothing set: a time not after now, an unknown condition, an empty body.
    expect((await sim.http('POST', '/clock/auto-pause', { at: t0 })).status).toBe(409);
    expect((await sim.http('POST', '/clock/auto-pause', { when: [{ kind: 'fever' }] })).status).toBe(400);
    expect((await sim.http('POST', '/clock/auto-pause', {})).status).toBe(400);
    expect((await sim.state()).clock).toMatchObject({ pauseAt: null, autoPauseWhen: [] });

    const target = t0 + 5 * 3600 + 17; // not an event time of the pump: the step is cut there
    let c = await sim.ok<BenchState['clock']>('POST', '/clock/auto-pause', { at: target });
    expect(c.pauseAt).toBe(target);
    await sim.ok('POST', '/clock/speed', { speed: 'fast' });
    await sim.ok('POST', '/clock', { action: 'resume' });
    let s = await sim.state();
    for (let i = 0; i < 200 && s.clock.mode !== 'paused'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      s = await sim.state();
    }
    expect(s.clock).toMatchObject({ mode: 'paused', pumpTime: target, pauseAt: null });

    // On a condition: a filled pump runs fast until its reservoir is low; the clock stops at that alarm.
    const prog = await connectProgrammer(sim.ready.port);
    try {
      await prog.client.openSession();
      const prep = await prog.client.prepare(FIRST_FILL);
      if ('errors' in prep) throw new Error(JSON.stringify(prep.errors));
      const done = await prog.client.commit(prep.token);
      if ('errors' in done) throw new Error(JSON.stringify(done.errors));
    } finally {
      await prog.close();
    }
    c = await sim.ok<BenchState['clock']>('POST', '/clock/auto-pause', { when: [{ kind: 'alarm' }] });
    expect(c.autoPauseWhen).toEqual([{ kind: 'alarm' }]);
    const stream = await sim.stream();
    await sim.ok('POST', '/clock', { action: 'resume' });
    const paused = await stream.waitFor((m) => m.type === 'autoPause', 10_000);
    stream.ws.close();
    expect(paused).toMatchObject({ type: 'autoPause', reason: expect.stringMatching(/^alarm \S+ raised$/) });
    s = await sim.state();
    expect(s.clock).toMatchObject({ mode: 'paused', autoPauseWhen: [] });
    expect(s.status.alarms.length).toBeGreaterThan(0);
    // Stopped within one step of the alarm (fast mode steps from event to event).
    expect(s.clock.pumpTime - (paused as { time: number }).time).toBeLessThan(86_400);
  });
});
