/**
 * Every message on the wire: its type id, its payload schema, and whether it must be authenticated.
 * The decoded types are the device's own shapes (src/device/types.ts, src/device/pump-api.ts): one
 * definition shared by both ends. All quantities are unsigned integers in the units named in the schema;
 * times are u32 pump seconds since 1970 (enough until 2106).
 */
import type { ClockSetResult, PumpProgram } from '../../device/pump-api';
import type { ClockRule, TransitionRule } from '../../shared/device-facts/local-clock';
import { ALARM_CODES } from '../../shared/device-facts/profiles';
import type {
  Alarm,
  AlarmCode,
  BolusRequest,
  FlexStep,
  LogEntry,
  LogPage,
  PatientBolusSettings,
  ProgramChange,
  ProgramConsequences,
  ProgramError,
  PumpModel,
  PumpStatus,
  RefillRequest,
  TherapyRequest,
} from '../../device/types';
import type { Frame } from '../link/frame';
import {
  array,
  bool,
  type Codec,
  decodeAll,
  EncodeError,
  encodeAll,
  enumOf,
  fixedBytes,
  nullable,
  optional,
  ranged,
  str,
  struct,
  u16,
  u32,
  u8,
  union,
  unit,
  fail,
  type Reader,
  type Writer,
} from './codec';

/** The nonce each end contributes to OPEN_SESSION, and the change digest COMMIT carries (session/auth.ts). */
export const NONCE_BYTES = 8;
export const CHANGE_DIGEST_BYTES = 16;

// ------------------------------------------------------------------------------------------ enumerations
// Order is the wire value: append only, never reorder.
export const PUMP_MODELS = ['SM2-20', 'SM2-40', 'SM2-20-ENG'] as const satisfies readonly PumpModel[];
export const INFUSION_MODES = [
  'stopped',
  'continuous',
  'flex',
  'singleBolus',
  'bridgeBolus',
  'primingBolus',
  'patientBolus',
] as const satisfies readonly PumpStatus['mode'][];
export const BATTERY_STATES = [
  'ok',
  'eri',
  'endOfService',
] as const satisfies readonly PumpStatus['battery'][];
export { ALARM_CODES };
export const ALARM_PRIORITIES = ['critical', 'nonCritical'] as const satisfies readonly Alarm['priority'][];
export const LOG_KINDS = [
  'PROGRAM',
  'REFILL',
  'BOLUS_START',
  'BOLUS_END',
  'PATIENT_BOLUS',
  'PATIENT_BOLUS_REFUSED',
  'ALARM_RAISED',
  'ALARM_CLEARED',
  'ALARM_SILENCED',
  'ALARM_TEST',
  'MOTOR_STALL',
  'MOTOR_STALL_RECOVERY',
  'STOPPED',
  'RESUMED',
  'MEMORY_ERROR',
  'CLOCK_SET',
] as const satisfies readonly LogEntry['kind'][];
export const PROGRAM_ERROR_CODES = [
  'OUT_OF_RANGE',
  'NOT_INTEGER',
  'VOLUME_OVER_CAPACITY',
  'WITHDRAWN_OVER_VOLUME',
  'FLEX_TOO_MANY_STEPS',
  'FLEX_STEPS_OVERLAP',
  'FLEX_STEPS_UNORDERED',
  'FLEX_FIRST_STEP_NOT_MIDNIGHT',
  'FLEX_STEP_TOO_SHORT',
  'RATE_BELOW_MINIMUM',
  'RATE_ABOVE_MAXIMUM',
  'BOLUS_LARGER_THAN_RESERVOIR',
  'BOLUS_RATE_ABOVE_MAXIMUM',
  'DRUG_NAME_INVALID',
  'CONCENTRATION_CHANGE_NEEDS_THERAPY',
  'ALARM_THRESHOLD_OUT_OF_RANGE',
  'EMPTY_PROGRAM',
  'NOT_ALLOWED_IN_STATE',
] as const satisfies readonly ProgramError['code'][];

