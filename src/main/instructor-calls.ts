/**
 * The instructor console's calls: a closed list of operations (validated before anything is sent), each
 * either a bench request (time control, faults, the link, the training case; `benchRequest`) or one of the
 * host's own hooks (the case library, loading a case, a message to the trainee). The bench validates the
 * bodies again and its clear 4xx comes back to the page as it is.
 */
import { z } from 'zod';
import { describeAdvance, describeAutoPause, describeFault, words } from './instructor-words';

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

/** The latest state the sim streamed: for late joiners, pump-time stamps and the next event. */
export type StreamedState = { clock?: { pumpTime?: number; nextEventTime?: number | null } };

/** What a call may use of the relay. */
export interface CallContext {
  o: {
    bench: () => BenchAccess | null;
    deliverMessage?: (text: string) => Promise<void>;
    cases?: () => Promise<{ id: string; title: string }[]>;
    startCase?: (id: string) => Promise<void>;
  };
  doFetch: typeof fetch;
  log: (who: ActivityEntry['who'], text: string, result?: ActivityEntry['result']) => void;
  lastState(): StreamedState | null;
  setLastState(state: StreamedState): void;
}

const MAX_MESSAGE_CHARS = 500;

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

/** Carry out one call; the answer for the page (a bench refusal comes back with its status). */
export async function runCall(c: InstructorCall, x: CallContext): Promise<InstructorServerMessage> {
  const { o, doFetch, log } = x;
  const args = c.args ?? {};
  if (c.op === 'cases' || c.op === 'startCase') {
    if (!o.cases || !o.startCase)
      return {
        kind: 'result',
        id: c.id,
        status: 409,
        body: { error: 'no case library on this host' },
      };
    if (c.op === 'cases') return { kind: 'result', id: c.id, status: 200, body: await o.cases() };
    const id = typeof args.id === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(args.id) ? args.id : null;
    if (!id) return { kind: 'error', id: c.id, error: 'startCase needs {"id": a case id}' };
    try {
      await o.startCase(id);
    } catch (e) {
      log('instructor', `loading the case ${id} refused: ${(e as Error).message}`, 'error');
      return { kind: 'result', id: c.id, status: 409, body: { error: (e as Error).message } };
    }
    log('instructor', `loaded and started the training case ${id}`);
    return { kind: 'result', id: c.id, status: 200, body: { started: id } };
  }
  if (c.op === 'message') {
    const text = typeof args.text === 'string' ? args.text.trim() : '';
    if (text.length === 0 || text.length > MAX_MESSAGE_CHARS)
      return {
        kind: 'error',
        id: c.id,
        error: `a message needs {"text"} of 1..${MAX_MESSAGE_CHARS} characters`,
      };
    if (!o.deliverMessage) {
      log('instructor', `message to the trainee not delivered (no bedside on this host): "${text}"`, 'error');
      return {
        kind: 'result',
        id: c.id,
        status: 409,
        body: { error: 'no bedside or case to deliver the message to' },
      };
    }
    try {
      await o.deliverMessage(text);
    } catch (e) {
      log('instructor', `message to the trainee failed: ${(e as Error).message}`, 'error');
      return { kind: 'result', id: c.id, status: 502, body: { error: (e as Error).message } };
    }
    log('instructor', `message to the trainee: "${text}"`);
    return { kind: 'result', id: c.id, status: 200, body: { delivered: true } };
  }
  const b = o.bench();
  if (!b)
    return {
      kind: 'result',
      id: c.id,
      status: 503,
      body: { error: 'no bench: this host runs no embedded pump' },
    };
  let next = x.lastState()?.clock?.nextEventTime ?? null;
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
  if ('error' in req) return { kind: 'error', id: c.id, error: req.error };
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
    if ('clock' in a && c.op !== 'history') x.setLastState(answer as StreamedState);
    else if (typeof a.pumpTime === 'number') x.setLastState({ ...x.lastState(), clock: answer as never });
  }
  if (req.words !== null) {
    const why = status === 200 ? '' : `: refused (${status}) ${(answer as { error?: string }).error ?? ''}`;
    log('instructor', req.words + why, status === 200 ? 'ok' : 'error');
  }
  return { kind: 'result', id: c.id, status, body: answer };
}
