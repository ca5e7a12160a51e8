/**
 * The programmer's end of the link: sessions, stop-and-wait retransmission with a timeout and a retry
 * limit, MACs on every in-session frame in both directions (version 3: an answer or alarm event without a
 * valid MAC is refused and counted, never taken as the pump's word), COMMIT bound to the digest of the
 * change this programmer prepared, alarm events acknowledged and de-duplicated, link statistics, and typed
 * errors. Commands are serialised: one outstanding at a time, in call order.
 */
import type { ClockSetResult, PumpProgram } from '../../device/pump-api';
import type { ClockRule } from '../../shared/device-facts/local-clock';
import { emptyLinkStats, type LinkStats } from '../../shared/link-stats';
import type {
  AlarmCode,
  LogPage,
  ProgramChange,
  ProgramConsequences,
  ProgramError,
  PumpModel,
  PumpStatus,
  PumpInstant,
} from '../../device/types';
import { changeDigest, DEFAULT_DEMO_KEY, deriveSessionKey, secureRandom } from './auth';
import { macEquals, macMatches } from '../link/mac';
import {
  buildFrame,
  type Frame,
  FrameDecoder,
  type FrameResult,
  PROTOCOL_VERSION,
  wrapFrame,
} from '../link/frame';
import {
  ACK_BIT,
  NONCE_BYTES,
  type AlarmEvent,
  type CommandName,
  COMMANDS,
  decodePayload,
  encodePayload,
  EncodeError,
  type FrameInfo,
  type Message,
  type NakReason,
  type ReplyOf,
  type RequestOf,
  summarize,
  TYPE_ALARM_EVENT,
  TYPE_EVENT_ACK,
  TYPE_NAK,
} from '../messages/messages';

export const DEFAULT_TIMEOUT_MS = 250;
export const DEFAULT_RETRIES = 5;

/** A byte duplex: a serial port, a pty, or an in-memory pipe. `onData` may return an unsubscribe. */
export interface ByteLink {
  /** The client never changes `bytes` afterwards: the link may send them later without a copy. */
  write(bytes: Uint8Array): void;
  onData(cb: (chunk: Uint8Array) => void): void | (() => void);
}

export interface PumpClientOptions {
  programmerId: string;
  /** The shared key; defaults to DEFAULT_DEMO_KEY (not secret). */
  key?: Uint8Array;
  /** Wait for an answer this long before retransmitting. Default 250 ms. */
  timeoutMs?: number;
  /** Retransmissions after the first send before giving up with LinkTimeoutError. Default 5. */
  retries?: number;
  /** Source of programmer nonces; injectable for reproducible test vectors. */
  random?: (bytes: number) => Uint8Array;
  /** Clock for retransmission deadlines (ms); default performance.now. */
  now?: () => number;
  /** Timers for retransmission; default the global ones. Injected by tests to drive time themselves. */
  timers?: ClientTimers;
}

export interface ClientTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const GLOBAL_TIMERS: ClientTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** The link statistics the programmer shows: one definition, in the programmer contract. */
export type ClientStats = LinkStats;

export interface SessionDetails {
  sessionId: number;
  pumpSerial: string;
  model: PumpModel;
  protocolVersion: number;
}

/** The pump refused a command: NAK with this reason (and the pump's ProgramErrors, if any). */
export class ProtocolError extends Error {
  constructor(
    readonly reason: NakReason | 'BAD_VALUE',
    readonly command: CommandName | string,
    readonly errors: ProgramError[] = [],
    detail?: string,
    /**
     * True when the programmer itself refused before sending (a value the wire cannot carry, COMMIT of a
     * token it never prepared): the pump never saw the command.
     */
    readonly local = false,
  ) {
    super(
      `${command}: ${reason}${detail ? ` (${detail})` : errors.length ? ` (${errors.map((e) => e.message).join('; ')})` : ''}`,
    );
    this.name = 'ProtocolError';
  }
}

/** No answer after the first send and every retry. */
export class LinkTimeoutError extends Error {
  constructor(
    readonly command: string,
    readonly attempts: number,
  ) {
    super(`${command}: no answer after ${attempts} attempts`);
    this.name = 'LinkTimeoutError';
  }
}

/** What an answer must match. */
interface Match {
  type: number;
  seq: number;
  /** Session the answer must carry; null for OPEN_SESSION (the answer carries the new one). */
  session: number | null;
  nonce: Uint8Array | null;
}

