/** fast-check arbitraries for every message on the wire, within each field's documented limits. */
import fc from 'fast-check';
import type { PumpProgram } from '../../src/device/pump-api';
import type {
  Alarm,
  BolusRequest,
  LogPage,
  PatientBolusSettings,
  ProgramChange,
  ProgramConsequences,
  ProgramError,
  PumpStatus,
  TherapyRequest,
} from '../../src/device/types';
import {
  ALARM_CODES,
  ALARM_PRIORITIES,
  BATTERY_STATES,
  INFUSION_MODES,
  LOG_KINDS,
  type Message,
  NAK_REASONS,
  PROGRAM_ERROR_CODES,
  PUMP_MODELS,
} from '../../src/protocol/messages/messages';

const enc = new TextEncoder();
export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
const nul = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });
export const ascii = (max: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: max,
  });
export const utf8 = (maxBytes: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength: maxBytes }).filter((s) => enc.encode(s).length <= maxBytes);
const bytes8 = fc.uint8Array({ minLength: 8, maxLength: 8 });

const programError: fc.Arbitrary<ProgramError> = fc.record({
  code: fc.constantFrom(...PROGRAM_ERROR_CODES),
  field: ascii(64),
  message: utf8(120),
});
const errors = fc.array(programError, { maxLength: 16 });

const alarm: fc.Arbitrary<Alarm> = fc.record({
  code: fc.constantFrom(...ALARM_CODES),
  priority: fc.constantFrom(...ALARM_PRIORITIES),
  raisedAt: u32,
  silencedUntil: nul(u32),
  nextToneAt: u32,
});

export const pumpStatus: fc.Arbitrary<PumpStatus> = fc.record({
  model: fc.constantFrom(...PUMP_MODELS),
  serial: ascii(32),
  drugName: utf8(32),
  concentrationMcgPerMl: u32,
  mode: fc.constantFrom(...INFUSION_MODES),
  deliverySuspended: fc.boolean(),
  dailyDoseNgPerDay: u32,
  rateUlPerDay: u32,
  reservoirVolumeUl: u32,
  reservoirCapacityUl: u32,
  lowReservoirAlarmVolumeUl: u32,
  lowReservoirAlarmTime: nul(u32),
  emptyTime: nul(u32),
  battery: fc.constantFrom(...BATTERY_STATES),
  eriTime: nul(u32),
  replaceByTime: nul(u32),
  alarms: fc.array(alarm, { maxLength: 16 }),
  pumpTime: u32,
});

export const therapy: fc.Arbitrary<TherapyRequest> = fc.oneof(
  fc.constant({ mode: 'stopped' as const }),
  fc.record({ mode: fc.constant('continuous' as const), dailyDoseNgPerDay: u32 }),
  fc.record({
    mode: fc.constant('flex' as const),
    steps: fc.array(
      fc.record({ startSecondOfDay: fc.integer({ min: 0, max: 86399 }), dailyDoseNgPerDay: u32 }),
      {
        maxLength: 64,
      },
    ),
  }),
);
const patientBolus: fc.Arbitrary<PatientBolusSettings> = fc.record({
  amountNg: u32,
  durationS: u32,
  maxPerDay: u8,
  lockoutS: u32,
});
export const pumpProgram: fc.Arbitrary<PumpProgram> = fc.record({
  drugName: utf8(32),
  concentrationMcgPerMl: u32,
  therapy,
  lowReservoirAlarmVolumeUl: u32,
  patientBolus: nul(patientBolus),
  programmedAt: u32,
  programVersion: u32,
});
const bolus: fc.Arbitrary<BolusRequest> = fc.oneof(
  fc.record({ kind: fc.constant('single' as const), amountNg: u32, durationS: u32 }),
  fc.record({ kind: fc.constant('bridge' as const), amountNg: u32, durationS: u32 }),
  fc.record({ kind: fc.constant('priming' as const), volumeUl: u32, durationS: u32 }),
);
export const programChange: fc.Arbitrary<ProgramChange> = fc.record(
  {
    therapy,
    bolus,
    refill: fc.record({
      withdrawnVolumeUl: u32,
      drugName: utf8(32),
      concentrationMcgPerMl: u32,
      fillVolumeUl: u32,
    }),
    lowReservoirAlarmVolumeUl: u32,
    patientBolus: nul(patientBolus),
  },
  { requiredKeys: [] },
);
const consequences: fc.Arbitrary<ProgramConsequences> = fc.record({
  rateUlPerDay: u32,
  effectiveDailyDoseNgPerDay: u32,
  reservoirVolumeAfterUl: u32,
  lowReservoirAlarmTime: nul(u32),
  emptyTime: nul(u32),
  daysToEmptyX1000: nul(u32),
});
const logPage: fc.Arbitrary<LogPage> = fc.record({
  entries: fc.array(
    fc.record({ seq: u32, time: u32, kind: fc.constantFrom(...LOG_KINDS), detail: ascii(64) }),
    {
      maxLength: 50,
    },
  ),
  total: u32,
});
const empty = fc.constant({});

