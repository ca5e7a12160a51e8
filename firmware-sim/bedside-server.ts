/**
 * The bedside API: the trainee's least-privilege surface on the device host (docs/bedside-api.md). Loopback
 * HTTP with its own per-run bearer token (not the bench's), answering only what a clinician could observe
 * or do at the bedside. It has no route to the clock, faults, truth or the patient's internals; the bench
 * token does not open it and its token does not open the bench. It is called by the programmer service,
 * never by a page: a request that carries an Origin header (a browser's) is refused.
 */
import http from 'node:http';
import { bedsideOrderSchema } from '../src/shared/contract';
import type { BedsideOrder } from '../src/shared/bedside';
import {
  admit,
  HttpError,
  parse,
  readJson,
  removeTokenFile,
  sendAnswer,
  sendJson as send,
  allowOnly,
  listenLoopback,
  newTokenFile,
} from './loopback-http';
import { BedsideConflict, BedsideRefused, type Bedside } from './bedside';
import { screeningRoute, type ScreeningDesk } from './screening-desk';
import { learnerCaseRoute } from './scenario/learner-routes';
import type { ScenarioRunner } from './scenario/runner';

export interface BedsideServer {
  url: string;
  port: number;
  tokenFile: string;
  close(): Promise<void>;
}

export async function startBedsideServer(opts: {
  bedside: Bedside;
  /** The screening trial before any pump (issue 21), at /screening: the trainee's, like the bedside. */
  screening?: ScreeningDesk;
  /** The training case as the learner sees it (issue 19), at /cases and /case. */
  training?: { runner(): ScenarioRunner | null; saved(): void; warn(m: string): void };
  /** 0 = a random free port. */
  port: number;
  tokenFile: string;
  onError?: (e: unknown) => void;
}): Promise<BedsideServer> {
  const { bedside } = opts;
  const token = newTokenFile(opts.tokenFile);
  let port = 0;

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const p = url.pathname;
    const allow = (m: string): void => allowOnly(method, p, m);
    if (p === '/examine') {
      allow('POST');
      return send(res, 200, bedside.examine());
    }
    if (p === '/refill-syringe') {
      allow('POST');
      return send(res, 200, bedside.refillSyringe());
    }
    if (p === '/orders') {
      allow('POST');
      const order = parse(bedsideOrderSchema, await readJson(req)) as BedsideOrder;
      return send(res, 200, bedside.order(order));
    }
    if (p === '/actions') {
      allow('GET');
      return send(res, 200, bedside.actions());
    }
    if (opts.training && (p === '/cases' || p === '/case' || p.startsWith('/case/'))) {
      const r = await learnerCaseRoute(opts.training.runner(), method, p, () => readJson(req), opts.training);
      return sendAnswer(res, r);
    }
    if (opts.screening && (p === '/screening' || p.startsWith('/screening/'))) {
      const body = method === 'POST' ? await readJson(req) : undefined;
      const r = screeningRoute(opts.screening, method, p.slice('/screening'.length), body);
      return send(res, r.status, r.body);
    }
    throw new HttpError(404, `no such bedside endpoint: ${method} ${p} (see docs/bedside-api.md)`);
  };

  const server = http.createServer((req, res) => {
    // The service calls this API; a browser page (which always sends Origin) never may.
    const pagesRefused = 'the bedside API is not for pages: no Origin may call it';
    const unauthorized = 'missing or wrong bearer token (the bedside token, not the bench one)';
    if (!admit(req, res, { port, token, unauthorized, pagesRefused })) return;
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) return send(res, e.status, { error: e.message, details: e.details });
      if (e instanceof BedsideRefused) return send(res, 400, { error: e.message });
      if (e instanceof BedsideConflict) return send(res, 409, { error: e.message });
      opts.onError?.(e);
      send(res, 500, { error: `internal error: ${(e as Error).message}` });
    });
  });
  // No WebSocket here: any upgrade is refused.
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  port = await listenLoopback(server, opts.port, opts.onError);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tokenFile: opts.tokenFile,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      removeTokenFile(opts.tokenFile, token);
    },
  };
}
