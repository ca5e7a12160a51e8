/**
 * The link supervisor (src/main/service/link-supervisor.ts), model-based: random sequences of what can
 * happen to a connection, run against the machine and against a model written from the rules in words
 * (issue 14 point 3, docs/architecture.md), one rule per event rather than one table per state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLinkSupervisor,
  type LinkEvent,
  type LinkSupervisor,
} from '../../src/main/service/link-supervisor';
import type { LinkState } from '../../src/shared/contract';

/** The rules: what each event does, from any state. */
function expected(state: LinkState, event: LinkEvent['type']): LinkState {
  switch (event) {
    case 'END': // ending a session, or shutting down, always leaves it disconnected
      return 'disconnected';
    case 'CONNECT': // a connect is only started from disconnected (the service refuses it otherwise)
      return state === 'disconnected' ? 'connecting' : state;
    case 'OPENED': // a first connect or a background reconnect succeeded
      return state === 'connecting' || state === 'retrying' ? 'connected' : state;
    case 'OPEN_FAILED': // a first connect failed; a failed reconnect attempt changes nothing
      return state === 'connecting' ? 'disconnected' : state;
    case 'LOST': // a timeout or a vanished port only matters while there is a link
      return state === 'connected' || state === 'connecting' ? 'lost' : state;
    case 'RETRY': // reconnect attempts run only after a loss, until one succeeds or the session ends
      return state === 'lost' || state === 'retrying' ? 'retrying' : state;
  }
}

interface Model {
  state: LinkState;
  changes: LinkState[];
}
interface Real {
  supervisor: LinkSupervisor;
  changes: LinkState[];
}

/** The changes the runs went through, for the coverage check. */
const exercised = new Set<string>();

class Send implements fc.Command<Model, Real> {
  constructor(readonly event: LinkEvent['type']) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const next = expected(m.state, this.event);
    if (next !== m.state) {
      m.changes.push(next);
      exercised.add(`${m.state}->${next}`);
    }
    m.state = next;
    r.supervisor.send({ type: this.event } as LinkEvent);
    expect(r.supervisor.state).toBe(m.state);
    // Listeners hear of every change, once, and of nothing else.
    expect(r.changes).toEqual(m.changes);
  }
  toString(): string {
    return this.event;
  }
}

const EVENTS: LinkEvent['type'][] = ['CONNECT', 'OPENED', 'OPEN_FAILED', 'LOST', 'RETRY', 'END'];

describe('link supervisor (model-based)', () => {
  it('follows the rules for any sequence of events, and reports each change once', () => {
    fc.assert(
      fc.property(
        fc.commands(
          EVENTS.map((e) => fc.constant(new Send(e))),
          { maxCommands: 60 },
        ),
        (cmds) => {
          const changes: LinkState[] = [];
          const real: Real = { supervisor: createLinkSupervisor((s) => changes.push(s)), changes };
          fc.modelRun(() => ({ model: { state: 'disconnected' as LinkState, changes: [] }, real }), cmds);
          real.supervisor.stop();
        },
      ),
      { numRuns: 500 },
    );
    // Random runs may miss a long path: one walk through every change the rules allow, checked the same way.
    const walk = [
      'CONNECT',
      'OPEN_FAILED',
      'END',
      'CONNECT',
      'END',
      'CONNECT',
      'OPENED',
      'END',
      'CONNECT',
      'OPENED',
      'LOST',
      'END',
      'CONNECT',
      'OPENED',
      'LOST',
      'RETRY',
      'OPENED',
      'LOST',
      'RETRY',
      'END',
    ];
    const changes: LinkState[] = [];
    const real: Real = { supervisor: createLinkSupervisor((x) => changes.push(x)), changes };
    fc.modelRun(
      () => ({ model: { state: 'disconnected' as LinkState, changes: [] }, real }),
      walk.map((e) => new Send(e as LinkEvent['type'])),
    );
    real.supervisor.stop();
    // Every change the rules allow was exercised.
    expect([...exercised].sort()).toEqual(
      [
        'connected->disconnected',
        'connected->lost',
        'connecting->connected',
        'connecting->disconnected',
        'connecting->lost',
        'disconnected->connecting',
        'lost->disconnected',
        'lost->retrying',
        'retrying->connected',
        'retrying->disconnected',
      ].sort(),
    );
  });

  it('starts disconnected and goes through a loss and a reconnect', () => {
    const changes: LinkState[] = [];
    const s = createLinkSupervisor((x) => changes.push(x));
    expect(s.state).toBe('disconnected');
    for (const type of [
      'CONNECT',
      'OPENED',
      'LOST',
      'RETRY',
      'OPEN_FAILED',
      'RETRY',
      'OPENED',
      'END',
    ] as const)
      s.send({ type });
    expect(changes).toEqual(['connecting', 'connected', 'lost', 'retrying', 'connected', 'disconnected']);
    s.stop();
  });
});