const transition = fc.record({
  month: fc.integer({ min: 1, max: 12 }),
  week: fc.integer({ min: 1, max: 5 }),
  weekday: fc.integer({ min: 0, max: 6 }),
  minute: fc.integer({ min: 0, max: 1439 }),
});
/** Any rule the wire can carry (the pump itself refuses a start and end on the same day). */
const clockRule = fc.record({
  stdOffset: fc.integer({ min: -720, max: 840 }),
  dst: nul(fc.record({ delta: fc.integer({ min: 1, max: 120 }), start: transition, end: transition })),
});

const cmd = <B>(command: string, body: fc.Arbitrary<B>): fc.Arbitrary<Message> =>
  body.map((b) => ({ kind: 'command', command, body: b }) as Message);
const ack = <B>(command: string, body: fc.Arbitrary<B>): fc.Arbitrary<Message> =>
  body.map((b) => ({ kind: 'ack', command, body: b }) as Message);

/** Every message type, each with its own arbitrary body (keyed by a label for coverage checks). */
export const messagesByType: Record<string, fc.Arbitrary<Message>> = {
  OPEN_SESSION: cmd(
    'OPEN_SESSION',
    fc.record({ programmerId: ascii(32), protocolVersion: u8, programmerNonce: bytes8 }),
  ),
  CLOSE_SESSION: cmd('CLOSE_SESSION', empty),
  KEEPALIVE: cmd('KEEPALIVE', empty),
  INTERROGATE: cmd('INTERROGATE', empty),
  READ_PROGRAM: cmd('READ_PROGRAM', empty),
  READ_LOG: cmd('READ_LOG', fc.record({ offset: u32, count: fc.integer({ min: 1, max: 50 }) })),
  PREPARE: cmd('PREPARE', fc.record({ change: programChange })),
  COMMIT: cmd(
    'COMMIT',
    fc.record({ token: u32, changeDigest: fc.uint8Array({ minLength: 16, maxLength: 16 }) }),
  ),
  STOP: cmd('STOP', empty),
  RESUME: cmd('RESUME', empty),
  SILENCE_ALARM: cmd('SILENCE_ALARM', fc.record({ until: u32, code: nul(fc.constantFrom(...ALARM_CODES)) })),
  ALARM_TEST: cmd('ALARM_TEST', empty),
  CLOCK_SET: cmd('CLOCK_SET', clockRule),
  'ACK OPEN_SESSION': ack(
    'OPEN_SESSION',
    fc.record({
      pumpSerial: ascii(32),
      model: fc.constantFrom(...PUMP_MODELS),
      protocolVersion: u8,
      sessionId: fc.integer({ min: 1, max: 0xffff }),
      pumpNonce: bytes8,
      programmerNonce: bytes8,
    }),
  ),
  'ACK CLOSE_SESSION': ack('CLOSE_SESSION', empty),
  'ACK KEEPALIVE': ack('KEEPALIVE', fc.record({ pumpTime: u32 })),
  'ACK INTERROGATE': ack('INTERROGATE', pumpStatus),
  'ACK READ_PROGRAM': ack('READ_PROGRAM', pumpProgram),
  'ACK READ_LOG': ack('READ_LOG', logPage),
  'ACK PREPARE': ack(
    'PREPARE',
    fc.oneof(
      fc.record({ ok: fc.constant(true), token: u32, consequences }),
      fc.record({ ok: fc.constant(false), errors }),
    ),
  ),
  'ACK COMMIT': ack(
    'COMMIT',
    fc.oneof(
      fc.record({ ok: fc.constant(true), programVersion: u32 }),
      fc.record({ ok: fc.constant(false), errors }),
    ),
  ),
  'ACK STOP': ack('STOP', empty),
  'ACK RESUME': ack('RESUME', empty),
  'ACK SILENCE_ALARM': ack('SILENCE_ALARM', empty),
  'ACK ALARM_TEST': ack('ALARM_TEST', empty),
  'ACK CLOCK_SET': ack('CLOCK_SET', fc.record({ changed: fc.boolean(), previous: clockRule })),
  NAK: fc
    .record({ command: u8, reason: fc.constantFrom(...NAK_REASONS), errors })
    .map((body) => ({ kind: 'nak', body }) as Message),
  ALARM_EVENT: fc
    .record({ raised: fc.boolean(), code: fc.constantFrom(...ALARM_CODES), time: u32 })
    .map((body) => ({ kind: 'alarmEvent', body }) as Message),
  EVENT_ACK: fc.constant({ kind: 'eventAck' } as Message),
};

export const anyMessage: fc.Arbitrary<Message> = fc.oneof(...Object.values(messagesByType));
