/**
 * The instructor console's door (issue 20): the page `/instructor/` and its socket `/instructor/api`, each
 * guarded by the instructor's own per-run token, relayed to the embedded sim's bench API and stream. The
 * bench token stays in this process: the page gets the answers, never the token (a page that held it could
 * be copied out of the browser and used without the host's checks, which refuse other Origins and Hosts).
 * The trainee's token opens nothing here, and the instructor's token opens nothing of the trainee's (the
 * web host checks its own). Calls are a closed list of operations, validated before anything is sent; the
 * bench validates the bodies again and its clear 4xx comes back to the page as it is.
 *
 * Also here: the instructor's own log (every control used, with the pump time it took effect at), and the
 * trainee's actions as they happen, read from the programmer's session record.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, WebSocket } from 'ws';
import { z } from 'zod';
import type { SessionRecordEntry } from '../shared/contract';
import { describeAction, type BedsideActionKind } from '../shared/bedside';
import { formatDuration, formatPumpTime } from '../shared/clinical/format';
import { SECURITY_HEADERS } from './csp';

export const INSTRUCTOR_PATH = '/instructor/';
const API_PATH = '/instructor/api';
const COOKIE = 'itb_instructor_assets';
const ASSET_LABEL = 'itb-instructor-assets';
/** Kept for late joiners and shown in the console; older entries are dropped (bounded). */
export const MAX_ACTIVITY = 500;
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
const MAX_MESSAGE_CHARS = 500;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

// ---------------------------------------------------------------- the page's calls

const int = z.number().int();
const nonNeg = int.nonnegative();
/** Bodies are the bench's to validate (firmware-sim/bench-schema.ts); here only their envelope and size. */
const body = z.record(z.string(), z.unknown());

export const instructorCallSchema = z.strictObject({
  kind: z.literal('call'),
  id: nonNeg,
  op: z.enum([
    'state',
    'patient',
    'history',
    'log',
    'pause',
    'resume',
    'speed',
    'advance',
    'nextEvent',
    'autoPause',
    'fault',
    'clearFault',
    'linkFaults',
    'message',
    'scenario',
    'scenarioDebrief',
    'scenarioFinish',
    'cases',
    'startCase',
  ]),
  args: body.optional(),
});
export type InstructorCall = z.infer<typeof instructorCallSchema>;
export type InstructorOp = InstructorCall['op'];

/** One line of the console's activity feed: what the instructor did, or what the trainee did. */
export interface ActivityEntry {
  /** Pump time when it was seen (seconds since 1970), or null before the first state from the sim. */
  pumpTime: number | null;
  /** Host time, ISO. */
  at: string;
  who: 'instructor' | 'trainee' | 'pump';
  /** In words. */
  text: string;
  /** 'error' when the bench refused it (nothing changed). */
  result: 'ok' | 'error';
}

export type InstructorServerMessage =
  | { kind: 'hello'; benchAvailable: boolean; activity: ActivityEntry[]; stream: unknown[] }
  /** A bench stream message (state, patient, alarm, link, autoPause), as the sim sent it. */
  | { kind: 'stream'; message: unknown }
  | { kind: 'activity'; entry: ActivityEntry }
  | { kind: 'result'; id: number; status: number; body: unknown }
  | { kind: 'error'; id: number | null; error: string; details?: unknown };

export interface BenchAccess {
  url: string;
  token: string;
}

export interface InstructorRelayOptions {
  /** The bench API; null while there is none (no embedded pump). Read at every call. */
  bench: () => BenchAccess | null;
  /** The built console (index.html and assets). */
  webRoot: string;
  /** Fixed token (tests); default 32 random bytes, hex. */
  token?: string;
  /** The trainee's session record (the programmer service's), polled for new entries. */
  sessionRecord?: () => Promise<SessionRecordEntry[]>;
  /** How often the session record is read while a console is open (host ms). */
  recordPollMs?: number;
  /** Where a message to the trainee goes (the bedside or the scenario runner, when there is one). */
  deliverMessage?: (text: string) => Promise<void>;
  /** The library of training cases, and loading one (the programmer service restarts its embedded pump). */
  cases?: () => Promise<{ id: string; title: string }[]>;
  startCase?: (id: string) => Promise<void>;
  fetch?: typeof fetch;
}

