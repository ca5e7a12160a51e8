/**
 * The bench API: loopback HTTP + WebSocket, bearer-token protected. It is the only way to touch what a clinic
 * cannot (clock, faults, truth, link noise); telemetry never reaches it. Every body is validated with the
 * shared zod schemas before anything changes; a bad request gets a 4xx with a JSON message and changes
 * nothing.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  clockActionSchema,
  clockAdvanceSchema,
  clockSpeedSchema,
  deviceFaultSchema,
  faultKindSchema,
  linkFaultsPatchSchema,
  logQuerySchema,
  interventionSchema,
  patientHistoryQuerySchema,
  type PatientHistory,
  type BenchError,
  type BenchLog,
  type BenchState,
  type ClockInfo,
  type LinkFaults,
  type LinkFaultsPatch,
  type StreamMessage,
} from './bench-schema';
import { autoPauseSchema, type AutoPauseRequest } from './auto-pause';
import type { DeviceFault, FaultKind } from '../src/device/types';
import type { Intervention, PatientFindings } from '../src/patient';
import type { BedsideAction } from '../src/shared/bedside';
import type { ScenarioHttp } from './scenario/routes';
import {
  admit,
  HttpError,
  loopbackHost,
  parse,
  readJson,
  removeTokenFile,
  sameToken,
  sendAnswer,
  sendJson as send,
  allowOnly,
  listenLoopback,
  newTokenFile,
} from './loopback-http';

/** What the server drives; implemented by the host (firmware-sim/host.ts). Methods throw BenchConflict to refuse. */
export interface BenchBackend {
  state(): BenchState;
  log(offset: number, count: number): BenchLog;
  pause(): void;
  resume(): void;
  setSpeed(speed: number | 'fast'): void;
  /** Resolves when pump time has reached the target (a long advance runs in slices). */
  advance(req: { to: number } | { by: number }): void | Promise<void>;
  /** Set or cancel the auto-pause (a time, conditions); answers the clock info. */
  setAutoPause(req: AutoPauseRequest): ClockInfo;
  injectFault(fault: DeviceFault): void;
  clearFault(kind: FaultKind): void;
  patient(): PatientFindings;
  patientHistory(from: number, to: number): PatientHistory;
  intervene(iv: Intervention): PatientFindings;
  /** What the trainee did at the bedside (docs/bedside-api.md), oldest first. */
  bedsideActions(): BedsideAction[];
  getLinkFaults(): LinkFaults;
  setLinkFaults(patch: LinkFaultsPatch): LinkFaults;
  subscribe(listener: (m: StreamMessage) => void): () => void;
  /** The training case's endpoints (firmware-sim/scenario/routes.ts), or null when no case is loaded. */
  scenario?(): ScenarioHttp | null;
}

/** A well-formed request the current state does not allow (answered 409, nothing changed). */
export class BenchConflict extends Error {
  override name = 'BenchConflict';
}

export interface BenchServer {
  url: string;
  port: number;
  token: string;
  tokenFile: string;
  close(): Promise<void>;
}

