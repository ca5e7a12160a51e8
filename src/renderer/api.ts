/**
 * The one way the screens reach the pump: the `ProgrammerBridge` of src/shared/contract.ts.
 * In Electron the preload exposes it as `window.programmer`; in a browser (npm run web) it is a WebSocket
 * client to the host. Either way every call resolves to a `Result`: a closed socket, a timeout or a
 * garbled answer becomes `{ ok: false, error }`, never a thrown exception, so a screen cannot be left
 * half-updated by an unexpected rejection.
 *
 * Only type imports from the contract: importing its zod schemas would pull zod into the page, and zod's
 * JIT probes `new Function`, which the page's CSP (script-src 'self') refuses.
 */
import type {
  OperationError,
  ProgrammerBridge,
  ProgrammerEvent,
  Result,
  WsClientMessage,
  WsServerMessage,
} from '../shared/contract';
import { OPERATION_NAMES, type OperationName } from '../shared/operations';

/** State of the channel to the programmer host (not the serial link to the pump: that is `LinkState`). */
export type TransportStateName = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface TransportState {
  state: TransportStateName;
  /** Reconnection attempts since the last successful open. */
  attempts: number;
  /** Host time (ms) when the socket last closed, for marking values stale. */
  closedAt: number | null;
}

export interface Transport {
  current(): TransportState;
  subscribe(listener: (state: TransportState) => void): () => void;
}

export const OPERATION_LIST: readonly OperationName[] = OPERATION_NAMES;

/** The subset of the DOM WebSocket the client uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsBridgeOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** A call without an answer after this long resolves to an error (the host retries the serial link itself). */
  callTimeoutMs?: number;
  /** A socket not open after this long is abandoned and retried. */
  openTimeoutMs?: number;
  /** Delay before reconnection attempt n (1-based). */
  reconnectDelayMs?: (attempt: number) => number;
  timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
  now?: () => number;
}

export interface WsBridge extends ProgrammerBridge, Transport {
  /** Close for good (no reconnection); pending calls resolve to errors. */
  dispose(): void;
}

const OPEN = 1;