export interface InstructorRelay {
  token: string;
  /** Serves `/instructor` and everything under it; false for any other path (the caller's). */
  handleRequest(req: IncomingMessage, res: ServerResponse, allowedHosts: Set<string>): boolean;
  /** Takes the upgrade for `/instructor/api`; false for any other path. */
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    allowedHosts: Set<string>,
    allowedOrigins: Set<string>,
  ): boolean;
  /** The instructor's log so far (newest last). */
  activity(): ActivityEntry[];
  close(): Promise<void>;
}

/** A bedside action from the stream, in the clinic's words (the shared describer; raw kind if unknown). */
function bedsideWords(a: { action?: string; detail?: Record<string, unknown> }): string {
  try {
    return describeAction({ action: a.action as BedsideActionKind, detail: a.detail ?? {} });
  } catch {
    return words(String(a.action ?? ''));
  }
}

function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const p = part.trim();
    const eq = p.indexOf('=');
    if (eq <= 0 || p.slice(0, eq) !== name) continue;
    return p.slice(eq + 1) || null;
  }
  return null;
}

/** The bench request an operation makes, and its words for the log (null: a read, not logged). */
export function benchRequest(
  op: InstructorOp,
  args: Record<string, unknown>,
  nextEventTime: number | null,
): { method: string; path: string; body?: unknown; words: string | null } | { error: string } {
  const q = (o: Record<string, unknown>) =>
    new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
  switch (op) {
    case 'state':
      return { method: 'GET', path: '/state', words: null };
    case 'patient':
      return { method: 'GET', path: '/patient', words: null };
    case 'history':
      return { method: 'GET', path: `/patient/history?${q(args)}`, words: null };
    case 'log':
      return { method: 'GET', path: `/log?${q(args)}`, words: null };
    case 'pause':
      return {
        method: 'POST',
        path: '/clock',
        body: { action: 'pause' },
        words: 'paused time (pump, patient and case)',
      };
    case 'resume':
      return { method: 'POST', path: '/clock', body: { action: 'resume' }, words: 'resumed time' };
    case 'speed':
      return {
        method: 'POST',
        path: '/clock/speed',
        body: args,
        words:
          args.speed === 'fast'
            ? 'set time to fast (event to event)'
            : `set the speed to x${String(args.speed)}`,
      };
    case 'advance':
      return {
        method: 'POST',
        path: '/clock/advance',
        body: args,
        words: `advanced time ${describeAdvance(args)}`,
      };
    case 'nextEvent':
      if (nextEventTime === null)
        return { error: 'nothing is scheduled: neither the pump nor a training case has a next event' };
      return {
        method: 'POST',
        path: '/clock/advance',
        body: { to: nextEventTime },
        words: 'advanced time to the next event',
      };
    case 'autoPause':
      return {
        method: 'POST',
        path: '/clock/auto-pause',
        body: args,
        words: `set the auto-pause ${describeAutoPause(args)}`,
      };
    case 'fault':
      return { method: 'POST', path: '/faults', body: args, words: `injected ${describeFault(args)}` };
    case 'clearFault': {
      const kind = args.kind;
      if (typeof kind !== 'string' || !/^[A-Za-z]{1,40}$/.test(kind))
        return { error: 'clearFault needs {"kind": a fault kind}' };
      return { method: 'DELETE', path: `/faults/${kind}`, words: `cleared the ${words(kind)} fault` };
    }
    case 'linkFaults':
      return {
        method: 'POST',
        path: '/link-faults',
        body: args,
        words: `set the telemetry link: ${JSON.stringify(args)}`,
      };
    // The training case (the scenario runner's /scenario endpoints; 404 while no case is loaded).
    case 'scenario':
      return { method: 'GET', path: '/scenario', words: null };
    case 'scenarioDebrief':
      return { method: 'GET', path: '/scenario/debrief', words: null };
    case 'scenarioFinish':
      return { method: 'POST', path: '/scenario/finish', body: args, words: 'ended the training case' };
    case 'message':
    case 'cases':
    case 'startCase':
      return { error: 'not a bench request' };
  }
}

