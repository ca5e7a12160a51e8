/**
 * Roles kept apart (issue 20, point 3), on real processes: `npm run web`'s host (the trainee's page and
 * socket), its embedded firmware-sim (the bench API and stream: the instructor's; the bedside API: the
 * programmer service's way to the patient). Each token opens its own door only; other Origins and
 * non-loopback Host headers are refused; no token appears in the host's log or in the trainee's page.
 *
 * The instructor console's own token (`/instructor/`, issue 20 point 1, `instructorUrl` in the ready line)
 * is built by another change. Where the host prints an `instructorUrl`, its token is the instructor's below;
 * on a host without one (this branch before the merge) the bench token, the instructor's other key, stands
 * in, so each case runs either way.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerMessage } from '../../src/shared/contract';
import { startHost, type Host } from './helpers';

let host: Host;
let traineeToken: string;
let benchToken: string;
let port: number;
/** The instructor console's token and page, when the host has one (see the header). */
let instructor: { token: string; page: string } | null;

beforeAll(async () => {
  host = await startHost({ simArgs: '--paused' });
  const u = new URL(host.url);
  traineeToken = u.searchParams.get('token')!;
  port = Number(u.port);
  benchToken = readFileSync(host.ready.benchTokenFile!, 'utf8').trim();
  const iu = (host.ready as { instructorUrl?: string | null }).instructorUrl;
  instructor = iu ? { token: new URL(iu).searchParams.get('token')!, page: iu } : null;
});
const instructorToken = (): string => instructor?.token ?? benchToken;
afterAll(async () => {
  await host?.stop();
});

function raw(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: o.method ?? 'GET',
        headers: o.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** A socket: open, or the HTTP status of the refused upgrade. */
function socket(
  url: string,
  headers: { origin?: string; host?: string } = {},
): Promise<{ ws: WebSocket; messages: unknown[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      ...(headers.origin ? { origin: headers.origin } : {}),
      headers: headers.host ? { host: headers.host } : {},
    });
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', () => resolve({ refused: -1 }));
  });
}

describe('the trainee (page and socket) cannot reach the instructor, the bench or the truth', () => {
  it('the trainee token opens the trainee socket, and nothing on the bench (HTTP and WebSocket: 401)', async () => {
    const own = await socket(`ws://127.0.0.1:${port}/api?token=${traineeToken}`, {
      origin: `http://127.0.0.1:${port}`,
    });
    expect('ws' in own).toBe(true);
    if ('ws' in own) own.ws.close();
    for (const p of ['/state', '/patient', '/patient/history?from=0&to=1', '/bedside/actions', '/log'])
      expect((await raw(host.ready.bench! + p, { headers: bearer(traineeToken) })).status).toBe(401);
    const advance = await raw(host.ready.bench! + '/clock/advance', {
      method: 'POST',
      headers: { ...bearer(traineeToken), 'content-type': 'application/json' },
      body: '{"by":60}',
    });
    expect(advance.status).toBe(401);
    const stream = await socket(`${host.ready.bench!.replace('http', 'ws')}/stream?token=${traineeToken}`);
    expect(stream).toEqual({ refused: 401 });
    // Nor the bedside API directly: the page reaches the patient only through the contract.
    expect((await raw(host.bedside.base + '/actions', { headers: bearer(traineeToken) })).status).toBe(401);
  });

  it('the trainee page serves no route to the truth or the bench: only the contract over /api', async () => {
    for (const p of ['/state', '/patient', '/instructor-api', '/bench', '/stream'])
      expect((await raw(`http://127.0.0.1:${port}${p}?token=${traineeToken}`)).status).toBe(404);
    const s = await socket(`ws://127.0.0.1:${port}/stream?token=${traineeToken}`, {
      origin: `http://127.0.0.1:${port}`,
    });
    expect(s).toEqual({ refused: 404 });
  });

  it('the bedside through the trainee socket answers with no truth field', async () => {
    const s = await socket(`ws://127.0.0.1:${port}/api?token=${traineeToken}`, {
      origin: `http://127.0.0.1:${port}`,
    });
    if (!('ws' in s)) throw new Error(`socket refused ${s.refused}`);
    s.ws.send(JSON.stringify({ kind: 'call', id: 1, op: 'bedsideExamine', request: {} }));
    await expect
      .poll(() => s.messages.find((m) => (m as WsServerMessage).kind === 'result'), { timeout: 10_000 })
      .toBeTruthy();
    const answer = s.messages.find((m) => (m as WsServerMessage).kind === 'result') as Extract<
      WsServerMessage,
      { kind: 'result' }
    >;
    expect(answer.result.ok).toBe(true);
    const text = JSON.stringify(answer.result);
    for (const word of [
      'csfBaclofen',
      'effectSite',
      'dependence',
      'drive',
      'withdrawal',
      'overdose',
      'truth',
      'trueReservoir',
    ])
      expect(text).not.toContain(word);
    // A bench operation is not in the contract: refused, nothing done.
    s.ws.send(JSON.stringify({ kind: 'call', id: 2, op: 'advanceClock', request: { by: 60 } }));
    await expect
      .poll(() => s.messages.find((m) => (m as { id?: number }).id === 2), { timeout: 10_000 })
      .toMatchObject({
        kind: 'error',
      });
    s.ws.close();
  });
});

