/**
 * The link supervisor: the connection's state as the screens see it (disconnected, connecting, connected,
 * lost, retrying), as a small XState machine. The service does the work (ports, sessions, timers, the
 * record) and reports what happened; the machine decides what state that leads to, and ignores what
 * cannot happen in the present state (a keepalive timeout after the session ended, a reconnect attempt
 * once connected again), so those guards live in one place.
 */
import { createActor, setup } from 'xstate';
import type { LinkState } from '../../shared/contract';

export type LinkEvent =
  /** The clinician asked to connect (only from disconnected). */
  | { type: 'CONNECT' }
  /** A link and a pump session are up (a first connect, or a background reconnect). */
  | { type: 'OPENED' }
  /** Connecting failed: back to disconnected. (A failed reconnect attempt leaves the state as it is.) */
  | { type: 'OPEN_FAILED' }
  /** A command or keepalive timed out, or the port vanished. */
  | { type: 'LOST' }
  /** A background reconnect attempt starts. */
  | { type: 'RETRY' }
  /** The session ended (by the clinician, or the service shut down). */
  | { type: 'END' };

export const linkSupervisorMachine = setup({ types: { events: {} as LinkEvent } }).createMachine({
  id: 'linkSupervisor',
  initial: 'disconnected',
  states: {
    disconnected: { on: { CONNECT: 'connecting' } },
    connecting: {
      on: { OPENED: 'connected', OPEN_FAILED: 'disconnected', LOST: 'lost', END: 'disconnected' },
    },
    connected: { on: { LOST: 'lost', END: 'disconnected' } },
    // The same session record goes on across the loss: the state says values may be stale.
    lost: { on: { RETRY: 'retrying', END: 'disconnected' } },
    // Attempts repeat (on the service's timer) until one succeeds or the session is ended.
    retrying: { on: { OPENED: 'connected', END: 'disconnected' } },
  },
});

export interface LinkSupervisor {
  readonly state: LinkState;
  send(event: LinkEvent): void;
  stop(): void;
}

/** A running supervisor; `onChange` is called after each change of state (not for ignored events). */
export function createLinkSupervisor(onChange: (state: LinkState) => void): LinkSupervisor {
  const actor = createActor(linkSupervisorMachine).start();
  let state = actor.getSnapshot().value as LinkState;
  return {
    get state() {
      return state;
    },
    send(event) {
      actor.send(event);
      const next = actor.getSnapshot().value as LinkState;
      if (next === state) return;
      state = next;
      onChange(state);
    },
    stop() {
      actor.stop();
    },
  };
}
