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
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  wsClientMessageSchema,
  type ProgrammerApi,
  type ProgrammerEvent,
  type WsServerMessage,
} from '../shared/contract';
import { dispatch, validateRequest } from './dispatch';
import { assetKey, cookieValue, refuseUpgrade, send, serveFile, tokenMatches } from './http-guard';
import { INSTRUCTOR_PATH, type InstructorRelay } from './instructor-relay';

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

/** Above this much unsent data a client is slow: protocol-monitor frames to it are dropped, not queued. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** The asset cookie: HMAC-SHA256(token, "itb-web-assets"), hex. Opens static files only, never /api. */
const COOKIE = 'itb_assets';
const ASSET_LABEL = 'itb-web-assets';

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const webRoot = resolve(options.webRoot);
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error(`No built renderer at ${webRoot} (index.html missing): run "npm run build:web" first.`);
  }
  const assets = assetKey(token, ASSET_LABEL);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

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
    const extra: Record<string, string> = {};
    if (tokenMatches(token, queryToken)) {
      // The assets the page loads do not carry ?token: the asset cookie authorises them. Not the token:
      // another server on 127.0.0.1 (any port) receives this cookie too.
      extra['Set-Cookie'] = `${COOKIE}=${assets}; HttpOnly; SameSite=Strict; Path=/`;
    }
    serveFile(req, res, webRoot, rel, extra);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const refuse = (status: string) => refuseUpgrade(socket, status);
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

// `tsx src/main/web-host.ts [options]`: the command line (web-host-cli.ts), loaded only when run so.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void import('./web-host-cli').then((cli) => cli.runWebHost(process.argv.slice(2)));
}
