/**
 * The pump's end of the link: decodes frames from the programmer, enforces sessions, authentication (every
 * frame of a session carries a MAC, in both directions: version 3) and replay protection, de-duplicates
 * retransmissions by (session, seq), dispatches to the `Pump` facade, answers every command exactly once,
 * and delivers alarm events reliably (sequenced, retransmitted until acknowledged, queued while no session
 * is open).
 *
 * Transport-agnostic: bytes in through `receive`, bytes out through `write`. Time for session expiry and
 * event retransmission comes from `now()` (host milliseconds); the host calls `tick()` periodically.
 */
import type { Pump, PumpNotification } from '../../device/pump-api';
import type { ProgramChange, ProgramError } from '../../device/types';
import { changeDigest, DEFAULT_DEMO_KEY, deriveSessionKey, secureRandom } from './auth';
import { macEquals, macMatches } from '../link/mac';
import { EncodeError } from '../messages/codec';
import {
  buildFrame,
  FrameDecoder,
  type Frame,
  type FrameResult,
  parseFrame,
  PROTOCOL_VERSION,
  wrapFrame,
} from '../link/frame';
import type { FrameInfo } from '../messages/messages';
import {
  ACK_BIT,
  NONCE_BYTES,
  type AlarmEvent,
  type CommandName,
  COMMANDS,
  COMMAND_BY_ID,
  decodePayload,
  encodePayload,
  type Message,
  messageTypeId,
  type NakReason,
  type ReplyOf,
  type RequestOf,
  summarize,
  TYPE_ALARM_EVENT,
  TYPE_EVENT_ACK,
} from '../messages/messages';

export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
export const DEFAULT_EVENT_RETRY_MS = 250;
export const DEFAULT_MAX_QUEUED_EVENTS = 64;

export interface PumpEndpointOptions {
  pump: Pump;
  /** The shared key; defaults to DEFAULT_DEMO_KEY (not secret). */
  key?: Uint8Array;
  write: (bytes: Uint8Array) => void;
  /** Host milliseconds for keepalive expiry and event retransmission. Default performance.now(). */
  now?: () => number;
  onFrame?: (info: FrameInfo) => void;
  /**
   * Whether anyone wants frame reports now (e.g. a bench monitor is connected). When it answers false the
   * report is not built at all (no parse, no summary). Default: reports are built whenever onFrame is set.
   */
  wantsFrames?: () => boolean;
  /** A session with no valid frame for this long is closed. Default 10 000 ms. */
  sessionTimeoutMs?: number;
  /** Unacknowledged alarm events are resent this often (on `tick`). Default 250 ms. */
  eventRetryMs?: number;
  /** Alarm events kept while undelivered; beyond it the oldest is dropped. Default 64. */
  maxQueuedEvents?: number;
  /** Source of nonces, session ids and tokens; injectable for reproducible test vectors. */
  random?: (bytes: number) => Uint8Array;
}

export interface PumpEndpointStats {
  framesReceived: number;
  framesSent: number;
  /** Frames dropped for link damage (beyond FEC repair, CRC, length). */
  badFrames: number;
  /** Frames accepted after the FEC repaired them. */
  fecCorrected: number;
  /** Retransmitted commands answered from the cache. */
  duplicates: number;
  naksSent: number;
  eventsSent: number;
  eventsDropped: number;
  /** Frames of a session refused for a missing or wrong MAC (answered NAK UNAUTHENTICATED, or ignored). */
  unauthenticated: number;
}

export interface SessionInfo {
  id: number;
  programmerId: string;
}

export interface PumpEndpoint {
  receive(chunk: Uint8Array): void;
  /** Expire a silent session and retransmit an unacknowledged alarm event. Call every ~50 ms. */
  tick(): void;
  /** Forward the pump's notifications; alarmRaised/alarmCleared become ALARM_EVENTs. */
  notify(n: PumpNotification): void;
  readonly session: SessionInfo | null;
  readonly stats: Readonly<PumpEndpointStats>;
  /** Alarm events not yet acknowledged. */
  readonly pendingEvents: number;
}

interface Session {
  id: number;
  programmerId: string;
  programmerNonce: Uint8Array;
  pumpNonce: Uint8Array;
  key: Uint8Array;
  openReply: Uint8Array;
  lastSeq: number;
  lastRequest: Uint8Array | null;
  lastReply: Uint8Array | null;
  lastActivity: number;
  pending: { token: number; change: ProgramChange; programVersion: number; digest: Uint8Array } | null;
}

