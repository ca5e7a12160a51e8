import { describe, expect, it } from 'vitest';
import { OPERATION_LIST, createWsBridge, hostSocketUrl, type SocketLike } from '../../src/renderer/api';
import type { ProgrammerEvent, WsClientMessage } from '../../src/shared/contract';
import { OPERATIONS } from '../../src/shared/contract';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: WsClientMessage[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as WsClientMessage);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
}

class FakeTimers {
  private id = 1;
  pending = new Map<number, { fn: () => void; ms: number }>();
  set = (fn: () => void, ms: number) => {
    const id = this.id++;
    this.pending.set(id, { fn, ms });
    return id;
  };
  clear = (h: unknown) => void this.pending.delete(h as number);
  fire(predicate: (ms: number) => boolean) {
    for (const [id, t] of [...this.pending]) {
      if (predicate(t.ms)) {
        this.pending.delete(id);
        t.fn();
      }
    }
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const bridge = createWsBridge({
    url: 'ws://127.0.0.1:1/api?token=t',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    timers,
    callTimeoutMs: 5000,
    openTimeoutMs: 4000,
    reconnectDelayMs: () => 100,
    now: () => 777,
  });
  return { bridge, sockets, timers, socket: () => sockets.at(-1)! };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('WebSocket bridge', () => {
  it('covers every operation of the contract', () => {
    expect([...OPERATION_LIST].sort()).toEqual([...OPERATIONS].sort());
  });

  it('queues calls until the first open, then matches answers to calls by id', async () => {
    const { bridge, socket } = setup();
    const a = bridge.interrogate({});
    const b = bridge.readLog({ offset: 0, count: 10 });
    expect(socket().sent).toEqual([]);
    socket().open();
    expect(socket().sent.map((m) => [m.op, m.request])).toEqual([
      ['interrogate', {}],
      ['readLog', { offset: 0, count: 10 }],
    ]);
    const [first, second] = socket().sent;
    // Answers out of order still reach the right caller.
    socket().receive({
      kind: 'result',
      id: second!.id,
      result: { ok: true, value: { entries: [], total: 0 } },
    });
    socket().receive({ kind: 'error', id: first!.id, error: { code: 'BAD_REQUEST', message: 'no' } });
    expect(await b).toEqual({ ok: true, value: { entries: [], total: 0 } });
    expect(await a).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'no' } });
  });

  it('turns pending calls into errors when the socket closes, and fails new calls fast until it reconnects', async () => {
    const { bridge, socket, sockets, timers } = setup();
    socket().open();
    const pending = bridge.stopPump({});
    socket().drop();
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('LINK_LOST');
    expect(bridge.current()).toEqual({ state: 'reconnecting', attempts: 1, closedAt: 777 });

    const during = await bridge.resumePump({});
    expect(during.ok).toBe(false);
    if (!during.ok) expect(during.error.code).toBe('NOT_CONNECTED');
    expect(sockets).toHaveLength(1);

    timers.fire((ms) => ms === 100);
    expect(sockets).toHaveLength(2);
    socket().open();
    expect(bridge.current().state).toBe('open');
    const after = bridge.connectionState({});
    expect(socket().sent).toHaveLength(1);
    socket().receive({ kind: 'result', id: socket().sent[0]!.id, result: { ok: true, value: 'x' } });
    expect((await after).ok).toBe(true);
  });

  it('resolves a call with no answer to an error after the timeout, and ignores a late answer', async () => {
    const { bridge, socket, timers } = setup();
    socket().open();
    const call = bridge.verify({});
    timers.fire((ms) => ms === 5000);
    const r = await call;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('verify');
    socket().receive({ kind: 'result', id: socket().sent[0]!.id, result: { ok: true, value: 1 } });
    await flush();
  });

  it('abandons a socket stuck in CONNECTING and retries', () => {
    const { sockets, timers, bridge } = setup();
    timers.fire((ms) => ms === 4000);
    expect(sockets[0]!.closed).toBe(true);
    expect(bridge.current()).toMatchObject({ state: 'connecting', attempts: 1 });
    timers.fire((ms) => ms === 100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(bridge.current().state).toBe('open');
  });

  it('delivers events to subscribers until they unsubscribe, and ignores garbage', () => {
    const { bridge, socket } = setup();
    socket().open();
    const seen: ProgrammerEvent[] = [];
    const off = bridge.onEvent((e) => seen.push(e));
    const event: ProgrammerEvent = {
      type: 'frame',
      frame: { direction: 'rx', at: 1, bytes: '00', summary: 'ACK', ok: true },
    };
    socket().receive('not json');
    socket().receive({ kind: 'event', event });
    off();
    socket().receive({ kind: 'event', event });
    expect(seen).toEqual([event]);
  });

  it('notifies transport listeners and stops for good on dispose', async () => {
    const { bridge, socket, sockets, timers } = setup();
    const states: string[] = [];
    bridge.subscribe((s) => states.push(s.state));
    socket().open();
    const pending = bridge.interrogate({});
    bridge.dispose();
    expect((await pending).ok).toBe(false);
    expect(socket().closed).toBe(true);
    timers.fire(() => true);
    expect(sockets).toHaveLength(1);
    expect(states).toEqual(['open', 'closed']);
    expect((await bridge.interrogate({})).ok).toBe(false);
  });
});

describe('hostSocketUrl', () => {
  it("uses the page's host and token", () => {
    expect(hostSocketUrl({ protocol: 'http:', host: '127.0.0.1:5173', search: '?token=a%2Bb' })).toBe(
      'ws://127.0.0.1:5173/api?token=a%2Bb',
    );
    expect(hostSocketUrl({ protocol: 'http:', host: 'localhost:1', search: '' })).toBe(
      'ws://localhost:1/api?token=',
    );
  });
});