/** NAK reason codes. 0 (BAD_CRC) is never sent: a damaged frame is dropped and the sender retries. */
export const NAK_REASONS = [
  'BAD_CRC',
  'UNKNOWN_TYPE',
  'MALFORMED',
  'BAD_VALUE',
  'NOT_ALLOWED_IN_STATE',
  'BUSY',
  'NO_SESSION',
  'UNAUTHENTICATED',
  'REPLAY',
  'BAD_VERSION',
  'STALE_TOKEN',
  'INTERNAL_ERROR',
  'CHANGE_MISMATCH',
] as const;
export type NakReason = (typeof NAK_REASONS)[number];

// ------------------------------------------------------------------------------------------ limits
export const MAX_PROGRAMMER_ID_BYTES = 32;
export const MAX_SERIAL_BYTES = 32;
export const MAX_DRUG_NAME_BYTES = 32;
export const MAX_LOG_DETAIL_BYTES = 64;
export const MAX_ERROR_FIELD_BYTES = 64;
export const MAX_ERROR_MESSAGE_BYTES = 120;
export const MAX_ERRORS = 16;
export const MAX_FLEX_STEPS = 64;
export const MAX_ALARMS = 16;
export const MAX_LOG_COUNT = 50;

// ------------------------------------------------------------------------------------------ field codecs
const seconds = unit('s (pump time)');
const duration = unit('s');
const microlitres = unit('uL');
const perDay = unit('uL/day');
const mcgPerMl = unit('mcg/mL');
const ngPerDay = unit('ng/day');
const nanograms = unit('ng');
const secondOfDay = ranged(u32, 0, 86399, 's of day');

const model = enumOf('PumpModel', PUMP_MODELS);
const alarmCode = enumOf('AlarmCode', ALARM_CODES);

/**
 * A signed offset from UTC in minutes (-720..840), sent as a u16 biased by +720 (0..1560): every other
 * field on the wire is unsigned.
 */
const OFFSET_BIAS = 720;
const offsetBase = ranged(u16, 0, 1560);
const utcOffsetMinutes: Codec<number> = {
  size: 2,
  type: 'u16 0..1560 = minutes east of UTC + 720',
  enc(w, v, path) {
    if (!Number.isInteger(v) || v < -OFFSET_BIAS || v > 840)
      throw new EncodeError(path, `${v} not in -720..840 minutes`);
    offsetBase.enc(w, v + OFFSET_BIAS, path);
  },
  dec(r, path) {
    return offsetBase.dec(r, path) - OFFSET_BIAS;
  },
};
const transitionCodec: Codec<TransitionRule> = struct<TransitionRule>({
  month: ranged(u8, 1, 12),
  week: ranged(u8, 1, 5, '(5 = last)'),
  weekday: ranged(u8, 0, 6, '(0 = Sunday)'),
  minute: ranged(u16, 0, 1439, 'min of local day'),
});
export const clockRuleCodec: Codec<ClockRule> = struct<ClockRule>({
  stdOffset: utcOffsetMinutes,
  dst: nullable(
    struct<NonNullable<ClockRule['dst']>>({
      delta: ranged(u8, 1, 120, 'min'),
      start: transitionCodec,
      end: transitionCodec,
    }),
  ),
});

export const programErrorCodec: Codec<ProgramError> = struct<ProgramError>({
  code: enumOf('ProgramErrorCode', PROGRAM_ERROR_CODES),
  field: str(MAX_ERROR_FIELD_BYTES, { truncate: true }),
  message: str(MAX_ERROR_MESSAGE_BYTES, { truncate: true }),
});
/** Longer error lists are cut to the first 16: the pump reports the first problems, not all. */
const programErrors = array(programErrorCodec, MAX_ERRORS, { truncate: true });

const alarmCodec: Codec<Alarm> = struct<Alarm>({
  code: alarmCode,
  priority: enumOf('AlarmPriority', ALARM_PRIORITIES),
  raisedAt: seconds,
  silencedUntil: nullable(seconds),
  nextToneAt: seconds,
});