describe('each token opens its own door only', () => {
  it('the bench token does not open the bedside, nor the trainee socket', async () => {
    expect((await raw(host.bedside.base + '/actions', { headers: bearer(benchToken) })).status).toBe(401);
    const examine = await raw(host.bedside.base + '/examine', {
      method: 'POST',
      headers: bearer(benchToken),
    });
    expect(examine.status).toBe(401);
    const s = await socket(`ws://127.0.0.1:${port}/api?token=${benchToken}`, {
      origin: `http://127.0.0.1:${port}`,
    });
    expect(s).toEqual({ refused: 401 });
    expect((await raw(`http://127.0.0.1:${port}/?token=${benchToken}`)).status).toBe(401);
  });

  it('the instructor token does not work on the trainee socket or page (401)', async () => {
    const t = instructorToken();
    const s = await socket(`ws://127.0.0.1:${port}/api?token=${t}`, { origin: `http://127.0.0.1:${port}` });
    expect(s).toEqual({ refused: 401 });
    expect((await raw(`http://127.0.0.1:${port}/?token=${t}`)).status).toBe(401);
    // Nor the trainee's token the instructor's page.
    if (instructor) {
      const u = new URL(instructor.page);
      u.searchParams.set('token', traineeToken);
      expect([401, 403]).toContain((await raw(u.toString())).status);
    }
  });

  it('the bedside token does not open the bench (HTTP and stream), nor the trainee socket', async () => {
    const t = host.bedside.token;
    expect((await raw(host.ready.bench! + '/state', { headers: bearer(t) })).status).toBe(401);
    expect(await socket(`${host.ready.bench!.replace('http', 'ws')}/stream?token=${t}`)).toEqual({
      refused: 401,
    });
    expect(
      await socket(`ws://127.0.0.1:${port}/api?token=${t}`, { origin: `http://127.0.0.1:${port}` }),
    ).toEqual({ refused: 401 });
    expect((await raw(`http://127.0.0.1:${port}/?token=${t}`)).status).toBe(401);
  });

  it('the three are different secrets', () => {
    expect(new Set([traineeToken, benchToken, host.bedside.token]).size).toBe(3);
  });
});

describe('other Origins and non-loopback Host headers are refused', () => {
  it('the trainee socket: a foreign Origin (403) or Host (421)', async () => {
    expect(
      await socket(`ws://127.0.0.1:${port}/api?token=${traineeToken}`, { origin: 'http://evil.example' }),
    ).toEqual({ refused: 403 });
    expect(
      await socket(`ws://127.0.0.1:${port}/api?token=${traineeToken}`, {
        origin: `http://127.0.0.1:${port}`,
        host: `evil.example:${port}`,
      }),
    ).toEqual({ refused: 421 });
    expect(
      (
        await raw(`http://127.0.0.1:${port}/?token=${traineeToken}`, {
          headers: { host: `evil.example:${port}` },
        })
      ).status,
    ).toBe(421);
  });

  it('the bedside API: any Origin (403: it is for the service, not pages) and a foreign Host (403)', async () => {
    const t = host.bedside.token;
    const b = new URL(host.bedside.base);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port}`])
      expect((await raw(host.bedside.base + '/actions', { headers: { ...bearer(t), origin } })).status).toBe(
        403,
      );
    expect(
      (
        await raw(host.bedside.base + '/actions', {
          headers: { ...bearer(t), host: `evil.example:${b.port}` },
        })
      ).status,
    ).toBe(403);
    expect((await raw(host.bedside.base + '/actions', { headers: bearer(t) })).status).toBe(200);
  });

  it('the bench API: a foreign Host (403), HTTP and stream', async () => {
    const b = new URL(host.ready.bench!);
    expect(
      (
        await raw(host.ready.bench! + '/state', {
          headers: { ...bearer(benchToken), host: `evil.example:${b.port}` },
        })
      ).status,
    ).toBe(403);
    expect(
      await socket(`${host.ready.bench!.replace('http', 'ws')}/stream?token=${benchToken}`, {
        host: `evil.example:${b.port}`,
      }),
    ).toEqual({ refused: 403 });
  });
});

describe('tokens stay out of logs and out of the other role’s page', () => {
  it('the trainee page (HTML and every script it loads) holds neither the bench nor the bedside token', async () => {
    const page = await raw(`http://127.0.0.1:${port}/?token=${traineeToken}`);
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const assets = [...page.body.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    const bodies = [page.body];
    for (const a of assets) {
      const r = await raw(`http://127.0.0.1:${port}${a}`, { headers: { cookie } });
      expect(r.status).toBe(200);
      bodies.push(r.body);
    }
    for (const b of bodies) {
      expect(b).not.toContain(benchToken);
      expect(b).not.toContain(host.bedside.token);
      expect(b).not.toContain(traineeToken);
      expect(b).not.toContain(instructorToken());
    }
  });

  it('the instructor page, where there is one, holds neither the trainee nor the bedside token', async () => {
    const page = instructor ? await raw(instructor.page) : null;
    if (page) {
      expect(page.status).toBe(200);
      expect(page.body).not.toContain(traineeToken);
      expect(page.body).not.toContain(host.bedside.token);
      expect(page.body).not.toContain(benchToken);
    } else {
      // No instructor page on this host: the bench serves no page at all.
      expect((await raw(host.ready.bench! + '/', { headers: bearer(benchToken) })).status).toBe(404);
    }
  });

  it('the host’s log (its stderr, with the embedded sim’s) holds no token', async () => {
    // Make the log say something: a refused bedside order and a call through the trainee socket.
    await raw(host.bedside.base + '/orders', {
      method: 'POST',
      headers: { ...bearer(host.bedside.token), 'content-type': 'application/json' },
      body: '{"kind":"nothing"}',
    });
    const log = host.stderr();
    for (const t of [traineeToken, benchToken, host.bedside.token, instructorToken()])
      expect(log).not.toContain(t);
  });
});