const words = (camel: string) => camel.replace(/([A-Z])/g, ' $1').toLowerCase();

/** A duration asked for, exactly (the bench refuses a bad one; its words must not throw first). */
const span = (s: number): string =>
  Number.isSafeInteger(s) && s >= 0 ? formatDuration(s, { exact: true }) : `${s} s`;

function describeAdvance(a: Record<string, unknown>): string {
  if (typeof a.by === 'number') return `by ${span(a.by)}`;
  if (typeof a.to === 'number') return `to ${formatPumpTime(a.to)}`;
  return JSON.stringify(a);
}

function describeAutoPause(a: Record<string, unknown>): string {
  const parts: string[] = [];
  if (a.at === null) parts.push('time cancelled');
  else if (typeof a.at === 'number') parts.push(`at ${formatPumpTime(a.at)}`);
  if (Array.isArray(a.when))
    parts.push(
      a.when.length === 0
        ? 'conditions cancelled'
        : `when ${a.when.map((c: { kind?: string; atLeast?: string }) => (c.atLeast ? `${words(c.kind ?? '')} reaches ${words(c.atLeast)}` : `an ${c.kind ?? ''} is raised`)).join(' or ')}`,
    );
  return parts.join('; ');
}

function describeFault(f: Record<string, unknown>): string {
  switch (f.kind) {
    case 'catheter':
      return `catheter ${words(String(f.state))}`;
    case 'battery':
      return `battery ${f.to === 'eri' ? 'at ERI (elective replacement)' : 'at end of service'}`;
    case 'motorStall':
      return `motor stall (recovers after ${span(Number(f.recoveryDelayS))})`;
    case 'memoryError':
      return `${f.critical ? 'critical' : 'non-critical'} memory error`;
    case 'overInfusion':
      return `over-infusion of ${Number(f.ppm) / 10_000}%`;
    case 'pocketFill':
      return `pocket fill of ${Number(f.ppm) / 10_000}% at the next refill`;
    default:
      return `${words(String(f.kind))} ${JSON.stringify(f)}`;
  }
}

/** The trainee's session record entry in words (what the programmer did). */
export function describeRecordEntry(e: SessionRecordEntry): string {
  const op = e.operation === 'event' ? `event ${JSON.stringify(e.request)}` : words(e.operation);
  const outcome = e.result === 'ok' ? '' : ` (${e.result})`;
  return `${op}${outcome}`;
}

