/**
 * The instructor console's calls (instructor-calls.ts) on their own, over a stand-in bench: the host's own
 * hooks (cases, loading a case, a message to the trainee) with their checks, the next event as the earlier
 * of the pump's and the case's, and a bench that does not answer. The relay's tests run them over a real sim.
 */
import { describe, expect, it } from 'vitest';
import { runCall, type CallContext, type StreamedState } from '../../src/main/instructor-calls';
import { cookieValue, tokenMatches } from '../../src/main/http-guard';

function context(over: Partial<CallContext['o']> = {}, bench: Record<string, unknown> = {}) {
  const logged: string[] = [];
  const requests: { method: string; path: string; body?: unknown }[] = [];
  let state: StreamedState | null = { clock: { pumpTime: 100, nextEventTime: 5000 } };
  const doFetch = (async (url: string, init?: { method?: string; body?: string }) => {
    const path = url.replace('http://bench', '');
    requests.push({
      method: init?.method ?? 'GET',
      path,
      ...(init?.body ? { body: JSON.parse(init.body) } : {}),
    });
    if (path in bench) {
      const v = bench[path];
      if (v instanceof Error) throw v;
      return new Response(JSON.stringify(v), { status: v === null ? 404 : 200 });
    }
    return new Response(JSON.stringify({ error: 'no such endpoint' }), { status: 404 });
  }) as typeof fetch;
  const ctx: CallContext = {
    o: { bench: () => ({ url: 'http://bench', token: 't' }), ...over },
    doFetch,
    log: (who, text, result = 'ok') => logged.push(`${who} ${result}: ${text}`),
    lastState: () => state,
    setLastState: (s) => (state = s),
  };
  return { ctx, logged, requests, state: () => state };
}

describe('instructor calls', () => {
  it('refuses a message without text or beyond 500 characters, and says when there is nowhere to deliver it', async () => {
    const delivered: string[] = [];
    const { ctx, logged } = context({ deliverMessage: async (t) => void delivered.push(t) });
    for (const text of ['   ', 'x'.repeat(501), 7]) {
      expect(await runCall({ kind: 'call', id: 1, op: 'message', args: { text } }, ctx)).toMatchObject({
        kind: 'error',
        id: 1,
      });
    }
    expect(delivered).toEqual([]);
    expect(
      await runCall({ kind: 'call', id: 2, op: 'message', args: { text: ' Check the catheter ' } }, ctx),
    ).toEqual({
      kind: 'result',
      id: 2,
      status: 200,
      body: { delivered: true },
    });
    expect(delivered).toEqual(['Check the catheter']);
    expect(logged).toEqual(['instructor ok: message to the trainee: "Check the catheter"']);

    const none = context();
    expect(
      await runCall({ kind: 'call', id: 3, op: 'message', args: { text: 'hello' } }, none.ctx),
    ).toMatchObject({
      status: 409,
    });
    expect(none.logged[0]).toMatch(/^instructor error: message to the trainee not delivered/);
  });

  it('loads only a case id of the right shape, and logs a refusal in words', async () => {
    const started: string[] = [];
    const { ctx, logged } = context({
      cases: async () => [{ id: 'occlusion', title: 'Occlusion' }],
      startCase: async (id) => {
        if (id !== 'occlusion') throw new Error('There is no training case "x" in the library.');
        started.push(id);
      },
    });
    expect(
      await runCall({ kind: 'call', id: 1, op: 'startCase', args: { id: '../etc' } }, ctx),
    ).toMatchObject({
      kind: 'error',
    });
    expect(await runCall({ kind: 'call', id: 2, op: 'startCase', args: { id: 'nope' } }, ctx)).toMatchObject({
      status: 409,
    });
    expect(
      await runCall({ kind: 'call', id: 3, op: 'startCase', args: { id: 'occlusion' } }, ctx),
    ).toMatchObject({
      status: 200,
      body: { started: 'occlusion' },
    });
    expect(started).toEqual(['occlusion']);
    expect(logged).toEqual([
      'instructor error: loading the case nope refused: There is no training case "x" in the library.',
      'instructor ok: loaded and started the training case occlusion',
    ]);
    expect(await runCall({ kind: 'call', id: 4, op: 'cases' }, context().ctx)).toMatchObject({ status: 409 });
  });

  it("'next event' advances to the earlier of the pump's next event and the case's next timeline event", async () => {
    const caseFirst = context(
      {},
      { '/state': { clock: { nextEventTime: 9000 } }, '/scenario': { next: { t: 7000 } } },
    );
    await runCall({ kind: 'call', id: 1, op: 'nextEvent' }, caseFirst.ctx);
    expect(caseFirst.requests.at(-1)).toEqual({ method: 'POST', path: '/clock/advance', body: { to: 7000 } });
    // No case loaded (404): the pump's own.
    const pumpOnly = context({}, { '/state': { clock: { nextEventTime: 9000 } }, '/scenario': null });
    await runCall({ kind: 'call', id: 1, op: 'nextEvent' }, pumpOnly.ctx);
    expect(pumpOnly.requests.at(-1)).toEqual({ method: 'POST', path: '/clock/advance', body: { to: 9000 } });
    // Nothing scheduled anywhere: refused, nothing sent.
    const nothing = context({}, { '/state': { clock: { nextEventTime: null } }, '/scenario': null });
    expect(await runCall({ kind: 'call', id: 1, op: 'nextEvent' }, nothing.ctx)).toMatchObject({
      kind: 'error',
    });
    expect(nothing.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('a bench that does not answer is a 502 in words, logged as refused', async () => {
    const { ctx, logged } = context({}, { '/clock': new Error('ECONNREFUSED') });
    expect(await runCall({ kind: 'call', id: 1, op: 'pause' }, ctx)).toMatchObject({
      status: 502,
      body: { error: 'the bench did not answer: ECONNREFUSED' },
    });
    expect(logged[0]).toMatch(/^instructor error: paused time .*refused \(502\)/);
    const noBench = context({ bench: () => null });
    expect(await runCall({ kind: 'call', id: 2, op: 'state' }, noBench.ctx)).toMatchObject({ status: 503 });
  });

  it('keeps the freshest clock from an answer for the next pump-time stamp', async () => {
    const c = context({}, { '/clock': { pumpTime: 4242, running: false } });
    await runCall({ kind: 'call', id: 1, op: 'pause' }, c.ctx);
    expect(c.state()?.clock?.pumpTime).toBe(4242);
  });
});

describe('the doors’ checks', () => {
  it('compares tokens whole and reads a cookie by its exact name', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
    expect(cookieValue('x_itb=1; itb=a=b; other=2', 'itb')).toBe('a=b');
    expect(cookieValue('itb=', 'itb')).toBeNull();
    expect(cookieValue(undefined, 'itb')).toBeNull();
  });
});
