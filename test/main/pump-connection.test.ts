/**
 * The connection on its own (pump-connection.ts): a stand-in port and protocol link, and vitest's fake
 * timers for the keepalive and reconnect delays (time is moved by the test, never slept). The service's
 * tests run it over a real pty with a real sim that is killed and comes back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyLinkStats, type SessionRecordEntry } from '../../src/shared/contract';
import { PumpConnection, type ConnectionHooks } from '../../src/main/service/pump-connection';
import type { AlarmNotice, PumpLink } from '../../src/main/service/pump-link';
import type { Transport } from '../../src/main/service/serial-transport';
import { refusal } from './helpers';

const timeout = () => Object.assign(new Error('no answer'), { name: 'LinkTimeoutError' });

interface StandIn {
  link: PumpLink;
  /** What the next keepalive, session opening and interrogation do. */
  answer: { keepalive: 'ok' | 'timeout'; open: 'ok' | 'timeout'; interrogate: 'ok' | 'timeout' };
  alarm?: (a: AlarmNotice) => void;
  disposed: boolean;
}

describe('the pump connection', () => {
  const links: StandIn[] = [];
  const notes: { request: unknown; result: SessionRecordEntry['result'] }[] = [];
  const order: string[] = [];
  let closedCb: ((reason: string) => void) | null = null;
  let answers: StandIn['answer'];

  function newLink(): PumpLink {
    const s: StandIn = { answer: answers, disposed: false, link: null as never };
    s.link = {
      openSession: async () => {
        if (s.answer.open === 'timeout') throw timeout();
        return { serial: 'V7', protocolVersion: 3 };
      },
      closeSession: async () => undefined,
      keepalive: async () => {
        if (s.answer.keepalive === 'timeout') throw timeout();
      },
      interrogate: async () => {
        if (s.answer.interrogate === 'timeout') throw timeout();
        return { mode: 'infusing' } as never;
      },
      onAlarm: (cb) => void (s.alarm = cb),
      onFrame: () => undefined,
      stats: () => ({ ...emptyLinkStats(), framesSent: 10, retries: 1 }),
      dispose: () => void (s.disposed = true),
    } as Partial<PumpLink> as PumpLink;
    links.push(s);
    return s.link;
  }

  const hooks: ConnectionHooks = {
    changed: () => undefined,
    frame: () => undefined,
    alarm: (a) => order.push(`alarm ${a.code}`),
    note: (request, result) => void notes.push({ request, result }),
    sessionReplaced: () => void order.push('sessionReplaced'),
    reconnected: async () => void order.push('reconnected'),
  };

  function connection() {
    const transport = (): Promise<Transport> =>
      Promise.resolve({
        path: '/dev/ttyFAKE',
        write: () => undefined,
        onData: () => undefined,
        close: async () => undefined,
        onClosed: (cb) => void (closedCb = cb),
      });
    return new PumpConnection(
      {
        linkFactory: () => newLink(),
        openTransport: transport,
        keepaliveMs: 1000,
        reconnectDelayMs: 500,
      },
      hooks,
    );
  }

  async function connected() {
    const c = connection();
    expect(await c.open({ target: { kind: 'embedded' }, timeZone: 'UTC' }, '/dev/ttyFAKE')).toBe(true);
    expect(c.state).toBe('connecting');
    c.opened();
    expect(c.state).toBe('connected');
    return c;
  }

  beforeEach(() => {
    vi.useFakeTimers();
    links.length = 0;
    notes.length = 0;
    order.length = 0;
    answers = { keepalive: 'ok', open: 'ok', interrogate: 'ok' };
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a second connection elsewhere, and treats the same port again as already connected', async () => {
    const c = await connected();
    expect(c.info()).toMatchObject({
      state: 'connected',
      pumpSerial: 'V7',
      protocolVersion: 3,
      embedded: true,
    });
    expect(await c.open({ target: { kind: 'embedded' } }, '/dev/ttyFAKE')).toBe(false);
    expect(await refusal(c.open({ target: { kind: 'embedded' } }, '/dev/ttyOTHER'))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await refusal(connection().open({ target: { kind: 'embedded' } }, null))).toMatchObject({
      code: 'PORT_ERROR',
    });
    await c.teardown(true);
  });

  it('a pump that does not answer the session: back to disconnected, nothing kept', async () => {
    answers.open = 'timeout';
    const c = connection();
    expect(await refusal(c.open({ target: { kind: 'embedded' } }, '/dev/ttyFAKE'))).toMatchObject({
      code: 'LINK_LOST',
    });
    expect(c.info()).toMatchObject({ state: 'disconnected', portPath: null, pumpSerial: null });
    expect(links[0]!.disposed).toBe(true);
  });

  it('a silent keepalive loses the link; the reconnect voids the old session before it reports connected', async () => {
    const c = await connected();
    await vi.advanceTimersByTimeAsync(1000);
    expect(notes).toEqual([]); // the keepalive answered
    answers = { ...answers, keepalive: 'timeout' };
    links[0]!.answer = answers;
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.state).toBe('lost');
    expect(notes).toEqual([{ request: { link: 'lost' }, result: 'error' }]);
    expect(await refusal(c.withLink((l) => l.interrogate()))).toMatchObject({ code: 'LINK_LOST' });
    // The first attempt finds no pump; the next one does.
    answers = { keepalive: 'ok', open: 'timeout', interrogate: 'ok' };
    await vi.advanceTimersByTimeAsync(500);
    expect(c.state).toBe('retrying');
    expect(notes.at(-1)).toEqual({ request: { link: 'reconnect' }, result: 'error' });
    answers = { keepalive: 'ok', open: 'ok', interrogate: 'ok' };
    await vi.advanceTimersByTimeAsync(500);
    expect(c.state).toBe('connected');
    expect(order).toEqual(['sessionReplaced', 'reconnected']);
    expect(notes.at(-1)).toEqual({ request: { link: 'reconnected' }, result: 'ok' });
    // The statistics go on across the links the reconnects replaced (three links, ten frames each).
    expect(c.info().stats).toMatchObject({ framesSent: 30, retries: 3 });
    // An alarm on a retired link is not this session's any more.
    links[0]!.alarm!({ code: 'LOW_RESERVOIR', raised: true, time: 0 });
    links[2]!.alarm!({ code: 'ERI', raised: true, time: 0 });
    expect(order.slice(2)).toEqual(['alarm ERI']);
    await c.teardown(true);
  });

  it('a command that times out loses the link; a vanished port too; ending stops the retries', async () => {
    const c = await connected();
    answers.interrogate = 'timeout';
    expect(await refusal(c.withLink((l) => l.interrogate()))).toMatchObject({
      code: 'LINK_LOST',
      message: /Reconnecting/,
    });
    expect(c.state).toBe('lost');
    await c.teardown(false);
    c.end();
    expect(c.state).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(5000);
    expect(links).toHaveLength(1); // no reconnect after the end
    expect(await refusal(c.withLink((l) => l.interrogate()))).toMatchObject({ code: 'NOT_CONNECTED' });

    answers.interrogate = 'ok';
    const d = await connected();
    closedCb!('the device was unplugged');
    expect(d.state).toBe('lost');
    d.shutDown(); // the service is going: no reconnect
    await vi.advanceTimersByTimeAsync(5000);
    expect(links).toHaveLength(2);
    await d.teardown(false);
  });
});