/** The one command in flight: what it sent, what it waits for, and how it ends. */
interface Outstanding extends Match {
  raw: Uint8Array;
  wire: Uint8Array;
  label: string;
  attempts: number;
  /** performance.now() after which the current attempt has timed out. */
  deadline: number;
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
  /** Answers to this command refused for a missing or wrong MAC. */
  unauthenticated: number;
}

interface Session extends SessionDetails {
  key: Uint8Array;
  nextSeq: number;
  /** The change this programmer last prepared in the session: its token and digest, for COMMIT. */
  prepared: { token: number; digest: Uint8Array } | null;
}

type Listener<T> = (v: T) => void;

export class PumpClient {
  readonly stats: ClientStats = emptyLinkStats();
  private readonly key: Uint8Array;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly random: (n: number) => Uint8Array;
  private readonly now: () => number;
  private readonly decoder = new FrameDecoder();
  private readonly unsubscribe: (() => void) | undefined;
  private sessionState: Session | null = null;
  private outstanding: Outstanding | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Commands queued or in flight (serial): while any is, a new one waits for `queue`. */
  private inQueue = 0;
  private lastEventSeq: number | null = null;
  private disposed = false;
  /**
   * The retransmission timer, armed lazily: an answer does not clear it, and when it fires it re-arms for
   * whatever is left of the current command's deadline. A timer created and cleared per command costs
   * more than the rest of the client's work for that command (Node's timer lists and a native call).
   */
  private retryTimer: unknown = null;
  private readonly timers: ClientTimers;
  private readonly listeners = {
    alarm: new Set<Listener<AlarmEvent>>(),
    frame: new Set<Listener<FrameInfo>>(),
  };

  constructor(
    private readonly link: ByteLink,
    private readonly opts: PumpClientOptions,
  ) {
    this.key = opts.key ?? DEFAULT_DEMO_KEY;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = opts.retries ?? DEFAULT_RETRIES;
    this.random = opts.random ?? secureRandom;
    this.now = opts.now ?? (() => performance.now());
    this.timers = opts.timers ?? GLOBAL_TIMERS;
    const un = link.onData((chunk) => this.receive(chunk));
    this.unsubscribe = typeof un === 'function' ? un : undefined;
  }

  /** The open session, or null. */
  get session(): SessionDetails | null {
    const s = this.sessionState;
    return s
      ? {
          sessionId: s.sessionId,
          pumpSerial: s.pumpSerial,
          model: s.model,
          protocolVersion: s.protocolVersion,
        }
      : null;
  }

  on(event: 'alarm', cb: Listener<AlarmEvent>): () => void;
  on(event: 'frame', cb: Listener<FrameInfo>): () => void;
  on(event: 'alarm' | 'frame', cb: Listener<never>): () => void {
    const set = this.listeners[event] as Set<Listener<never>>;
    set.add(cb);
    return () => set.delete(cb);
  }

