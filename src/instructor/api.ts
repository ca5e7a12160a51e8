/**
 * The console's socket to the host (`/instructor/api?token=...`, the instructor's token from the page URL):
 * calls with ids and their answers, and everything the host pushes (the bench stream, the activity feed).
 */
import type { InstructorOp, InstructorServerMessage } from './types';

export interface CallAnswer {
  status: number;
  body: unknown;
}

export interface InstructorClient {
  call(op: InstructorOp, args?: Record<string, unknown>): Promise<CallAnswer>;
  onMessage(listener: (m: InstructorServerMessage) => void): () => void;
  onOpenChange(listener: (open: boolean) => void): () => void;
  close(): void;
}

export function instructorSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/instructor/api?token=${encodeURIComponent(token)}`;
}

/** A bounded wait for each answer: a call the host never answers fails instead of hanging the console. */
const CALL_TIMEOUT_MS = 60_000;
const MAX_PENDING = 100;

export function connectInstructor(url: string): InstructorClient {
  const listeners = new Set<(m: InstructorServerMessage) => void>();
  const openListeners = new Set<(open: boolean) => void>();
  const pending = new Map<
    number,
    { resolve: (a: CallAnswer) => void; timer: ReturnType<typeof setTimeout> }
  >();
  let nextId = 1;
  let ws: WebSocket | null = null;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const open = () => {
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => openListeners.forEach((l) => l(true));
    sock.onclose = () => {
      openListeners.forEach((l) => l(false));
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.resolve({ status: 0, body: { error: 'the connection to the host closed' } });
        pending.delete(id);
      }
      if (!closed) retry = setTimeout(open, 1000);
    };
    sock.onmessage = (ev) => {
      let m: InstructorServerMessage;
      try {
        m = JSON.parse(String(ev.data)) as InstructorServerMessage;
      } catch {
        return;
      }
      if ((m.kind === 'result' || m.kind === 'error') && m.id !== null) {
        const p = pending.get(m.id);
        if (p) {
          clearTimeout(p.timer);
          pending.delete(m.id);
          p.resolve(
            m.kind === 'result'
              ? { status: m.status, body: m.body }
              : { status: 400, body: { error: m.error } },
          );
        }
        return;
      }
      listeners.forEach((l) => l(m));
    };
  };
  open();

  return {
    call(op, args) {
      if (!ws || ws.readyState !== WebSocket.OPEN)
        return Promise.resolve({ status: 0, body: { error: 'not connected to the host' } });
      if (pending.size >= MAX_PENDING)
        return Promise.resolve({ status: 0, body: { error: 'too many calls waiting' } });
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ status: 0, body: { error: 'the host did not answer in time' } });
        }, CALL_TIMEOUT_MS);
        pending.set(id, { resolve, timer });
        ws!.send(JSON.stringify({ kind: 'call', id, op, ...(args ? { args } : {}) }));
      });
    },
    onMessage(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onOpenChange(l) {
      openListeners.add(l);
      l(ws?.readyState === WebSocket.OPEN); // the socket may have opened before this listener came

      return () => openListeners.delete(l);
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      ws?.close();
    },
  };
}