export const pumpStatusCodec: Codec<PumpStatus> = struct<PumpStatus>({
  model,
  serial: str(MAX_SERIAL_BYTES, { ascii: true }),
  drugName: str(MAX_DRUG_NAME_BYTES),
  concentrationMcgPerMl: mcgPerMl,
  mode: enumOf('InfusionMode', INFUSION_MODES),
  deliverySuspended: bool,
  dailyDoseNgPerDay: ngPerDay,
  rateUlPerDay: perDay,
  reservoirVolumeUl: microlitres,
  reservoirCapacityUl: microlitres,
  lowReservoirAlarmVolumeUl: microlitres,
  lowReservoirAlarmTime: nullable(seconds),
  emptyTime: nullable(seconds),
  battery: enumOf('BatteryState', BATTERY_STATES),
  eriTime: nullable(seconds),
  replaceByTime: nullable(seconds),
  alarms: array(alarmCodec, MAX_ALARMS),
  pumpTime: seconds,
});

const flexStepCodec: Codec<FlexStep> = struct<FlexStep>({
  startSecondOfDay: secondOfDay,
  dailyDoseNgPerDay: ngPerDay,
});

export const therapyCodec: Codec<TherapyRequest> = union<TherapyRequest, 'mode'>('mode', {
  stopped: struct<object>({}) as Codec<never>,
  continuous: struct<{ dailyDoseNgPerDay: number }>({ dailyDoseNgPerDay: ngPerDay }) as Codec<never>,
  flex: struct<{ steps: FlexStep[] }>({ steps: array(flexStepCodec, MAX_FLEX_STEPS) }) as Codec<never>,
});

const patientBolusCodec: Codec<PatientBolusSettings> = struct<PatientBolusSettings>({
  amountNg: nanograms,
  durationS: duration,
  maxPerDay: ranged(u8, 0, 255, 'boluses/day'),
  lockoutS: duration,
});

export const pumpProgramCodec: Codec<PumpProgram> = struct<PumpProgram>({
  drugName: str(MAX_DRUG_NAME_BYTES),
  concentrationMcgPerMl: mcgPerMl,
  therapy: therapyCodec,
  lowReservoirAlarmVolumeUl: microlitres,
  patientBolus: nullable(patientBolusCodec),
  programmedAt: seconds,
  programVersion: u32,
});

const logEntryCodec: Codec<LogEntry> = struct<LogEntry>({
  seq: u32,
  time: seconds,
  kind: enumOf('LogKind', LOG_KINDS),
  detail: str(MAX_LOG_DETAIL_BYTES, { ascii: true }),
});

export const logPageCodec: Codec<LogPage> = struct<LogPage>({
  entries: array(logEntryCodec, MAX_LOG_COUNT),
  total: u32,
});

const bolusCodec: Codec<BolusRequest> = union<BolusRequest, 'kind'>('kind', {
  single: struct<{ amountNg: number; durationS: number }>({
    amountNg: nanograms,
    durationS: duration,
  }) as Codec<never>,
  bridge: struct<{ amountNg: number; durationS: number }>({
    amountNg: nanograms,
    durationS: duration,
  }) as Codec<never>,
  priming: struct<{ volumeUl: number; durationS: number }>({
    volumeUl: microlitres,
    durationS: duration,
  }) as Codec<never>,
});

const refillCodec: Codec<RefillRequest> = struct<RefillRequest>({
  withdrawnVolumeUl: microlitres,
  drugName: str(MAX_DRUG_NAME_BYTES),
  concentrationMcgPerMl: mcgPerMl,
  fillVolumeUl: microlitres,
});

/** `patientBolus?: settings | null`: three states, so one tag byte: 0 absent, 1 null (disable), 2 settings. */
const patientBolusChange: Codec<PatientBolusSettings | null | undefined> = {
  size: null,
  type: 'u8 tag (0 unchanged, 1 disable, 2 settings) + settings when 2',
  enc(w, v, path) {
    if (v === undefined) w.u8(0);
    else if (v === null) w.u8(1);
    else {
      w.u8(2);
      patientBolusCodec.enc(w, v, path);
    }
  },
  dec(r, path) {
    const tag = r.u8(path);
    if (tag === 0) return undefined;
    if (tag === 1) return null;
    if (tag === 2) return patientBolusCodec.dec(r, path);
    return fail(path, `patientBolus tag ${tag} is not 0, 1 or 2`);
  },
  rows: patientBolusCodec.rows,
};