export function createInstructorRelay(o: InstructorRelayOptions): InstructorRelay {
  const token = o.token ?? randomBytes(32).toString('hex');
  const assets = createHmac('sha256', token).update(ASSET_LABEL).digest('hex');
  const webRoot = resolve(o.webRoot);
  const doFetch = o.fetch ?? fetch;
  const activity: ActivityEntry[] = [];
  /** The latest state and patient the sim sent: for late joiners and for pump-time stamps. */
  let lastState: { clock?: { pumpTime?: number; nextEventTime?: number | null } } | null = null;
  let lastPatient: unknown = null;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let upstream: WebSocket | null = null;
  let upstreamRetry: ReturnType<typeof setTimeout> | null = null;
  let recordTimer: ReturnType<typeof setInterval> | null = null;
  let recordSeen = 0;
  let recordPath: string | null = null;
  let closed = false;

  const send = (ws: WebSocket, m: InstructorServerMessage) => {
    if (ws.readyState === ws.OPEN && ws.bufferedAmount < SLOW_CLIENT_BYTES) ws.send(JSON.stringify(m));
  };
  const toAll = (m: InstructorServerMessage) => {
    for (const c of wss.clients) send(c, m);
  };
  const pumpTime = () => lastState?.clock?.pumpTime ?? null;
  const log = (
    who: ActivityEntry['who'],
    text: string,
    result: ActivityEntry['result'] = 'ok',
    at: number | null = pumpTime(),
  ) => {
    const entry: ActivityEntry = { pumpTime: at, at: new Date().toISOString(), who, text, result };
    activity.push(entry);
    if (activity.length > MAX_ACTIVITY) activity.splice(0, activity.length - MAX_ACTIVITY);
    toAll({ kind: 'activity', entry });
  };

  // ------------------------------------------------------------ the sim's stream, shared by every console
  const connectUpstream = () => {
    const b = o.bench();
    if (closed || upstream || !b || wss.clients.size === 0) return;
    const ws = new WebSocket(`${b.url.replace(/^http/, 'ws')}/stream?token=${b.token}`);
    upstream = ws;
    ws.on('message', (data) => {
      let m: {
        type?: string;
        state?: typeof lastState;
        patient?: unknown;
        time?: number;
        reason?: string;
        action?: { time?: number; action?: string; detail?: Record<string, unknown>; outcome?: string };
      };
      try {
        m = JSON.parse(data.toString()) as typeof m;
      } catch {
        return;
      }
      // Frames and tones are the engineer's protocol monitor, not the console's: not relayed.
      if (m.type === 'frame' || m.type === 'tone') return;
      if ((m.type === 'state' || m.type === 'hello') && m.state) lastState = m.state;
      if (m.type === 'patient') lastPatient = m.patient;
      if (m.type === 'autoPause')
        log('pump', `time paused itself: ${m.reason ?? ''}`, 'ok', m.time ?? pumpTime());
      // The trainee at the bedside (the bedside API reports each action on the bench stream).
      if (m.type === 'bedside' && m.action)
        log(
          'trainee',
          `at the bedside: ${bedsideWords(m.action)}${m.action.outcome ? `: ${m.action.outcome}` : ''}`,
          'ok',
          typeof m.action.time === 'number' ? m.action.time : pumpTime(),
        );
      toAll({ kind: 'stream', message: m });
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      upstream = null;
      if (!closed && wss.clients.size > 0) upstreamRetry = setTimeout(connectUpstream, 500);
    });
  };

  // ------------------------------------------------------------ the trainee's actions, from the record
  const pollRecord = async () => {
    if (!o.sessionRecord) return;
    let entries: SessionRecordEntry[];
    try {
      entries = await o.sessionRecord();
    } catch {
      return;
    }
    // A new session starts a new record: begin again at its first entry.
    const first = entries[0]?.at ?? null;
    if (first !== recordPath) {
      recordPath = first;
      recordSeen = 0;
    }
    for (const e of entries.slice(recordSeen))
      log('trainee', describeRecordEntry(e), e.result === 'error' ? 'error' : 'ok');
    recordSeen = entries.length;
  };

  // ------------------------------------------------------------ calls
  const call = async (ws: WebSocket, c: InstructorCall) => {
    const args = c.args ?? {};
    if (c.op === 'cases' || c.op === 'startCase') {
      if (!o.cases || !o.startCase)
        return send(ws, {
          kind: 'result',
          id: c.id,
          status: 409,
          body: { error: 'no case library on this host' },
        });
      if (c.op === 'cases') return send(ws, { kind: 'result', id: c.id, status: 200, body: await o.cases() });
      const id = typeof args.id === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(args.id) ? args.id : null;
      if (!id) return send(ws, { kind: 'error', id: c.id, error: 'startCase needs {"id": a case id}' });
      try {
        await o.startCase(id);
      } catch (e) {
        log('instructor', `loading the case ${id} refused: ${(e as Error).message}`, 'error');
        return send(ws, { kind: 'result', id: c.id, status: 409, body: { error: (e as Error).message } });
      }
      log('instructor', `loaded and started the training case ${id}`);
      return send(ws, { kind: 'result', id: c.id, status: 200, body: { started: id } });
    }
    if (c.op === 'message') {
      const text = typeof args.text === 'string' ? args.text.trim() : '';
      if (text.length === 0 || text.length > MAX_MESSAGE_CHARS)
        return send(ws, {
          kind: 'error',
          id: c.id,
          error: `a message needs {"text"} of 1..${MAX_MESSAGE_CHARS} characters`,
        });
      if (!o.deliverMessage) {
        log(
          'instructor',
          `message to the trainee not delivered (no bedside on this host): "${text}"`,
          'error',
        );
        return send(ws, {
          kind: 'result',
          id: c.id,
          status: 409,
          body: { error: 'no bedside or case to deliver the message to' },
        });
      }
      try {
        await o.deliverMessage(text);
      } catch (e) {
        log('instructor', `message to the trainee failed: ${(e as Error).message}`, 'error');
        return send(ws, { kind: 'result', id: c.id, status: 502, body: { error: (e as Error).message } });
      }
      log('instructor', `message to the trainee: "${text}"`);
      return send(ws, { kind: 'result', id: c.id, status: 200, body: { delivered: true } });
    }
    const b = o.bench();
    if (!b)
      return send(ws, {
        kind: 'result',
        id: c.id,
        status: 503,
        body: { error: 'no bench: this host runs no embedded pump' },
      });
    let next = lastState?.clock?.nextEventTime ?? null;
    if (c.op === 'nextEvent') {
      // The freshest answer, not the last streamed one: the pump may have moved since.
      try {
        const r = await doFetch(`${b.url}/state`, { headers: { authorization: `Bearer ${b.token}` } });
        next = ((await r.json()) as { clock: { nextEventTime: number | null } }).clock.nextEventTime;
      } catch {
        // keep the streamed one
      }
      // A training case's next timeline event counts too: whichever comes first (404: no case).
      try {
        const r = await doFetch(`${b.url}/scenario`, { headers: { authorization: `Bearer ${b.token}` } });
        if (r.ok) {
          const t = ((await r.json()) as { next?: { t?: unknown } | null }).next?.t;
          if (typeof t === 'number' && (next === null || t < next)) next = t;
        }
      } catch {
        // no case
      }
    }
    const req = benchRequest(c.op, args, next);
    if ('error' in req) return send(ws, { kind: 'error', id: c.id, error: req.error });
    let status: number;
    let answer: unknown;
    try {
      const r = await doFetch(b.url + req.path, {
        method: req.method,
        headers: {
          authorization: `Bearer ${b.token}`,
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      });
      status = r.status;
      const text = await r.text();
      try {
        answer = JSON.parse(text);
      } catch {
        answer = { error: text };
      }
    } catch (e) {
      status = 502;
      answer = { error: `the bench did not answer: ${(e as Error).message}` };
    }
    if (status === 200 && answer && typeof answer === 'object') {
      const a = answer as { clock?: unknown; pumpTime?: number };
      if ('clock' in a && c.op !== 'history') lastState = answer as typeof lastState;
      else if (typeof a.pumpTime === 'number') lastState = { ...lastState, clock: answer as never };
    }
    if (req.words !== null) {
      const why = status === 200 ? '' : `: refused (${status}) ${(answer as { error?: string }).error ?? ''}`;
      log('instructor', req.words + why, status === 200 ? 'ok' : 'error');
    }
    send(ws, { kind: 'result', id: c.id, status, body: answer });
  };

  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', () => ws.terminate());
    send(ws, {
      kind: 'hello',
      benchAvailable: o.bench() !== null,
      activity: activity.slice(),
      stream: [
        lastState ? { type: 'state', state: lastState } : null,
        lastPatient ? { type: 'patient', patient: lastPatient } : null,
      ].filter((m) => m !== null),
    });
    connectUpstream();
    if (o.sessionRecord && recordTimer === null) {
      recordTimer = setInterval(() => void pollRecord(), o.recordPollMs ?? 500);
      void pollRecord();
    }
    ws.on('close', () => {
      if (wss.clients.size > 0) return;
      if (recordTimer) clearInterval(recordTimer);
      recordTimer = null;
    });
    ws.on('message', (data, isBinary) => {
      let raw: unknown;
      try {
        raw = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        raw = undefined;
      }
      if (raw === undefined) return send(ws, { kind: 'error', id: null, error: 'not a JSON text message' });
      const parsed = instructorCallSchema.safeParse(raw);
      if (!parsed.success) {
        const rawId = (raw as { id?: unknown } | null)?.id;
        return send(ws, {
          kind: 'error',
          id: typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 ? rawId : null,
          error: 'not a valid call: {"kind":"call","id":N,"op":...,"args"?:{...}}',
          details: parsed.error.issues,
        });
      }
      void call(ws, parsed.data);
    });
  });

  const plain = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(text);
  };

  return {
    token,
    handleRequest(req, res, allowedHosts) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/instructor' && !url.pathname.startsWith(INSTRUCTOR_PATH)) return false;
      if (!allowedHosts.has(req.headers.host ?? '')) return (plain(res, 421, 'Misdirected request\n'), true);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return (plain(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' }), true);
      const byToken = tokenMatches(token, url.searchParams.get('token'));
      const byCookie =
        url.pathname !== API_PATH && tokenMatches(assets, cookieValue(req.headers.cookie, COOKIE));
      if (!byToken && !byCookie)
        return (
          plain(
            res,
            401,
            'Unauthorized: open the instructor URL printed by the host (it carries the instructor token).\n',
          ),
          true
        );
      if (url.pathname === '/instructor')
        return (plain(res, 308, '', { Location: `${INSTRUCTOR_PATH}${url.search}` }), true);
      if (url.pathname === API_PATH) return (plain(res, 426, 'Upgrade to WebSocket required\n'), true);
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.slice(INSTRUCTOR_PATH.length));
      } catch {
        return (plain(res, 400, 'Bad path\n'), true);
      }
      if (rel === '') rel = 'index.html';
      const file = normalize(join(webRoot, rel));
      if (!file.startsWith(webRoot + sep)) return (plain(res, 403, 'Forbidden\n'), true);
      if (!existsSync(file) || !statSync(file).isFile()) return (plain(res, 404, 'Not found\n'), true);
      const extra: Record<string, string> = {};
      // Assets load without ?token: this cookie (a key derived from the token) opens the console's static
      // files only, never its socket.
      if (byToken)
        extra['Set-Cookie'] = `${COOKIE}=${assets}; HttpOnly; SameSite=Strict; Path=${INSTRUCTOR_PATH}`;
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? '' : readFileSync(file));
      return true;
    },
    handleUpgrade(req, socket, head, allowedHosts, allowedOrigins) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== API_PATH) return false;
      const refuse = (status: string) => {
        socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        socket.destroy();
      };
      if (!allowedHosts.has(req.headers.host ?? '')) return (refuse('421 Misdirected Request'), true);
      const origin = req.headers.origin;
      if (origin === undefined || !allowedOrigins.has(origin)) return (refuse('403 Forbidden'), true);
      if (!tokenMatches(token, url.searchParams.get('token'))) return (refuse('401 Unauthorized'), true);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
    activity: () => activity.slice(),
    async close() {
      closed = true;
      if (recordTimer) clearInterval(recordTimer);
      if (upstreamRetry) clearTimeout(upstreamRetry);
      upstream?.terminate();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