  /** Stop listening to the link. Pending commands are left to time out. */
  dispose(): void {
    this.disposed = true;
    this.unsubscribe?.();
    // A command still in flight keeps its timer (it will time out); otherwise no timer outlives us.
    if (!this.outstanding && this.retryTimer !== null) {
      this.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  // ------------------------------------------------------------------------------ commands

  openSession(): Promise<SessionDetails> {
    return this.serial(() => this.doOpen());
  }

  async closeSession(): Promise<void> {
    await this.serial(async () => {
      if (!this.sessionState) return;
      try {
        await this.doRequest('CLOSE_SESSION', {} as never);
      } catch (e) {
        // A retried CLOSE whose first answer was lost finds the session already gone: that is closed.
        if (!(e instanceof ProtocolError && e.reason === 'NO_SESSION')) throw e;
      }
      this.sessionState = null;
    });
  }

  interrogate(): Promise<PumpStatus> {
    return this.request('INTERROGATE', {} as never);
  }

  readProgram(): Promise<PumpProgram> {
    return this.request('READ_PROGRAM', {} as never);
  }

  readLog(offset: number, count: number): Promise<LogPage> {
    return this.request('READ_LOG', { offset, count });
  }

  async prepare(
    change: ProgramChange,
  ): Promise<{ token: number; consequences: ProgramConsequences } | { errors: ProgramError[] }> {
    const r = await this.request('PREPARE', { change });
    return r.ok ? { token: r.token, consequences: r.consequences } : { errors: r.errors };
  }

  /**
   * Commit the change prepared under `token`. The COMMIT carries the digest of that change as this
   * programmer sent it (version 3), so the pump applies it only if it holds exactly that change.
   */
  async commit(token: number): Promise<{ programVersion: number } | { errors: ProgramError[] }> {
    const r = await this.serial(async () => {
      const prepared = this.sessionState?.prepared;
      if (!prepared || prepared.token !== token)
        throw new ProtocolError(
          'STALE_TOKEN',
          'COMMIT',
          [],
          'no change was prepared under this token in this session',
          true,
        );
      return this.doRequest('COMMIT', { token, changeDigest: prepared.digest });
    });
    return r.ok ? { programVersion: r.programVersion } : { errors: r.errors };
  }

  async stop(): Promise<void> {
    await this.request('STOP', {} as never);
  }

  async resume(): Promise<void> {
    await this.request('RESUME', {} as never);
  }

  /** Silence one alarm, or every active alarm when `code` is omitted, until pump time `until`. */
  async silenceAlarm(until: PumpInstant, code?: AlarmCode): Promise<void> {
    await this.request('SILENCE_ALARM', { until, code: code ?? null });
  }

  async alarmTest(): Promise<void> {
    await this.request('ALARM_TEST', {} as never);
  }

  /** Sets the pump's local-time rule; answers whether it changed and the rule it replaced. */
  setClock(rule: ClockRule): Promise<ClockSetResult> {
    return this.request('CLOCK_SET', rule);
  }

  /** Keeps the session alive; returns the pump's time. */
  async keepalive(): Promise<PumpInstant> {
    return (await this.request('KEEPALIVE', {} as never)).pumpTime;
  }

  /** Any command by name, answered with its typed ACK body; a NAK rejects with ProtocolError. */
  request<K extends CommandName>(command: K, body: RequestOf<K>): Promise<ReplyOf<K>> {
    return this.serial(() => this.doRequest(command, body));
  }

  /**
   * Send an arbitrary payload under any type id in the current session (tests and conformance tools):
   * resolves with the decoded answer, ACK or NAK, without interpreting it.
   */
  rawRequest(type: number, payload: Uint8Array, opts: { auth?: boolean } = {}): Promise<Message> {
    return this.serial(async () => {
      const s = this.sessionState;
      const session = s?.sessionId ?? 0;
      const seq = s ? this.takeSeq(s) : 1;
      const raw = buildFrame({ session, seq, type, payload }, opts.auth !== false && s ? s.key : undefined);
      return this.exchange(raw, `0x${type.toString(16)}`, { type, seq, session, nonce: null });
    });
  }

  // ------------------------------------------------------------------------------ internals

  /**
   * Commands one at a time, in call order. With none queued or in flight the command starts at once: no
   * microtask hop before it is sent, and its own promise is returned (a promise from `then` that adopts it
   * would settle two hops after it).
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // Counted before fn runs, so that a command issued from inside fn queues behind this one.
    const idle = this.inQueue++ === 0;
    const run = idle ? fn() : this.queue.then(fn, fn);
    this.queue = run.then(this.dequeue, this.dequeue);
    return run;
  }

  private readonly dequeue = (): void => {
    this.inQueue--;
  };

  private takeSeq(s: Session): number {
    return s.nextSeq++;
  }

  private async doOpen(): Promise<SessionDetails> {
    const nonce = this.random(NONCE_BYTES);
    const body: RequestOf<'OPEN_SESSION'> = {
      programmerId: this.opts.programmerId,
      protocolVersion: PROTOCOL_VERSION,
      programmerNonce: nonce,
    };
    const type = COMMANDS.OPEN_SESSION.id;
    const payload = this.encode('OPEN_SESSION', { kind: 'command', command: 'OPEN_SESSION', body });
    // A random seq makes a stale answer to an earlier OPEN_SESSION (other nonce) unlikely to even match.
    const r = this.random(2);
    const seq = (r[0]! << 8) | r[1]!;
    const raw = buildFrame({ session: 0, seq, type, payload });
    const m = await this.exchange(raw, 'OPEN_SESSION', { type, seq, session: null, nonce });
    const reply = this.expectAck('OPEN_SESSION', m);
    this.sessionState = {
      sessionId: reply.sessionId,
      pumpSerial: reply.pumpSerial,
      model: reply.model,
      protocolVersion: reply.protocolVersion,
      key: deriveSessionKey(this.key, reply.sessionId, reply.pumpNonce, nonce),
      nextSeq: 1,
      prepared: null,
    };
    this.lastEventSeq = null;
    return this.session!;
  }

  private async doRequest<K extends CommandName>(command: K, body: RequestOf<K>): Promise<ReplyOf<K>> {
    if (command === 'OPEN_SESSION') return (await this.doOpen()) as never;
    let s = this.sessionState;
    if (!s) throw new ProtocolError('NO_SESSION', command, [], 'no session open');
    if (s.nextSeq > 0xffff) {
      // Sequence numbers never wrap within a session (replay protection): start a fresh one.
      await this.doOpen();
      s = this.sessionState!;
    }
    const type = COMMANDS[command].id;
    const payload = this.encode(command, { kind: 'command', command, body } as Message);
    const seq = this.takeSeq(s);
    const raw = buildFrame({ session: s.sessionId, seq, type, payload }, s.key);
    const m = await this.exchange(raw, command, { type, seq, session: s.sessionId, nonce: null });
    const reply = this.expectAck(command, m);
    if (command === 'PREPARE') {
      const r = reply as ReplyOf<'PREPARE'>;
      // The pump keeps one prepared change per session, the latest: so do we.
      s.prepared = r.ok ? { token: r.token, digest: changeDigest(payload) } : null;
    } else if (command === 'COMMIT') s.prepared = null;
    return reply;
  }

  private encode(command: string, m: Message): Uint8Array {
    try {
      return encodePayload(m);
    } catch (e) {
      // A value that does not fit the wire (too long, negative, not an integer): refused before sending.
      if (e instanceof EncodeError) throw new ProtocolError('BAD_VALUE', command, [], e.message, true);
      throw e;
    }
  }

  private expectAck<K extends CommandName>(command: K, m: Message): ReplyOf<K> {
    if (m.kind === 'ack' && m.command === command) return m.body as ReplyOf<K>;
    if (m.kind === 'nak') {
      if (m.body.reason === 'NO_SESSION' && command !== 'OPEN_SESSION') this.sessionState = null;
      throw new ProtocolError(m.body.reason, command, m.body.errors);
    }
    throw new ProtocolError('MALFORMED', command, [], `unexpected answer ${summarize(m)}`);
  }

  /**
   * Send `raw` and wait for its answer, retransmitting on timeout. The command's state lives in one
   * `Outstanding` record and the timer calls a method bound once: no closures per command on this path,
   * which runs for every command.
   */
  private exchange(raw: Uint8Array, label: string, match: Match): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      this.outstanding = {
        type: match.type,
        seq: match.seq,
        session: match.session,
        nonce: match.nonce,
        raw,
        wire: wrapFrame(raw),
        label,
        attempts: 0,
        deadline: 0,
        resolve,
        reject,
        unauthenticated: 0,
      };
      this.sendOutstanding();
    });
  }

  private sendOutstanding(): void {
    const o = this.outstanding!;
    o.attempts++;
    if (o.attempts > 1) this.stats.retries++;
    this.stats.framesSent++;
    this.emitFrame('tx', o.raw);
    this.link.write(o.wire);
    o.deadline = this.now() + this.timeoutMs;
    this.retryTimer ??= this.timers.setTimeout(this.onTimer, this.timeoutMs);
  }

  private readonly onTimer = (): void => {
    this.retryTimer = null;
    const o = this.outstanding;
    if (!o) return; // answered: the timer lapses until the next command arms it
    const left = o.deadline - this.now();
    if (left > 0) {
      // Armed for an earlier command: wait out this one's own time.
      this.retryTimer = this.timers.setTimeout(this.onTimer, left);
      return;
    }
    this.stats.timeouts++;
    if (o.attempts <= this.retries && !this.disposed) this.sendOutstanding();
    else {
      this.outstanding = null;
      // Answers came, but none could be trusted: say so, rather than "no answer".
      if (o.unauthenticated > 0)
        o.reject(
          new ProtocolError(
            'UNAUTHENTICATED',
            o.label,
            [],
            `${o.unauthenticated} answer(s) failed authentication: a wrong key, or the line is being tampered with`,
          ),
        );
      else o.reject(new LinkTimeoutError(o.label, o.attempts));
    }
  };

  /** The answer to the outstanding command arrived. */
  private settle(o: Outstanding, m: Message): void {
    this.outstanding = null;
    o.resolve(m);
  }

  private emitFrame(direction: 'tx' | 'rx', raw: Uint8Array, r?: FrameResult): void {
    if (this.listeners.frame.size === 0) return;
    const res = r ?? { ok: true as const, frame: null };
    let info: FrameInfo;
    if (!res.ok) {
      info = {
        direction,
        at: this.now(),
        bytes: raw,
        frame: null,
        message: null,
        error: res.error,
        summary: `dropped: ${res.error}`,
      };
    } else {
      const type = raw[6]!;
      const payload = raw.subarray(9, 9 + ((raw[7]! << 8) | raw[8]!));
      const d = decodePayload(type, payload);
      info = {
        direction,
        at: this.now(),
        bytes: raw,
        frame: res.frame,
        message: d.ok ? d.message : null,
        error: d.ok ? null : `${d.reason} ${d.field}: ${d.detail}`,
        summary: d.ok ? summarize(d.message) : `${d.reason} type 0x${type.toString(16)}`,
      };
    }
    for (const cb of this.listeners.frame) cb(info);
  }

  private receive(chunk: Uint8Array): void {
    if (this.disposed) return;
    for (const r of this.decoder.push(chunk)) {
      if (!r.ok) {
        this.stats.crcErrors++;
        this.emitFrame('rx', r.raw, r);
        continue;
      }
      const f = r.frame;
      this.stats.framesReceived++;
      if (r.corrected) this.stats.fecCorrected++;
      this.emitFrame('rx', f.raw, r);
      const d = decodePayload(f.type, f.payload);
      if (!d.ok) continue; // an answer we cannot read is as good as lost: the retry recovers
      const m = d.message;
      if (f.type === TYPE_ALARM_EVENT && m.kind === 'alarmEvent') {
        this.onAlarmEvent(f.session, f.seq, m.body, f);
        continue;
      }
      const o = this.outstanding;
      if (!o || f.seq !== o.seq) continue; // a late duplicate answer to an earlier command
      if (o.session !== null && f.session !== o.session) continue;
      if (f.type === TYPE_NAK && m.kind === 'nak' && m.body.command === o.type) {
        if (!this.trusted(o, f, m)) continue;
        this.stats.naks++;
        this.settle(o, m);
      } else if (f.type === (o.type | ACK_BIT) && m.kind === 'ack') {
        if (o.nonce && !macEquals(o.nonce, (m.body as ReplyOf<'OPEN_SESSION'>).programmerNonce)) continue;
        if (!this.trusted(o, f, m)) continue;
        this.settle(o, m);
      }
    }
  }

  /**
   * Whether an answer may be taken as the pump's (version 3). In a session: only with a valid MAC under
   * the session key, except a NAK NO_SESSION or UNAUTHENTICATED (the pump cannot or will not vouch for
   * those, and they can only make a command fail). The OPEN_SESSION ACK: with a valid MAC under the key
   * derived from its own contents (so only a pump holding the key can open a session). Other answers to
   * OPEN_SESSION (NAK BUSY, BAD_VERSION, MALFORMED) come before any key. A refused answer is counted.
   */
  private trusted(o: Outstanding, f: Frame, m: Message): boolean {
    let key: Uint8Array | undefined;
    if (o.nonce) {
      if (m.kind !== 'ack') return true;
      const b = m.body as ReplyOf<'OPEN_SESSION'>;
      key = deriveSessionKey(this.key, b.sessionId, b.pumpNonce, o.nonce);
    } else {
      // No session, not our OPEN_SESSION: a raw exchange (rawRequest) whose answer is returned to the
      // caller as bytes decoded, never taken by this client as the pump's state.
      if (!this.sessionState) return true;
      key = this.sessionState.key;
      if (
        m.kind === 'nak' &&
        !f.mac &&
        (m.body.reason === 'NO_SESSION' || m.body.reason === 'UNAUTHENTICATED')
      )
        return true;
    }
    if (key && f.mac && macMatches(key, f.macInput, f.mac)) return true;
    this.stats.authFailures++;
    o.unauthenticated++;
    return false;
  }

  private onAlarmEvent(session: number, seq: number, body: AlarmEvent, f: Frame): void {
    const s = this.sessionState;
    if (!s || session !== s.sessionId) return;
    // An alarm the pump did not MAC is not the pump's: neither reported nor acknowledged.
    if (!f.mac || !macMatches(s.key, f.macInput, f.mac)) {
      this.stats.authFailures++;
      return;
    }
    // Acknowledge every copy (our previous ack may have been lost), report each event once.
    const ack = buildFrame({ session, seq, type: TYPE_EVENT_ACK, payload: new Uint8Array(0) }, s.key);
    this.stats.framesSent++;
    this.emitFrame('tx', ack);
    this.link.write(wrapFrame(ack));
    if (seq === this.lastEventSeq) return;
    this.lastEventSeq = seq;
    for (const cb of this.listeners.alarm) cb(body);
  }
}