export const programChangeCodec: Codec<ProgramChange> = struct<ProgramChange>({
  therapy: optional(therapyCodec),
  bolus: optional(bolusCodec),
  refill: optional(refillCodec),
  lowReservoirAlarmVolumeUl: optional(microlitres),
  patientBolus: patientBolusChange,
});

const consequencesCodec: Codec<ProgramConsequences> = struct<ProgramConsequences>({
  rateUlPerDay: perDay,
  effectiveDailyDoseNgPerDay: ngPerDay,
  reservoirVolumeAfterUl: microlitres,
  lowReservoirAlarmTime: nullable(seconds),
  emptyTime: nullable(seconds),
  daysToEmptyX1000: nullable(unit('days x 1000')),
});

// ------------------------------------------------------------------------------------------ message bodies
export interface OpenSessionRequest {
  programmerId: string;
  protocolVersion: number;
  programmerNonce: Uint8Array;
}
export interface OpenSessionReply {
  pumpSerial: string;
  model: PumpModel;
  protocolVersion: number;
  sessionId: number;
  pumpNonce: Uint8Array;
  /** Echo of the request's nonce: ties the answer to this OPEN_SESSION and no earlier one. */
  programmerNonce: Uint8Array;
}
export type PrepareReply =
  { ok: true; token: number; consequences: ProgramConsequences } | { ok: false; errors: ProgramError[] };
export interface CommitRequest {
  token: number;
  /** changeDigest(PREPARE payload) of the change prepared under `token` (auth.ts). */
  changeDigest: Uint8Array;
}
export type CommitReply = { ok: true; programVersion: number } | { ok: false; errors: ProgramError[] };
export interface SilenceAlarmRequest {
  until: number;
  /** null silences every active alarm. */
  code: AlarmCode | null;
}
export interface AlarmEvent {
  raised: boolean;
  code: AlarmCode;
  time: number;
}
export interface NakBody {
  /** Type id of the command refused (0xFF when even that was unreadable). */
  command: number;
  reason: NakReason;
  errors: ProgramError[];
}
type Empty = Record<string, never>;

const empty = struct<Empty>({} as never);
const okTag = (v: { ok: boolean }): string => (v.ok ? 'ok' : 'errors');
/** A copy of `v` with `ok` replaced. */
function withOk<V extends object, O>(v: V, ok: O): Omit<V, 'ok'> & { ok: O } {
  return { ...v, ok };
}

/** A result union tagged by `ok` (u8: 0 errors, 1 ok). */
function result<T extends { ok: boolean }>(okBody: Codec<never>): Codec<T> {
  const inner = union<{ ok: string }, 'ok'>('ok', {
    errors: struct<{ errors: ProgramError[] }>({ errors: programErrors }) as Codec<never>,
    ok: okBody,
  });
  return {
    size: null,
    type: inner.type,
    enc: (w: Writer, v: T, path: string) => inner.enc(w, withOk(v, okTag(v)), path),
    dec: (r: Reader, path: string) => {
      const v = inner.dec(r, path);
      return withOk(v, v.ok === 'ok') as unknown as T;
    },
    rows: inner.rows,
  };
}

/**
 * The command table: type id, request schema, reply (ACK body) schema, and whether the request must carry
 * a MAC. ACK type id = 0x80 | command id. Since version 3 every command of a session carries one: only
 * OPEN_SESSION, sent before a session key exists, does not.
 */
