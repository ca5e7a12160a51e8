/**
 * The browser host (`npm run web`): the same programmer service and embedded pump as the Electron app, in a
 * plain Node process, serving the built renderer (out/web) on 127.0.0.1 and carrying the contract over a
 * WebSocket at /api. A per-run random token guards both: the page URL carries it (`/?token=...`), and the
 * socket must present it (`/api?token=...`) from this host's own origin (the Origin header is required:
 * a browser always sends it, and a page elsewhere cannot fake it). The token never goes into a cookie:
 * cookies are scoped by host, not port, so any other server on 127.0.0.1 would receive it. The page's
 * assets are authorised by a cookie holding an asset key derived from the token, which opens static files
 * and nothing else.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  wsClientMessageSchema,
  type ProgrammerApi,
  type ProgrammerEvent,
  type WsServerMessage,
} from '../shared/contract';
import { SECURITY_HEADERS } from './csp';
import { dispatch, validateRequest } from './dispatch';
import { createProtocolLink } from './service/protocol-adapter';
import type { WebHostReadyLine } from './web-host-ready';
import { postCaseMessage } from './case-message';
import { createInstructorRelay, INSTRUCTOR_PATH, type InstructorRelay } from './instructor-relay';
import { ProgrammerService } from './service/programmer-service';

export interface WebHostOptions {
  api: ProgrammerApi;
  subscribe: (listener: (e: ProgrammerEvent) => void) => () => void;
  /** Directory of the built renderer (index.html and assets). */
  webRoot: string;
  /** 0 = a random free port. */
  port?: number;
  /** Fixed token (tests); default 32 random bytes, hex. */
  token?: string;
  /** The instructor console's door (`/instructor/`, its own token), or none. */
  instructor?: InstructorRelay | null;
}

export interface WebHost {
  port: number;
  token: string;
  url: string;
  /** The instructor console with its token, when the host has one. */
  instructorUrl: string | null;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

/** Above this much unsent data a client is slow: protocol-monitor frames to it are dropped, not queued. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** The asset cookie: HMAC-SHA256(token, "itb-web-assets"), hex. Opens static files only, never /api. */
const COOKIE = 'itb_assets';
const ASSET_LABEL = 'itb-web-assets';

function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of our cookie: `name=value` split at the first '=' only, the whole value kept. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const p = part.trim();
    const eq = p.indexOf('=');
    if (eq <= 0 || p.slice(0, eq) !== name) continue;
    const v = p.slice(eq + 1);
    return v === '' ? null : v;
  }
  return null;
}

