/**
 * The browser host: the contract over a WebSocket end to end (host -> service -> pty -> firmware-sim), the
 * token on the page and the socket, malformed messages answered with an error, and the CLI's ready line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import { startWebHost, type WebHost } from '../../src/main/web-host';
import { parseWebHostArgs } from '../../src/main/web-host-cli';
import type { WsServerMessage } from '../../src/shared/contract';
import { waitFor } from './helpers';

function makeWebRoot(dir: string): string {
  const root = join(dir, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>programmer</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app");');
  return root;
}

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

/**
 * Open a socket; resolves with it when open, or with the HTTP status of a refused upgrade. `origin`: the
 * Origin header (default: the host's own, as its page sends; null: none, as a non-browser client).
 */
function openSocket(
  url: string,
  origin: string | null = new URL(url).origin.replace(/^ws:/, 'http:'),
): Promise<{ ws: WebSocket; messages: WsServerMessage[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === null ? {} : { origin });
    const messages: WsServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as WsServerMessage));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('browser host', () => {
  let dir: string;
  let service: ProgrammerService;
  let host: WebHost;
  let socket: { ws: WebSocket; messages: WsServerMessage[] };
  let nextId = 1;

  async function call(op: string, req: unknown): Promise<WsServerMessage> {
    const id = nextId++;
    socket.ws.send(JSON.stringify({ kind: 'call', id, op, request: req }));
    return waitFor(`answer ${id}`, () =>
      socket.messages.find((m) => (m.kind === 'result' || m.kind === 'error') && m.id === id),
    );
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itb-webhost-'));
    service = new ProgrammerService({
      dataDir: dir,
      linkFactory: createProtocolLink,
      embedded: { extraArgs: ['--paused'] },
    });
    await service.start();
    host = await startWebHost({
      api: service,
      subscribe: (l) => service.onEvent(l),
      webRoot: makeWebRoot(dir),
    });
  });

  afterAll(async () => {
    socket?.ws.close();
    await host?.close();
    await service?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page only with the token, with the CSP, and its assets with the cookie', async () => {
    expect((await get(host.port, '/')).status).toBe(401);
    expect((await get(host.port, '/?token=wrong')).status).toBe(401);
    expect((await get(host.port, '/assets/app.js')).status).toBe(401);
    const page = await get(host.port, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>programmer</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^itb_assets=[0-9a-f]{64}$/);
    const asset = await get(host.port, '/assets/app.js', { Cookie: cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect((await get(host.port, `/../../etc/passwd?token=${host.token}`)).status).not.toBe(200);
    expect((await get(host.port, `/?token=${host.token}`, { Host: 'evil.example' })).status).toBe(421);
  });

  it('keeps the token out of cookies: what another port on 127.0.0.1 receives does not open /api (issue 15, point 7)', async () => {
    const page = await get(host.port, `/?token=${host.token}`);
    const setCookie = String(page.headers['set-cookie']);
    // Cookies are scoped by host, not port: this is what any server on 127.0.0.1 would be sent.
    expect(setCookie).not.toContain(host.token);
    const leaked = setCookie.split(';')[0]!.split('=')[1]!;
    const api = `ws://127.0.0.1:${host.port}/api`;
    // The cookie's value is no token: neither as one, nor as a cookie on the socket or on /api.
    expect(await openSocket(`${api}?token=${leaked}`)).toEqual({ refused: 401 });
    expect((await get(host.port, '/api', { Cookie: `itb_assets=${leaked}` })).status).toBe(401);
    // The real token without an Origin (a non-browser client), or from another origin, is refused too.
    expect(await openSocket(`${api}?token=${host.token}`, null)).toEqual({ refused: 403 });
    expect(await openSocket(`${api}?token=${host.token}`, 'http://127.0.0.1:1')).toEqual({ refused: 403 });
    expect(await openSocket(`${api}?token=${host.token}`, 'http://evil.example')).toEqual({ refused: 403 });
    // The cookie parser takes the whole value: a value with more after an '=' is not the asset key.
    expect((await get(host.port, '/assets/app.js', { Cookie: `itb_assets=${leaked}=x` })).status).toBe(401);
    expect((await get(host.port, '/assets/app.js', { Cookie: `itb_assets=${leaked}` })).status).toBe(200);
    // And the page's own origin with the token opens it.
    const ok = await openSocket(`${api}?token=${host.token}`);
    if ('refused' in ok) throw new Error(`refused ${ok.refused}`);
    ok.ws.close();
  });

  it('refuses a socket without the right token', async () => {
    expect(await openSocket(`ws://127.0.0.1:${host.port}/api`)).toEqual({ refused: 401 });
    expect(await openSocket(`ws://127.0.0.1:${host.port}/api?token=${'0'.repeat(64)}`)).toEqual({
      refused: 401,
    });
    expect(await openSocket(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)).toEqual({
      refused: 404,
    });
  });

  it('carries the contract end to end: connect, interrogate the sim, events pushed', async () => {
    const opened = await openSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    if ('refused' in opened) throw new Error(`refused ${opened.refused}`);
    socket = opened;
    const ports = await call('listPorts', {});
    expect(ports).toMatchObject({ kind: 'result', result: { ok: true } });
    const connected = await call('connect', { target: { kind: 'embedded' } });
    expect(connected).toMatchObject({ kind: 'result', result: { ok: true, value: { state: 'connected' } } });
    const status = await call('interrogate', {});
    expect(status).toMatchObject({
      kind: 'result',
      result: { ok: true, value: { serial: service.embedded!.serial } },
    });
    expect(socket.messages.some((m) => m.kind === 'event' && m.event.type === 'link')).toBe(true);
    expect(socket.messages.some((m) => m.kind === 'event' && m.event.type === 'frame')).toBe(true);
  });

  it('answers malformed messages with an error and does nothing', async () => {
    const before = service.recordPath ? readFileSync(service.recordPath, 'utf8') : '';
    socket.ws.send('this is not json');
    await waitFor('json error', () => socket.messages.find((m) => m.kind === 'error' && m.id === null));
    const unknownOp = await call('formatDisk', {});
    expect(unknownOp).toMatchObject({ kind: 'error', error: { code: 'BAD_REQUEST' } });
    const badReq = await call('readLog', { offset: -1, count: 5 });
    expect(badReq).toMatchObject({ kind: 'error', error: { code: 'BAD_REQUEST' } });
    const stop = await call('stopPump', { now: true });
    expect(stop).toMatchObject({ kind: 'error', error: { code: 'BAD_REQUEST' } });
    socket.ws.send(JSON.stringify({ kind: 'call', id: 'x', op: 'interrogate', request: {} }));
    await waitFor(
      'bad id',
      () => socket.messages.filter((m) => m.kind === 'error' && m.id === null).length >= 2,
    );
    const after = service.recordPath ? readFileSync(service.recordPath, 'utf8') : '';
    expect(after).toBe(before);
    // Still serving calls after the garbage.
    expect(await call('interrogate', {})).toMatchObject({ kind: 'result', result: { ok: true } });
  });
});

describe('web host command line', () => {
  it('parses its options and rejects bad ones', () => {
    expect(
      parseWebHostArgs(['--port', '8080', '--no-embedded', '--sim-args', '--fast  --seed 7'], '/x'),
    ).toMatchObject({
      port: 8080,
      embedded: false,
      simArgs: ['--fast', '--seed', '7'],
    });
    expect(() => parseWebHostArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseWebHostArgs(['--bogus'])).toThrow(/unknown option/);
    expect(() => parseWebHostArgs(['--sim-args'])).toThrow(/needs a value/);
  });

  /** The browser host as a process (`npm start`'s path without Electron), with its embedded pump. */
  function startHostProcess(dir: string) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/main/web-host.ts',
        '--root',
        makeWebRoot(dir),
        '--data-dir',
        dir,
        '--sim-args',
        '--paused',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const io = { out: '' };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (io.out += c));
    const ready = async () => {
      const line = await waitFor(
        'ready line',
        () => io.out.split('\n').find((l) => l.startsWith('{')),
        30_000,
      );
      return JSON.parse(line) as { event: string; url: string; bench: string; benchTokenFile: string };
    };
    return { child, io, ready };
  }

  it('prints the ready line with the bench, serves with the token, and stops the sim on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itb-webhost-cli-'));
    const { child, io, ready: readyLine } = startHostProcess(dir);
    const out = () => io.out;
    try {
      const ready = await readyLine();
      expect(ready.event).toBe('ready');
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
      expect(ready.bench).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(ready.benchTokenFile)).toBe(true);
      await waitFor('human line', () => out().includes('not a medical device'));
      const url = new URL(ready.url);
      expect((await get(Number(url.port), `/?token=${url.searchParams.get('token')}`)).status).toBe(200);
      const benchToken = readFileSync(ready.benchTokenFile, 'utf8').trim();
      const state = await fetch(`${ready.bench}/state`, {
        headers: { Authorization: `Bearer ${benchToken}` },
      });
      expect(state.status).toBe(200);

      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${ready.bench}/state`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no pump running when it is killed outright (kill -9)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itb-webhost-kill-'));
    const { child, ready: readyLine } = startHostProcess(dir);
    try {
      const ready = await readyLine();
      const benchToken = readFileSync(ready.benchTokenFile, 'utf8').trim();
      const state = () =>
        fetch(`${ready.bench}/state`, { headers: { Authorization: `Bearer ${benchToken}` } });
      expect((await state()).status).toBe(200);
      child.kill('SIGKILL'); // no chance to stop the embedded pump itself
      // The pump sees its stdin close, saves and exits: its bench API goes away.
      await waitFor(
        'the embedded pump to exit',
        () =>
          state().then(
            () => false,
            () => true,
          ),
        30_000,
      );
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