function failure(code: OperationError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

interface Pending {
  resolve(result: Result<unknown>): void;
  timer: unknown;
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const openTimeoutMs = options.openTimeoutMs ?? 5_000;
  const reconnectDelay = options.reconnectDelayMs ?? ((n: number) => Math.min(10_000, 250 * 2 ** (n - 1)));
  const timers = options.timers ?? {
    set: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clear: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const now = options.now ?? (() => Date.now());

  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(event: ProgrammerEvent) => void>();
  const transportListeners = new Set<(state: TransportState) => void>();
  /** Calls made before the first open wait for it; after a drop they fail at once (never sent late). */
  const waitingForFirstOpen: (() => void)[] = [];
  let everOpened = false;
  let disposed = false;
  let nextId = 1;
  let socket: SocketLike | null = null;
  let reconnectTimer: unknown = null;
  let transport: TransportState = { state: 'connecting', attempts: 0, closedAt: null };

  function setTransport(next: TransportState): void {
    transport = next;
    for (const l of transportListeners) l(transport);
  }

  function settle(id: number, result: Result<unknown>): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    timers.clear(p.timer);
    p.resolve(result);
  }

  function failAllPending(message: string): void {
    for (const id of [...pending.keys()]) settle(id, failure('LINK_LOST', message));
  }

  function handleMessage(data: unknown): void {
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(String(data)) as WsServerMessage;
    } catch {
      return; // Not JSON: nothing we can attribute to a call; the call's timeout still answers it.
    }
    if (msg.kind === 'result' && typeof msg.id === 'number') settle(msg.id, msg.result);
    else if (msg.kind === 'error' && typeof msg.id === 'number')
      settle(msg.id, { ok: false, error: msg.error });
    else if (msg.kind === 'event' && msg.event) {
      for (const l of eventListeners) {
        try {
          l(msg.event);
        } catch (err) {
          console.error('programmer event listener failed', err);
        }
      }
    }
  }

  function open(): void {
    if (disposed) return;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      everOpened = true;
      setTransport({ state: 'open', attempts: 0, closedAt: null });
      for (const go of waitingForFirstOpen.splice(0)) go();
    };
    s.onmessage = (ev) => handleMessage(ev.data);
    s.onerror = () => {
      /* onclose follows and does the work */
    };
    s.onclose = () => closed(s);
    // A socket stuck in CONNECTING (an upgrade that never answers) would never retry by itself.
    const openTimer = timers.set(() => {
      if (socket !== s || s.readyState === OPEN) return;
      s.onclose = null;
      try {
        s.close();
      } catch {
        /* already closing */
      }
      closed(s);
    }, openTimeoutMs);
    const clearOpenTimer = () => timers.clear(openTimer);
    const onopen = s.onopen;
    s.onopen = (ev) => {
      clearOpenTimer();
      onopen?.(ev);
    };
  }

  function closed(s: SocketLike): void {
    if (socket !== s) return;
    socket = null;
    failAllPending(
      'The connection to the programmer host closed before the answer arrived: the command may or may not ' +
        'have reached the pump. Interrogate again to check.',
    );
    if (disposed) return;
    setTransport({
      state: everOpened ? 'reconnecting' : 'connecting',
      attempts: transport.attempts,
      closedAt: everOpened ? (transport.closedAt ?? now()) : null,
    });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (disposed || reconnectTimer !== null) return;
    const attempts = transport.attempts + 1;
    setTransport({ ...transport, state: everOpened ? 'reconnecting' : 'connecting', attempts });
    reconnectTimer = timers.set(() => {
      reconnectTimer = null;
      open();
    }, reconnectDelay(attempts));
  }

  function send(id: number, op: OperationName, request: unknown): void {
    const message: WsClientMessage = { kind: 'call', id, op, request };
    try {
      socket?.send(JSON.stringify(message));
    } catch (err) {
      settle(id, failure('INTERNAL', `Could not send ${op}: ${String(err)}`));
    }
  }

  function call(op: OperationName, request: unknown): Promise<Result<unknown>> {
    if (disposed) return Promise.resolve(failure('NOT_CONNECTED', 'The programmer connection was closed.'));
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = timers.set(
        () =>
          settle(
            id,
            failure(
              'LINK_LOST',
              `No answer to ${op} from the programmer host within ${callTimeoutMs / 1000} s.`,
            ),
          ),
        callTimeoutMs,
      );
      pending.set(id, { resolve, timer });
      if (socket && socket.readyState === OPEN) send(id, op, request);
      else if (!everOpened) waitingForFirstOpen.push(() => pending.has(id) && send(id, op, request));
      else
        settle(
          id,
          failure('NOT_CONNECTED', 'The programmer host is not reachable (reconnecting): nothing was sent.'),
        );
    });
  }

  const api = Object.fromEntries(
    OPERATION_LIST.map((op) => [op, (request: unknown) => call(op, request ?? {})]),
  ) as unknown as ProgrammerBridge;

  open();

  return {
    ...api,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    current: () => transport,
    subscribe(listener) {
      transportListeners.add(listener);
      return () => transportListeners.delete(listener);
    },
    dispose() {
      disposed = true;
      if (reconnectTimer !== null) timers.clear(reconnectTimer);
      failAllPending('The programmer connection was closed.');
      socket?.close(1000, 'disposed');
      socket = null;
      setTransport({ state: 'closed', attempts: 0, closedAt: now() });
    },
  };
}

/** The socket URL for the page's own host: ws://<host>/api?token=<the page's ?token=>. */
export function hostSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

declare global {
  interface Window {
    /** The Electron preload's bridge (src/preload), when running inside Electron. */
    programmer?: ProgrammerBridge;
  }
}

/** Electron's IPC has no socket to lose: its transport is always open. */
const ALWAYS_OPEN: Transport = {
  current: () => ({ state: 'open', attempts: 0, closedAt: null }),
  subscribe: () => () => undefined,
};

let singleton: { bridge: ProgrammerBridge; transport: Transport } | null = null;

function resolveBridge(): { bridge: ProgrammerBridge; transport: Transport } {
  if (singleton) return singleton;
  if (typeof window !== 'undefined' && window.programmer) {
    singleton = { bridge: window.programmer, transport: ALWAYS_OPEN };
  } else {
    const ws = createWsBridge({ url: hostSocketUrl(window.location) });
    singleton = { bridge: ws, transport: ws };
  }
  return singleton;
}

export function getBridge(): ProgrammerBridge {
  return resolveBridge().bridge;
}

export function getTransport(): Transport {
  return resolveBridge().transport;
}