export const COMMANDS = {
  OPEN_SESSION: {
    id: 0x01,
    auth: false,
    request: struct<OpenSessionRequest>({
      programmerId: str(MAX_PROGRAMMER_ID_BYTES, { ascii: true }),
      protocolVersion: u8,
      programmerNonce: fixedBytes(NONCE_BYTES),
    }),
    reply: struct<OpenSessionReply>({
      pumpSerial: str(MAX_SERIAL_BYTES, { ascii: true }),
      model,
      protocolVersion: u8,
      sessionId: ranged(u16, 1, 0xffff),
      pumpNonce: fixedBytes(NONCE_BYTES),
      programmerNonce: fixedBytes(NONCE_BYTES),
    }),
  },
  CLOSE_SESSION: { id: 0x02, auth: true, request: empty, reply: empty },
  KEEPALIVE: {
    id: 0x03,
    auth: true,
    request: empty,
    reply: struct<{ pumpTime: number }>({ pumpTime: seconds }),
  },
  INTERROGATE: { id: 0x10, auth: true, request: empty, reply: pumpStatusCodec },
  READ_PROGRAM: { id: 0x11, auth: true, request: empty, reply: pumpProgramCodec },
  READ_LOG: {
    id: 0x12,
    auth: true,
    request: struct<{ offset: number; count: number }>({ offset: u32, count: ranged(u8, 1, MAX_LOG_COUNT) }),
    reply: logPageCodec,
  },
  PREPARE: {
    id: 0x20,
    auth: true,
    request: struct<{ change: ProgramChange }>({ change: programChangeCodec }),
    reply: result<PrepareReply>(
      struct<{ token: number; consequences: ProgramConsequences }>({
        token: u32,
        consequences: consequencesCodec,
      }) as Codec<never>,
    ),
  },
  COMMIT: {
    id: 0x21,
    auth: true,
    request: struct<CommitRequest>({ token: u32, changeDigest: fixedBytes(CHANGE_DIGEST_BYTES) }),
    reply: result<CommitReply>(struct<{ programVersion: number }>({ programVersion: u32 }) as Codec<never>),
  },
  STOP: { id: 0x22, auth: true, request: empty, reply: empty },
  RESUME: { id: 0x23, auth: true, request: empty, reply: empty },
  SILENCE_ALARM: {
    id: 0x24,
    auth: true,
    request: struct<SilenceAlarmRequest>({ until: seconds, code: nullable(alarmCode) }),
    reply: empty,
  },
  ALARM_TEST: { id: 0x25, auth: true, request: empty, reply: empty },
  CLOCK_SET: {
    id: 0x26,
    auth: true,
    request: clockRuleCodec,
    reply: struct<ClockSetResult>({ changed: bool, previous: clockRuleCodec }),
  },
} as const;

export type CommandName = keyof typeof COMMANDS;
type Dec<C> = C extends Codec<infer T> ? T : never;
export type RequestOf<K extends CommandName> = Dec<(typeof COMMANDS)[K]['request']>;
export type ReplyOf<K extends CommandName> = Dec<(typeof COMMANDS)[K]['reply']>;

/** Pump-initiated and acknowledgement messages (not commands: never answered with ACK/NAK). */
export const TYPE_EVENT_ACK = 0x30;
export const TYPE_ALARM_EVENT = 0x40;
export const TYPE_NAK = 0x7f;
export const ACK_BIT = 0x80;

export const alarmEventCodec: Codec<AlarmEvent> = struct<AlarmEvent>({
  raised: bool,
  code: alarmCode,
  time: seconds,
});
export const nakCodec: Codec<NakBody> = struct<NakBody>({
  command: u8,
  reason: enumOf('NakReason', NAK_REASONS),
  errors: programErrors,
});

export type Message =
  | { [K in CommandName]: { kind: 'command'; command: K; body: RequestOf<K> } }[CommandName]
  | { [K in CommandName]: { kind: 'ack'; command: K; body: ReplyOf<K> } }[CommandName]
  | { kind: 'nak'; body: NakBody }
  | { kind: 'alarmEvent'; body: AlarmEvent }
  | { kind: 'eventAck' };

export const COMMAND_BY_ID = new Map<number, CommandName>(
  (Object.keys(COMMANDS) as CommandName[]).map((k) => [COMMANDS[k].id, k]),
);