interface QueuedEvent {
  seq: number;
  body: AlarmEvent;
  sentAt: number | null;
}

type Answer = { ack: Message } | { nak: NakReason; errors?: ProgramError[] };

export function createPumpEndpoint(opts: PumpEndpointOptions): PumpEndpoint {
  const { pump, write } = opts;
  const key = opts.key ?? DEFAULT_DEMO_KEY;
  const now = opts.now ?? (() => performance.now());
  const random = opts.random ?? secureRandom;
  const sessionTimeout = opts.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const eventRetry = opts.eventRetryMs ?? DEFAULT_EVENT_RETRY_MS;
  const maxEvents = opts.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
  const decoder = new FrameDecoder();
  const stats: PumpEndpointStats = {
    framesReceived: 0,
    framesSent: 0,
    badFrames: 0,
    fecCorrected: 0,
    duplicates: 0,
    naksSent: 0,
    eventsSent: 0,
    eventsDropped: 0,
    unauthenticated: 0,
  };
  let session: Session | null = null;
  /**
   * A session opened by the live session's programmer id while that one is live: it replaces the live one
   * only once a frame authenticated under its key arrives. OPEN_SESSION itself cannot be authenticated (no
   * session key exists yet), so anyone on the line could send one under the programmer's id: until it is
   * proven, the live session and its prepared change stay.
   */
  let candidate: Session | null = null;
  let lastSessionId = 0;
  const events: QueuedEvent[] = [];
  let nextEventSeq = 1;

  const u16 = (): number => {
    const b = random(2);
    return (b[0]! << 8) | b[1]!;
  };
  const u32 = (): number => {
    const b = random(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  };

  const onFrame = opts.onFrame;
  const wantsFrames = opts.wantsFrames ?? (() => true);
  /** Frame reports are built lazily: nothing is parsed or summarised while nobody listens. */
  const report = (info: () => Omit<FrameInfo, 'at'>): void => {
    if (onFrame && wantsFrames()) onFrame({ ...info(), at: now() });
  };

  /** A retransmitted request gets the cached answer again, byte for byte: it is never applied twice. */
  function resendCached(bytes: Uint8Array, summary: string): void {
    stats.duplicates++;
    stats.framesSent++;
    report(() => ({ direction: 'tx', bytes, frame: null, message: null, error: null, summary }));
    write(bytes);
  }

  // The last ACK payload encoded from a frozen body (the pump's status and program are frozen and stay the
  // same object while its state does): a programmer polling an unchanged pump gets the bytes again, not a
  // fresh encoding. A frozen body cannot have changed since it was encoded.
  let encodedBody: object | null = null;
  let encodedType = -1;
  let encodedPayload: Uint8Array | null = null;

  function payloadOf(type: number, m: Message): Uint8Array {
    if (m.kind !== 'ack') return encodePayload(m);
    if (m.body === encodedBody && type === encodedType) return encodedPayload!;
    const payload = encodePayload(m);
    if (Object.isFrozen(m.body)) {
      encodedBody = m.body;
      encodedType = type;
      encodedPayload = payload;
    }
    return payload;
  }

  /** The key of the session (live or candidate) with this id, or undefined. */
  function keyOf(id: number): Uint8Array | undefined {
    if (id === 0) return undefined;
    if (session?.id === id) return session.key;
    if (candidate?.id === id) return candidate.key;
    return undefined;
  }

  /**
   * Send a message. Frames of a session are MACed with its key (`key`: explicitly, e.g. the new session's
   * for the OPEN_SESSION ACK; default: the key of the session the frame names; `null`: no MAC).
   */
  function send(session: number, seq: number, m: Message, key?: Uint8Array | null): Uint8Array {
    const type = messageTypeId(m);
    const k = key === null ? undefined : (key ?? keyOf(session));
    const raw = buildFrame({ session, seq, type, payload: payloadOf(type, m) }, k);
    const wire = wrapFrame(raw);
    stats.framesSent++;
    if (m.kind === 'nak') stats.naksSent++;
    report(() => {
      const parsed = parseFrame(raw);
      return {
        direction: 'tx',
        bytes: raw,
        frame: parsed.ok ? parsed.frame : null,
        message: m,
        error: null,
        summary: summarize(m),
      };
    });
    write(wire);
    return wire;
  }

  function nak(
    session: number,
    seq: number,
    command: number,
    reason: NakReason,
    errors: ProgramError[] = [],
  ) {
    // A refusal of a frame that failed authentication is not MACed: the pump never vouches, under a
    // session's key, for an answer to a frame an attacker chose (and a client accepts an unauthenticated
    // UNAUTHENTICATED or NO_SESSION only as a failure, never as a result).
    const unkeyed = reason === 'UNAUTHENTICATED' || reason === 'NO_SESSION';
    return send(session, seq, { kind: 'nak', body: { command, reason, errors } }, unkeyed ? null : undefined);
  }

  /** Encode and send an answer; an answer that cannot be encoded becomes NAK INTERNAL_ERROR. */
  function answer(sessionId: number, seq: number, command: number, a: Answer): Uint8Array {
    if ('nak' in a) return nak(sessionId, seq, command, a.nak, a.errors);
    try {
      return send(sessionId, seq, a.ack);
    } catch (e) {
      const message = e instanceof EncodeError ? e.message : String(e);
      return nak(sessionId, seq, command, 'INTERNAL_ERROR', [{ code: 'OUT_OF_RANGE', field: '', message }]);
    }
  }

  function expire(): void {
    const t = now();
    if (session && t - session.lastActivity > sessionTimeout) session = null;
    if (candidate && t - candidate.lastActivity > sessionTimeout) candidate = null;
  }

  function sendHeadEvent(force: boolean): void {
    const head = events[0];
    if (!session || !head) return;
    const t = now();
    if (!force && head.sentAt !== null && t - head.sentAt < eventRetry) return;
    head.sentAt = t;
    stats.eventsSent++;
    send(session.id, head.seq, { kind: 'alarmEvent', body: head.body });
  }

  function refusalReason(errors: ProgramError[]): NakReason {
    return errors.some((e) => e.code === 'NOT_ALLOWED_IN_STATE') ? 'NOT_ALLOWED_IN_STATE' : 'BAD_VALUE';
  }

  function ack<K extends CommandName>(command: K, body: ReplyOf<K>): Answer {
    return { ack: { kind: 'ack', command, body } as Message };
  }

  function simple(r: { ok: true } | { ok: false; errors: ProgramError[] }, command: CommandName): Answer {
    return r.ok ? ack(command, {} as never) : { nak: refusalReason(r.errors), errors: r.errors };
  }

  function dispatch(s: Session, m: Extract<Message, { kind: 'command' }>, payload: Uint8Array): Answer {
    switch (m.command) {
      case 'CLOSE_SESSION':
        return ack('CLOSE_SESSION', {} as never);
      case 'KEEPALIVE':
        return ack('KEEPALIVE', { pumpTime: pump.now() });
      case 'INTERROGATE':
        return ack('INTERROGATE', pump.status());
      case 'READ_PROGRAM':
        return ack('READ_PROGRAM', pump.program());
      case 'READ_LOG': {
        const b = m.body as RequestOf<'READ_LOG'>;
        return ack('READ_LOG', pump.readLog(b.offset, b.count));
      }
      case 'PREPARE': {
        const { change } = m.body as RequestOf<'PREPARE'>;
        const v = pump.validate(change);
        if (!v.ok) {
          s.pending = null;
          return ack('PREPARE', { ok: false, errors: v.errors });
        }
        let token = u32();
        if (token === 0) token = 1;
        s.pending = {
          token,
          change,
          programVersion: pump.program().programVersion,
          // `payload` is a view into the frame's own buffer, never reused: digesting it now is safe.
          digest: changeDigest(payload),
        };
        return ack('PREPARE', { ok: true, token, consequences: v.consequences });
      }
      case 'COMMIT': {
        const { token, changeDigest: digest } = m.body as RequestOf<'COMMIT'>;
        const p = s.pending;
        if (!p || p.token !== token || pump.program().programVersion !== p.programVersion)
          return { nak: 'STALE_TOKEN' };
        s.pending = null;
        if (!macEquals(p.digest, digest))
          return {
            nak: 'CHANGE_MISMATCH',
            errors: [
              {
                code: 'OUT_OF_RANGE',
                field: 'changeDigest',
                message: 'not the digest of the change prepared under this token: nothing applied',
              },
            ],
          };
        const r = pump.apply(p.change);
        return ack(
          'COMMIT',
          r.ok ? { ok: true, programVersion: r.value.programVersion } : { ok: false, errors: r.errors },
        );
      }
      case 'STOP':
        return simple(pump.stop(), 'STOP');
      case 'RESUME':
        return simple(pump.resume(), 'RESUME');
      case 'SILENCE_ALARM': {
        const b = m.body as RequestOf<'SILENCE_ALARM'>;
        return simple(pump.silenceAlarm(b.until, b.code ?? undefined), 'SILENCE_ALARM');
      }
      case 'ALARM_TEST':
        return simple(pump.alarmTest(), 'ALARM_TEST');
      case 'CLOCK_SET': {
        const r = pump.setClock(m.body as RequestOf<'CLOCK_SET'>);
        return r.ok ? ack('CLOCK_SET', r.value) : { nak: refusalReason(r.errors), errors: r.errors };
      }
      case 'OPEN_SESSION':
        // Handled before dispatch; an OPEN_SESSION never reaches here.
        return { nak: 'INTERNAL_ERROR' };
    }
  }

  function openSession(f: Frame, body: RequestOf<'OPEN_SESSION'>): void {
    const cmd = COMMANDS.OPEN_SESSION.id;
    if (body.protocolVersion !== PROTOCOL_VERSION) {
      nak(f.session, f.seq, cmd, 'BAD_VERSION');
      return;
    }
    if (session && session.programmerId !== body.programmerId) {
      nak(f.session, f.seq, cmd, 'BUSY');
      return;
    }
    for (const s of [session, candidate]) {
      if (s && macEquals(s.programmerNonce, body.programmerNonce)) {
        // The same OPEN_SESSION retransmitted (its answer was lost): same answer, same session.
        s.lastActivity = now();
        resendCached(s.openReply, 'ACK OPEN_SESSION (repeat)');
        return;
      }
    }
    let id = u16();
    while (id === 0 || id === lastSessionId || id === session?.id) id = (id + 1) & 0xffff;
    lastSessionId = id;
    const pumpNonce = random(NONCE_BYTES);
    const reply: ReplyOf<'OPEN_SESSION'> = {
      pumpSerial: pump.serial,
      model: pump.model,
      protocolVersion: PROTOCOL_VERSION,
      sessionId: id,
      pumpNonce,
      programmerNonce: body.programmerNonce,
    };
    const sessionKey = deriveSessionKey(key, id, pumpNonce, body.programmerNonce);
    // The ACK is MACed under the new session's key: the programmer learns that this pump holds the key.
    const wire = send(f.session, f.seq, { kind: 'ack', command: 'OPEN_SESSION', body: reply }, sessionKey);
    const opened: Session = {
      id,
      programmerId: body.programmerId,
      programmerNonce: body.programmerNonce,
      pumpNonce,
      key: sessionKey,
      openReply: wire,
      lastSeq: 0,
      lastRequest: null,
      lastReply: null,
      lastActivity: now(),
      pending: null,
    };
    if (session) {
      // The live session's programmer reopening (or someone using its id): the new session replaces the
      // live one, and its prepared change, once it proves itself with an authenticated frame.
      candidate = opened;
      return;
    }
    candidate = null;
    goLive(opened);
  }

  function goLive(s: Session): void {
    session = s;
    // Queued alarm events go out as soon as the session exists.
    if (events[0]) events[0].sentAt = null;
    sendHeadEvent(true);
  }

  function handle(r: FrameResult): void {
    if (!r.ok) {
      const error = r.error;
      if (r.header === null) {
        stats.badFrames++;
        report(() => ({
          direction: 'rx',
          bytes: r.raw,
          frame: null,
          message: null,
          error,
          summary: `dropped: ${error}`,
        }));
        return;
      }
      stats.framesReceived++;
      report(() => ({
        direction: 'rx',
        bytes: r.raw,
        frame: null,
        message: null,
        error,
        summary: `refused: ${error}`,
      }));
      nak(
        r.header.session,
        r.header.seq,
        r.header.type,
        error === 'BAD_VERSION' ? 'BAD_VERSION' : 'MALFORMED',
      );
      return;
    }
    const f = r.frame;
    stats.framesReceived++;
    if (r.corrected) stats.fecCorrected++;
    const d = decodePayload(f.type, f.payload);
    const error = d.ok ? null : `${d.reason}${d.field ? ' ' + d.field : ''}: ${d.detail}`;
    report(() => ({
      direction: 'rx',
      bytes: f.raw,
      frame: f,
      message: d.ok ? d.message : null,
      error,
      summary: d.ok ? summarize(d.message) : (error ?? ''),
    }));

    if (f.type === TYPE_EVENT_ACK) {
      // An acknowledgement takes an alarm off the queue: only an authenticated one may.
      if (d.ok && session && f.session === session.id) {
        if (!f.mac || !macMatches(session.key, f.macInput, f.mac)) {
          stats.unauthenticated++;
          return;
        }
        session.lastActivity = now();
        if (events[0]?.seq === f.seq) {
          events.shift();
          sendHeadEvent(true);
        }
      }
      return; // acknowledgements are never answered
    }
    const command = COMMAND_BY_ID.get(f.type);
    if (
      (f.type & ACK_BIT) !== 0 ||
      command === undefined ||
      f.type === TYPE_ALARM_EVENT ||
      (!d.ok && d.reason === 'UNKNOWN_TYPE')
    ) {
      // Not a command this pump knows (or a pump-to-programmer type sent the wrong way).
      nak(f.session, f.seq, f.type, 'UNKNOWN_TYPE');
      return;
    }
    if (f.type === COMMANDS.OPEN_SESSION.id) {
      if (!d.ok || d.message.kind !== 'command' || d.message.command !== 'OPEN_SESSION') {
        nak(f.session, f.seq, f.type, 'MALFORMED');
        return;
      }
      openSession(f, d.message.body as RequestOf<'OPEN_SESSION'>);
      return;
    }

    const s =
      session && f.session === session.id
        ? session
        : candidate && f.session === candidate.id
          ? candidate
          : null;
    if (!s) {
      nak(f.session, f.seq, f.type, 'NO_SESSION');
      return;
    }
    // Every command of a session carries a valid MAC (version 3): a frame without one, or with a wrong one,
    // is refused and changes nothing (not even the session's seq or its expiry).
    if (!f.mac || !macMatches(s.key, f.macInput, f.mac)) {
      stats.unauthenticated++;
      nak(f.session, f.seq, f.type, 'UNAUTHENTICATED');
      return;
    }
    if (s === candidate) {
      // Proven: the reopened session replaces the old one (and drops its prepared change).
      candidate = null;
      goLive(s);
    }
    // From here the frame belongs to the live session: it keeps the session alive.
    s.lastActivity = now();
    if (f.seq === s.lastSeq && s.lastReply && s.lastRequest && equalBytes(s.lastRequest, f.raw)) {
      resendCached(s.lastReply, 'repeat of cached answer');
      return;
    }
    if (f.seq <= s.lastSeq) {
      nak(f.session, f.seq, f.type, 'REPLAY');
      return;
    }
    let wire: Uint8Array;
    if (!d.ok || d.message.kind !== 'command') {
      wire = nak(f.session, f.seq, f.type, 'MALFORMED', [
        { code: 'OUT_OF_RANGE', field: d.ok ? '' : d.field, message: d.ok ? 'not a command' : d.detail },
      ]);
    } else {
      let a: Answer;
      try {
        a = dispatch(s, d.message, f.payload);
      } catch (e) {
        a = { nak: 'INTERNAL_ERROR', errors: [{ code: 'OUT_OF_RANGE', field: '', message: String(e) }] };
      }
      wire = answer(f.session, f.seq, f.type, a);
    }
    s.lastSeq = f.seq;
    s.lastRequest = f.raw;
    s.lastReply = wire;
    if (d.ok && d.message.kind === 'command' && d.message.command === 'CLOSE_SESSION' && session === s) {
      // The answer is cached in a session that no longer exists: a retried CLOSE gets NO_SESSION, which
      // the client treats as closed.
      session = null;
    }
  }

  return {
    receive(chunk) {
      expire();
      for (const r of decoder.push(chunk)) handle(r);
    },
    tick() {
      expire();
      sendHeadEvent(false);
    },
    notify(n) {
      if (n.type !== 'alarmRaised' && n.type !== 'alarmCleared') return;
      if (events.length >= maxEvents) {
        events.shift();
        stats.eventsDropped++;
      }
      const seq = nextEventSeq;
      nextEventSeq = nextEventSeq === 0xffff ? 1 : nextEventSeq + 1;
      events.push({
        seq,
        body: { raised: n.type === 'alarmRaised', code: n.code, time: n.time },
        sentAt: null,
      });
      if (events.length === 1) sendHeadEvent(true);
    },
    get session() {
      return session ? { id: session.id, programmerId: session.programmerId } : null;
    },
    get stats() {
      return stats;
    },
    get pendingEvents() {
      return events.length;
    },
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