export async function startBenchServer(opts: {
  backend: BenchBackend;
  port: number;
  tokenFile: string;
  onError?: (e: unknown) => void;
}): Promise<BenchServer> {
  const { backend } = opts;
  const token = newTokenFile(opts.tokenFile);
  let port = 0;

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const p = url.pathname;
    const allow = (...methods: string[]): void => allowOnly(method, p, ...methods);
    if (p === '/state') {
      allow('GET');
      return send(res, 200, backend.state());
    }
    if (p === '/log') {
      allow('GET');
      const q = parse(logQuerySchema, Object.fromEntries(url.searchParams));
      return send(res, 200, backend.log(q.offset, q.count));
    }
    if (p === '/clock') {
      allow('POST');
      const b = parse(clockActionSchema, await readJson(req));
      if (b.action === 'pause') backend.pause();
      else backend.resume();
      return send(res, 200, backend.state().clock);
    }
    if (p === '/clock/speed') {
      allow('POST');
      const b = parse(clockSpeedSchema, await readJson(req));
      backend.setSpeed(b.speed);
      return send(res, 200, backend.state().clock);
    }
    if (p === '/clock/advance') {
      allow('POST');
      const b = parse(clockAdvanceSchema, await readJson(req));
      await backend.advance(b);
      return send(res, 200, backend.state().clock);
    }
    if (p === '/clock/auto-pause') {
      allow('POST');
      const b = parse(autoPauseSchema, await readJson(req));
      return send(res, 200, backend.setAutoPause(b));
    }
    if (p === '/faults') {
      allow('POST');
      const b = parse(deviceFaultSchema, await readJson(req));
      backend.injectFault(b);
      return send(res, 200, backend.state());
    }
    const fm = /^\/faults\/([^/]+)$/.exec(p);
    if (fm) {
      allow('DELETE');
      let name: string;
      try {
        name = decodeURIComponent(fm[1]!);
      } catch {
        throw new HttpError(400, `fault kind "${fm[1]}" is not valid percent-encoding`);
      }
      const kind = faultKindSchema.safeParse(name);
      if (!kind.success)
        throw new HttpError(
          400,
          `unknown fault kind "${fm[1]}"; one of ${faultKindSchema.options.join(', ')}`,
        );
      backend.clearFault(kind.data);
      return send(res, 200, backend.state());
    }
    if (p === '/patient') {
      allow('GET');
      return send(res, 200, backend.patient());
    }
    if (p === '/patient/history') {
      allow('GET');
      const q = parse(patientHistoryQuerySchema, Object.fromEntries(url.searchParams));
      return send(res, 200, backend.patientHistory(q.from, q.to));
    }
    if (p === '/patient/interventions') {
      allow('POST');
      const b = parse(interventionSchema, await readJson(req));
      return send(res, 200, backend.intervene(b as Intervention));
    }
    if (p === '/bedside/actions') {
      allow('GET');
      return send(res, 200, backend.bedsideActions());
    }
    if (p === '/link-faults') {
      allow('GET', 'POST');
      if (method === 'GET') return send(res, 200, backend.getLinkFaults());
      const b = parse(linkFaultsPatchSchema, await readJson(req));
      return send(res, 200, backend.setLinkFaults(b));
    }
    if (p === '/scenario' || p.startsWith('/scenario/')) {
      const sc = backend.scenario?.() ?? null;
      if (!sc) throw new HttpError(404, 'no training case is loaded (start the sim with --scenario FILE)');
      return sendAnswer(res, await sc.request(method, p, () => readJson(req)));
    }
    throw new HttpError(404, `no such endpoint: ${method} ${p} (see docs/bench-api.md)`);
  };

  const server = http.createServer((req, res) => {
    const unauthorized = 'missing or wrong bearer token (see the token file named in the ready line)';
    if (!admit(req, res, { port, token, unauthorized })) return;
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError)
        return send(res, e.status, { error: e.message, details: e.details } satisfies BenchError);
      if (e instanceof BenchConflict) return send(res, 409, { error: e.message } satisfies BenchError);
      opts.onError?.(e);
      send(res, 500, { error: `internal error: ${(e as Error).message}` } satisfies BenchError);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!loopbackHost(req.headers.host, port)) return refuse(403, 'Forbidden');
    if (url.pathname !== '/stream') return refuse(404, 'Not Found');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', () => undefined); // a vanished viewer is not our problem
    const sendMsg = (m: StreamMessage): void => {
      // A slow viewer must not grow our memory without bound: drop messages while it is behind.
      if (ws.readyState === ws.OPEN && ws.bufferedAmount < 4 * 1024 * 1024) ws.send(JSON.stringify(m));
    };
    sendMsg({ type: 'hello', state: backend.state() });
    const off = backend.subscribe(sendMsg);
    ws.on('close', off);
  });

  port = await listenLoopback(server, opts.port, opts.onError);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    tokenFile: opts.tokenFile,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      // The token file is this bench's: removed only while it still holds this token.
      removeTokenFile(opts.tokenFile, token);
    },
  };
}
