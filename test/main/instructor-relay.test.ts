/**
 * The instructor's door on the browser host (issue 20, points 1 and 3, the instructor's half), against a
 * real firmware-sim: its own token on the page and the socket; refused without it, with the trainee's
 * token, from another Origin or a non-loopback Host (HTTP and WebSocket); the instructor's token opens
 * nothing of the trainee's; the bench token never reaches the page; bad calls change nothing; every
 * control is logged with the pump time; the trainee's record entries appear as they happen.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createInstructorRelay, type InstructorServerMessage } from '../../src/main/instructor-relay';
import { startWebHost, type WebHost } from '../../src/main/web-host';
import type { ProgrammerApi, SessionRecordEntry } from '../../src/shared/contract';
import { Sim, START_TIME } from '../sim/harness';
import { waitFor } from './helpers';

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(
  url: string,
  opts: { origin?: string | null; host?: string } = {},
): Promise<{ ws: WebSocket; messages: InstructorServerMessage[]; raw: string[] } | { refused: number }> {
  const origin = opts.origin === undefined ? new URL(url).origin.replace(/^ws:/, 'http:') : opts.origin;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      ...(origin === null ? {} : { origin }),
      ...(opts.host ? { headers: { host: opts.host } } : {}),
    });
    const messages: InstructorServerMessage[] = [];
    const raw: string[] = [];
    ws.on('message', (d) => {
      raw.push(d.toString());
      messages.push(JSON.parse(d.toString()) as InstructorServerMessage);
    });
    ws.on('open', () => resolve({ ws, messages, raw }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('instructor console door', () => {
  let dir: string;
  let sim: Sim;
  let host: WebHost;
  let itoken: string;
  const record: SessionRecordEntry[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'instructor-relay-'));
    sim = await Sim.start(join(dir, 'pump.json'), ['--paused']);
    const web = join(dir, 'web');
    mkdirSync(join(web, 'instructor', 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>programmer</title>');
    writeFileSync(join(web, 'instructor', 'index.html'), '<!doctype html><title>instructor</title>');
    writeFileSync(join(web, 'instructor', 'assets', 'console.js'), 'console.log("console");');
    const relay = createInstructorRelay({
      bench: () => ({ url: sim.ready.bench, token: sim.token }),
      webRoot: join(web, 'instructor'),
      sessionRecord: () => Promise.resolve(record.slice()),
      recordPollMs: 50,
    });
    itoken = relay.token;
    host = await startWebHost({
      api: {} as ProgrammerApi, // the trainee's operations are not under test here
      subscribe: () => () => undefined,
      webRoot: web,
      instructor: relay,
    });
  });
  afterAll(async () => {
    await host?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its own URL with its own token, unlike the trainee’s', () => {
    expect(host.instructorUrl).toBe(`http://127.0.0.1:${host.port}/instructor/?token=${itoken}`);
    expect(itoken).toMatch(/^[0-9a-f]{64}$/);
    expect(itoken).not.toBe(host.token);
    expect(itoken).not.toBe(sim.token);
  });

  it('HTTP: the page needs the instructor token; the trainee’s token and cookie open nothing here, and vice versa', async () => {
    const p = host.port;
    expect((await get(p, '/instructor/')).status).toBe(401);
    expect((await get(p, `/instructor/?token=${host.token}`)).status).toBe(401); // the trainee's
    expect((await get(p, `/instructor/?token=${sim.token}`)).status).toBe(401); // the bench's
    const ok = await get(p, `/instructor/?token=${itoken}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>instructor</title>');
    expect(ok.body).not.toContain(itoken);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^itb_instructor_assets=[0-9a-f]{64}$/);
    expect(cookie).not.toContain(itoken);
    expect((await get(p, '/instructor/assets/console.js', { cookie })).status).toBe(200);
    // The asset cookie opens static files, not the socket's route, and nothing of the trainee's.
    expect((await get(p, '/instructor/api', { cookie })).status).toBe(401);
    expect((await get(p, '/', { cookie })).status).toBe(401);
    // The trainee's page cookie does not open the console.
    const trainee = await get(p, `/?token=${host.token}`);
    const traineeCookie = String(trainee.headers['set-cookie']).split(';')[0]!;
    expect((await get(p, '/instructor/assets/console.js', { cookie: traineeCookie })).status).toBe(401);
    expect((await get(p, '/instructor/', { cookie: traineeCookie })).status).toBe(401);
    // A name that is not loopback (DNS rebinding) is refused before the token is looked at.
    expect((await get(p, `/instructor/?token=${itoken}`, { host: `evil.example:${p}` })).status).toBe(421);
    expect((await get(p, `/instructor?token=${itoken}`)).headers.location).toBe(
      `/instructor/?token=${itoken}`,
    );
    expect((await get(p, `/instructor/api?token=${itoken}`)).status).toBe(426);
  });

  it('WebSocket: refused without the token, with the trainee’s, from a foreign Origin, without Origin, or a non-loopback Host', async () => {
    const base = `ws://127.0.0.1:${host.port}`;
    expect(await openSocket(`${base}/instructor/api`)).toEqual({ refused: 401 });
    expect(await openSocket(`${base}/instructor/api?token=${host.token}`)).toEqual({ refused: 401 });
    expect(await openSocket(`${base}/instructor/api?token=${sim.token}`)).toEqual({ refused: 401 });
    expect(
      await openSocket(`${base}/instructor/api?token=${itoken}`, { origin: 'http://evil.example' }),
    ).toEqual({
      refused: 403,
    });
    expect(await openSocket(`${base}/instructor/api?token=${itoken}`, { origin: null })).toEqual({
      refused: 403,
    });
    expect(
      await openSocket(`${base}/instructor/api?token=${itoken}`, { host: `evil.example:${host.port}` }),
    ).toEqual({ refused: 421 });
    // The instructor's token does not open the trainee's socket.
    expect(await openSocket(`${base}/api?token=${itoken}`)).toEqual({ refused: 401 });
  });

  it('relays calls and the stream; bad calls change nothing; controls are logged with pump time; the bench token never reaches the page', async () => {
    const s = await openSocket(`ws://127.0.0.1:${host.port}/instructor/api?token=${itoken}`);
    if ('refused' in s) throw new Error(`refused ${s.refused}`);
    let id = 1;
    const call = async (op: string, args?: unknown) => {
      const n = id++;
      s.ws.send(JSON.stringify({ kind: 'call', id: n, op, ...(args === undefined ? {} : { args }) }));
      return waitFor(`answer ${n}`, () =>
        s.messages.find((m) => (m.kind === 'result' || m.kind === 'error') && m.id === n),
      );
    };
    await waitFor('hello', () => s.messages.find((m) => m.kind === 'hello'));
    const st = await call('state');
    expect(st).toMatchObject({
      kind: 'result',
      status: 200,
      body: { clock: { pumpTime: START_TIME, mode: 'paused' } },
    });

    // Refused at the door (not a call) or by the bench (a bad body): a clear error, nothing changed.
    s.ws.send('not json');
    await waitFor('error', () => s.messages.find((m) => m.kind === 'error' && m.id === null));
    expect(await call('format the disk')).toMatchObject({ kind: 'error' });
    const bad = await call('fault', { kind: 'catheter', state: 'kinked' });
    expect(bad).toMatchObject({ kind: 'result', status: 400 });
    expect(await call('advance', { to: START_TIME - 1 })).toMatchObject({ kind: 'result', status: 409 });
    expect((await sim.state()).truth.catheter).toBe('patent');
    expect((await sim.state()).clock.pumpTime).toBe(START_TIME);

    // Controls: each logged in words with the pump time it took effect at.
    expect(await call('fault', { kind: 'catheter', state: 'fullOcclusion' })).toMatchObject({ status: 200 });
    expect((await sim.state()).truth.catheter).toBe('fullOcclusion');
    expect(await call('advance', { by: 3600 })).toMatchObject({ status: 200 });
    expect(await call('autoPause', { at: START_TIME + 7200 })).toMatchObject({
      status: 200,
      body: { pauseAt: START_TIME + 7200 },
    });
    expect(await call('nextEvent')).toMatchObject({ status: 200 });
    type Entry = { text: string; pumpTime: number | null; result: string };
    const log = await waitFor('activity', () => {
      const a = s.messages.filter((m) => m.kind === 'activity').map((m) => (m as { entry: Entry }).entry);
      return a.some((e) => e.text === 'advanced time to the next event') ? a : null;
    });
    // A refused control is logged too, as refused, with the bench's reason.
    expect(log[0]).toMatchObject({
      result: 'error',
      text: expect.stringMatching(/^injected catheter kinked: refused \(400\)/),
    });
    expect(log.find((e) => e.text === 'injected catheter full occlusion')).toMatchObject({
      pumpTime: START_TIME,
      result: 'ok',
    });
    expect(log.find((e) => e.text.startsWith('advanced time by 1 h'))).toMatchObject({
      pumpTime: START_TIME + 3600,
    });
    expect(log.map((e) => e.text)).toContain('advanced time to the next event');

    // The stream is relayed (frames and tones are not: the protocol monitor is the engineer's).
    await call('resume');
    await waitFor('a relayed state', () =>
      s.messages.find((m) => m.kind === 'stream' && (m.message as { type: string }).type === 'state'),
    );
    await call('pause');
    // A message to the trainee with nowhere to go says so, and is logged as not delivered.
    expect(await call('message', { text: 'Check the patient' })).toMatchObject({ status: 409 });
    expect(await call('message', { text: '' })).toMatchObject({ kind: 'error' });

    // The trainee's actions, from the session record, as they happen.
    record.push({
      at: new Date().toISOString(),
      operation: 'interrogate',
      request: {},
      result: 'ok',
      detail: {},
    });
    await waitFor('trainee activity', () =>
      s.messages.find(
        (m) => m.kind === 'activity' && m.entry.who === 'trainee' && m.entry.text === 'interrogate',
      ),
    );
    s.ws.close();
    expect(s.raw.join('\n')).not.toContain(sim.token);
    expect(s.raw.join('\n')).not.toContain(host.token);
  });

  it('the training case: status and expectations relayed from a sim running one; ending it is logged', async () => {
    const caseSim = await Sim.start(join(dir, 'case.json'), [
      '--paused',
      '--scenario',
      'unsensed-occlusion-withdrawal',
    ]);
    const started: string[] = [];
    const relay = createInstructorRelay({
      bench: () => ({ url: caseSim.ready.bench, token: caseSim.token }),
      webRoot: join(dir, 'web', 'instructor'),
      cases: async () => [{ id: 'routine-refill', title: 'Routine refill' }],
      startCase: async (id) => {
        if (id === 'busy-case')
          throw new Error('End the session with the pump before starting a training case.');
        started.push(id);
      },
    });
    const web = await startWebHost({
      api: {} as ProgrammerApi,
      subscribe: () => () => undefined,
      webRoot: join(dir, 'web'),
      instructor: relay,
    });
    try {
      const s = await openSocket(`ws://127.0.0.1:${web.port}/instructor/api?token=${relay.token}`);
      if ('refused' in s) throw new Error(`refused ${s.refused}`);
      let n = 0;
      const call = async (op: string, args?: unknown) => {
        const id = ++n;
        s.ws.send(JSON.stringify({ kind: 'call', id, op, ...(args === undefined ? {} : { args }) }));
        return waitFor(`answer ${id}`, () =>
          s.messages.find((m) => (m.kind === 'result' || m.kind === 'error') && m.id === id),
        );
      };
      expect(await call('scenario')).toMatchObject({
        status: 200,
        body: { ended: false, timelineFired: expect.any(Array) },
      });
      // "Next event" stops at the case's next timeline event when it comes before the pump's own.
      const before = (await call('scenario')) as { body: { next: { id: string; t: number } } };
      expect(before.body.next.id).toBe('occlusion');
      expect(await call('nextEvent')).toMatchObject({ status: 200 });
      expect(await call('scenario')).toMatchObject({
        status: 200,
        body: { now: before.body.next.t, timelineFired: ['occlusion'] },
      });
      const d = await call('scenarioDebrief');
      expect(d).toMatchObject({
        status: 200,
        body: { outcome: 'inProgress', expectations: expect.any(Array) },
      });
      expect(await call('scenarioFinish', { reason: 'ended by the instructor' })).toMatchObject({
        status: 200,
      });
      expect(await call('scenario')).toMatchObject({ status: 200, body: { ended: true } });
      // Loading a case goes to the programmer service (here a stand-in); a refusal is said, bad ids refused.
      expect(await call('cases')).toMatchObject({ status: 200, body: [{ id: 'routine-refill' }] });
      expect(await call('startCase', { id: 'routine-refill' })).toMatchObject({ status: 200 });
      expect(started).toEqual(['routine-refill']);
      expect(await call('startCase', { id: 'busy-case' })).toMatchObject({
        status: 409,
        body: { error: expect.stringMatching(/End the session/) },
      });
      expect(await call('startCase', { id: '../etc' })).toMatchObject({ kind: 'error' });
      expect(started).toEqual(['routine-refill']);
      await waitFor('logged', () =>
        s.messages.find((m) => m.kind === 'activity' && m.entry.text === 'ended the training case'),
      );
      s.ws.close();
    } finally {
      await web.close();
      await caseSim.stop();
    }
  });
});