function assetKey(token: string): string {
  return createHmac('sha256', token).update(ASSET_LABEL).digest('hex');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const webRoot = resolve(options.webRoot);
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error(`No built renderer at ${webRoot} (index.html missing): run "npm run build:web" first.`);
  }
  const assets = assetKey(token);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type = 'text/plain; charset=utf-8',
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) must not reach the programmer.
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'Misdirected request\n');
    // The instructor's door has its own token; the trainee's token and cookie open nothing there.
    if (options.instructor?.handleRequest(req, res, allowedHosts())) return;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'Method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const queryToken = url.searchParams.get('token');
    const byToken = tokenMatches(token, queryToken);
    // The asset cookie opens static files, never the API.
    const authorised =
      byToken || (url.pathname !== '/api' && tokenMatches(assets, cookieValue(req.headers.cookie, COOKIE)));
    if (!authorised)
      return send(res, 401, 'Unauthorized: open the URL printed by the host (it carries the token).\n');
    if (url.pathname === '/api') return send(res, 426, 'Upgrade to WebSocket required\n');

    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'Bad path\n');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(webRoot, rel));
    if (!file.startsWith(webRoot + sep)) return send(res, 403, 'Forbidden\n');
    if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found\n');
    const extra: Record<string, string> = {};
    if (tokenMatches(token, queryToken)) {
      // The assets the page loads do not carry ?token: the asset cookie authorises them. Not the token:
      // another server on 127.0.0.1 (any port) receives this cookie too.
      extra['Set-Cookie'] = `${COOKIE}=${assets}; HttpOnly; SameSite=Strict; Path=/`;
    }
    const body = readFileSync(file);
    return send(
      res,
      200,
      req.method === 'HEAD' ? '' : body,
      MIME[extname(file)] ?? 'application/octet-stream',
      extra,
    );
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const refuse = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (options.instructor?.handleUpgrade(req, socket, head, allowedHosts(), allowedOrigins())) return;
    if (url.pathname !== '/api') return refuse('404 Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse('421 Misdirected Request');
    // Required, and ours: a browser always sends it, so a socket without one is not our page.
    if (origin === undefined || !allowedOrigins().has(origin)) return refuse('403 Forbidden');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const reply = (msg: WsServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const unsubscribe = options.subscribe((event) => {
      if (event.type === 'frame' && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
      reply({ kind: 'event', event });
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        return reply({
          kind: 'error',
          id: null,
          error: { code: 'BAD_REQUEST', message: 'Binary messages are not accepted.' },
        });
      }
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return reply({
          kind: 'error',
          id: null,
          error: { code: 'BAD_REQUEST', message: 'The message is not valid JSON.' },
        });
      }
      const rawId = (raw as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 ? rawId : null;
      const parsed = wsClientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        return reply({
          kind: 'error',
          id,
          error: { code: 'BAD_REQUEST', message: 'Not a valid call message.', details: parsed.error.issues },
        });
      }
      const call = parsed.data;
      const checked = validateRequest(call.op, call.request);
      if (!checked.ok) return reply({ kind: 'error', id: call.id, error: checked.error });
      void dispatch(options.api, call.op, call.request).then((result) =>
        reply({ kind: 'result', id: call.id, result }),
      );
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    instructorUrl: options.instructor
      ? `http://127.0.0.1:${port}${INSTRUCTOR_PATH}?token=${options.instructor.token}`
      : null,
    server,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await options.instructor?.close();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// ---------------------------------------------------------------- command line

export interface WebHostCli {
  port: number;
  embedded: boolean;
  simArgs: string[];
  dataDir: string;
  webRoot: string;
  help: boolean;
}

export const WEB_HOST_HELP = `Usage: npm run web -- [options]   (or: tsx src/main/web-host.ts [options])

Serves the clinician programmer to a browser on 127.0.0.1, with an embedded virtual pump.
Training bench, not a medical device.

  --port N          listen on port N (default 0: a random free port)
  --no-embedded     do not start the embedded virtual pump (connect to a serial port instead)
  --sim-args "..."  extra arguments for the embedded firmware-sim, space-separated (e.g. "--fast --seed 7")
  --data-dir DIR    session records and the embedded pump's state (default ./.state/web-host)
  --root DIR        the built renderer (default out/web)
  --help            this text

Prints one JSON line {"event":"ready","url":...,"instructorUrl":...,"bench":...,"benchTokenFile":...,
"bedside":...,"bedsideTokenFile":...} then a readable line. The instructor console (/instructor/) has its own
token, in instructorUrl.
`;

export function parseWebHostArgs(argv: string[], cwd = process.cwd()): WebHostCli {
  const out: WebHostCli = {
    port: 0,
    embedded: true,
    simArgs: [],
    dataDir: join(cwd, '.state', 'web-host'),
    webRoot: join(cwd, 'out', 'web'),
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port': {
        const v = value();
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new Error(`--port must be 0..65535, not "${v}"`);
        out.port = Number(v);
        break;
      }
      case '--no-embedded':
        out.embedded = false;
        break;
      case '--sim-args':
        out.simArgs = value().split(/\s+/).filter(Boolean);
        break;
      case '--data-dir':
        out.dataDir = resolve(cwd, value());
        break;
      case '--root':
        out.webRoot = resolve(cwd, value());
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return out;
}

/** The host's command line: `npm run web` (scripts/web.ts) and `tsx src/main/web-host.ts` both end here. */
export async function runWebHost(argv: string[]): Promise<void> {
  let cli: WebHostCli;
  try {
    cli = parseWebHostArgs(argv);
  } catch (err) {
    process.stderr.write(`web-host: ${(err as Error).message}\n\n${WEB_HOST_HELP}`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(WEB_HOST_HELP);
    return;
  }
  const service = new ProgrammerService({
    dataDir: cli.dataDir,
    linkFactory: createProtocolLink,
    embedded: cli.embedded
      ? { extraArgs: cli.simArgs, onLog: (line) => process.stderr.write(`[firmware-sim] ${line}\n`) }
      : null,
  });
  let host: WebHost | null = null;
  const shutdown = async (code: number) => {
    await host?.close().catch(() => undefined);
    await service.dispose().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
  try {
    const sim = await service.start();
    // The bench token stays in this process: the instructor page gets answers through the relay. Read at
    // every call from the embedded pump of now: a training case or an implant restarts it on a new token.
    const bench = (): { url: string; token: string } | null => {
      const emb = service.embedded;
      if (!emb) return null;
      try {
        return { url: emb.bench, token: readFileSync(emb.tokenFile, 'utf8').trim() };
      } catch {
        return null;
      }
    };
    const instructor = createInstructorRelay({
      bench,
      deliverMessage: (text) => postCaseMessage(bench(), text),
      webRoot: join(cli.webRoot, 'instructor'),
      sessionRecord: async () => {
        const r = await service.sessionRecord({});
        return r.ok ? r.value : [];
      },
    });
    host = await startWebHost({
      instructor,
      api: service,
      subscribe: (l) => service.onEvent(l),
      webRoot: cli.webRoot,
      port: cli.port,
    });
    const ready: WebHostReadyLine = {
      event: 'ready',
      url: host.url,
      instructorUrl: host.instructorUrl,
      bench: sim?.bench ?? null,
      benchTokenFile: sim?.tokenFile ?? null,
      bedside: sim?.bedside ?? null,
      bedsideTokenFile: sim?.bedsideTokenFile ?? null,
      port: sim?.port ?? null,
      pid: process.pid,
    };
    process.stdout.write(JSON.stringify(ready) + '\n');
    process.stdout.write(
      `ITB programmer (training bench, not a medical device) at ${host.url}` +
        ` ; instructor console at ${host.instructorUrl ?? '(none)'}` +
        (sim ? ` ; embedded pump ${sim.serial} on ${sim.port}, bench ${sim.bench}` : ' ; no embedded pump') +
        '\n',
    );
  } catch (err) {
    process.stderr.write(`web-host: ${(err as Error).message}\n`);
    await shutdown(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void runWebHost(process.argv.slice(2));
}
