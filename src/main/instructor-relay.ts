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
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { WebSocketServer, WebSocket } from 'ws';
import type { SessionRecordEntry } from '../shared/contract';
import { assetKey, cookieValue, refuseUpgrade, send as plain, serveFile, tokenMatches } from './http-guard';
import {
  instructorCallSchema,
  runCall,
  type ActivityEntry,
  type BenchAccess,
  type CallContext,
  type InstructorServerMessage,
  type StreamedState,
} from './instructor-calls';
import { bedsideWords, describeRecordEntry } from './instructor-words';

// The console's page knows these shapes (src/instructor/types.ts).
export type {
  ActivityEntry,
  BenchAccess,
  InstructorCall,
  InstructorOp,
  InstructorServerMessage,
} from './instructor-calls';

export const INSTRUCTOR_PATH = '/instructor/';
const API_PATH = '/instructor/api';
const COOKIE = 'itb_instructor_assets';
const ASSET_LABEL = 'itb-instructor-assets';
/** Kept for late joiners and shown in the console; older entries are dropped (bounded). */
export const MAX_ACTIVITY = 500;
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

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

export function createInstructorRelay(o: InstructorRelayOptions): InstructorRelay {
  const token = o.token ?? randomBytes(32).toString('hex');
  const assets = assetKey(token, ASSET_LABEL);
  const webRoot = resolve(o.webRoot);
  const doFetch = o.fetch ?? fetch;
  const activity: ActivityEntry[] = [];
  /** The latest state and patient the sim sent: for late joiners and for pump-time stamps. */
  let lastState: StreamedState | null = null;
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

  const callContext: CallContext = {
    o,
    doFetch,
    log: (who, text, result) => log(who, text, result),
    lastState: () => lastState,
    setLastState: (state) => (lastState = state),
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
      void runCall(parsed.data, callContext).then((m) => send(ws, m));
    });
  });

  return {
    token,
    handleRequest(req, res, allowedHosts) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/instructor' && !url.pathname.startsWith(INSTRUCTOR_PATH)) return false;
      if (!allowedHosts.has(req.headers.host ?? '')) return (plain(res, 421, 'Misdirected request\n'), true);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return (plain(res, 405, 'Method not allowed\n', undefined, { Allow: 'GET, HEAD' }), true);
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
        return (plain(res, 308, '', undefined, { Location: `${INSTRUCTOR_PATH}${url.search}` }), true);
      if (url.pathname === API_PATH) return (plain(res, 426, 'Upgrade to WebSocket required\n'), true);
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.slice(INSTRUCTOR_PATH.length));
      } catch {
        return (plain(res, 400, 'Bad path\n'), true);
      }
      if (rel === '') rel = 'index.html';
      const extra: Record<string, string> = {};
      // Assets load without ?token: this cookie (a key derived from the token) opens the console's static
      // files only, never its socket.
      if (byToken)
        extra['Set-Cookie'] = `${COOKIE}=${assets}; HttpOnly; SameSite=Strict; Path=${INSTRUCTOR_PATH}`;
      serveFile(req, res, webRoot, rel, extra);
      return true;
    },
    handleUpgrade(req, socket, head, allowedHosts, allowedOrigins) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== API_PATH) return false;
      const refuse = (status: string) => refuseUpgrade(socket, status);
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