/** Type id of a message. */
export function messageTypeId(m: Message): number {
  switch (m.kind) {
    case 'command':
      return COMMANDS[m.command].id;
    case 'ack':
      return COMMANDS[m.command].id | ACK_BIT;
    case 'nak':
      return TYPE_NAK;
    case 'alarmEvent':
      return TYPE_ALARM_EVENT;
    case 'eventAck':
      return TYPE_EVENT_ACK;
  }
}

/** Encode a message's payload. Throws EncodeError when a value does not fit its field. */
export function encodePayload(m: Message): Uint8Array {
  switch (m.kind) {
    case 'command':
      return encodeAll(COMMANDS[m.command].request as Codec<unknown>, m.body);
    case 'ack':
      return encodeAll(COMMANDS[m.command].reply as Codec<unknown>, m.body);
    case 'nak':
      return encodeAll(nakCodec, m.body);
    case 'alarmEvent':
      return encodeAll(alarmEventCodec, m.body);
    case 'eventAck':
      return new Uint8Array(0);
  }
}

export type MessageResult =
  | { ok: true; message: Message }
  | { ok: false; reason: 'UNKNOWN_TYPE' | 'MALFORMED'; field: string; detail: string };

function malformed(field: string, detail: string): MessageResult {
  return { ok: false, reason: 'MALFORMED', field, detail };
}

function decodeWith<T>(c: Codec<T>, payload: Uint8Array): { ok: true; value: T } | MessageResult {
  const r = decodeAll(c, payload);
  return r.ok ? r : malformed(r.field, r.message);
}

/** Decode a payload by its type id. Never throws. */
export function decodePayload(type: number, payload: Uint8Array): MessageResult {
  if (type === TYPE_NAK) {
    const r = decodeWith(nakCodec, payload);
    return 'value' in r ? { ok: true, message: { kind: 'nak', body: r.value } } : r;
  }
  if (type === TYPE_ALARM_EVENT) {
    const r = decodeWith(alarmEventCodec, payload);
    return 'value' in r ? { ok: true, message: { kind: 'alarmEvent', body: r.value } } : r;
  }
  if (type === TYPE_EVENT_ACK)
    return payload.length === 0
      ? { ok: true, message: { kind: 'eventAck' } }
      : malformed('', 'EVENT_ACK has no payload');
  const name = COMMAND_BY_ID.get(type & ~ACK_BIT);
  if (name === undefined)
    return { ok: false, reason: 'UNKNOWN_TYPE', field: '', detail: `type 0x${hex2(type)}` };
  const def = COMMANDS[name];
  const ackBit = (type & ACK_BIT) !== 0;
  const r = decodeWith((ackBit ? def.reply : def.request) as Codec<unknown>, payload);
  if (!('value' in r)) return r;
  return {
    ok: true,
    message: (ackBit
      ? { kind: 'ack', command: name, body: r.value }
      : { kind: 'command', command: name, body: r.value }) as Message,
  };
}

export function hex2(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

/** Short one-line description of a message for monitors and logs. */
export function summarize(m: Message): string {
  switch (m.kind) {
    case 'command':
      return m.command;
    case 'ack':
      return `ACK ${m.command}`;
    case 'nak':
      return `NAK ${COMMAND_BY_ID.get(m.body.command) ?? '0x' + hex2(m.body.command)} ${m.body.reason}`;
    case 'alarmEvent':
      return `ALARM_EVENT ${m.body.raised ? 'raised' : 'cleared'} ${m.body.code} @${m.body.time}`;
    case 'eventAck':
      return 'EVENT_ACK';
  }
}

/** What the bench's protocol monitor sees of every frame, in and out. */
export interface FrameInfo {
  direction: 'rx' | 'tx';
  /** Host time (ms, from `now`). */
  at: number;
  /** The frame before COBS (for undecodable input: the bytes between delimiters). */
  bytes: Uint8Array;
  frame: Frame | null;
  message: Message | null;
  /** Why the frame was dropped or refused, or null. */
  error: string | null;
  summary: string;
}

export { EncodeError };
