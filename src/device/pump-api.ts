/**
 * The pump as the device host and the protocol server see it: a facade over the XState actor.
 * Everything is synchronous and deterministic; time only moves through `advanceTo`.
 */
import type {
  DeviceFault,
  FaultKind,
  LogPage,
  PatientBolusSettings,
  ProgramChange,
  ProgramError,
  PumpModel,
  PumpStatus,
  PumpTruth,
  PumpInstant,
  TherapyRequest,
  ValidationResult,
  AlarmCode,
  AlarmPriority,
  RefillRequest,
  McgPerMl,
  Microlitres,
} from './types';
import type { ClockRule } from '../shared/device-facts/local-clock';

/** The current program as the pump stores it (read back by the programmer to verify an update). */
export interface PumpProgram {
  drugName: string;
  concentrationMcgPerMl: McgPerMl;
  therapy: TherapyRequest;
  lowReservoirAlarmVolumeUl: Microlitres;
  patientBolus: PatientBolusSettings | null;
  /** Pump time of the last applied program. */
  programmedAt: PumpInstant;
  /** Counter incremented by every applied program; the programmer compares it before and after. */
  programVersion: number;
}

/** CLOCK_SET's answer: whether the rule changed, and the rule the pump kept before. */
export interface ClockSetResult {
  changed: boolean;
  previous: ClockRule;
}

export type CommandResult<T = void> = { ok: true; value: T } | { ok: false; errors: ProgramError[] };

/** Emitted to listeners after every change; the host persists and the bench streams on these. */
export type PumpNotification =
  | { type: 'alarmRaised'; code: AlarmCode; time: PumpInstant }
  | { type: 'alarmCleared'; code: AlarmCode; time: PumpInstant }
  /** `priority` selects the tone pattern (TONE_PATTERNS); `test` marks the tones of an alarm test. */
  | { type: 'tone'; code: AlarmCode; time: PumpInstant; priority?: AlarmPriority; test?: boolean }
  | { type: 'changed'; time: PumpInstant };

export interface PumpOptions {
  model: PumpModel;
  serial: string;
  /** Pump time at manufacture. */
  startTime: PumpInstant;
}

export interface Pump {
  readonly model: PumpModel;
  readonly serial: string;
  /** Current pump time. */
  now(): PumpInstant;
  /** Integrate delivery exactly up to `to` (>= now), handling every threshold crossed on the way. */
  advanceTo(to: PumpInstant): void;
  /** The next instant at which something happens by itself, or null if nothing ever will. */
  nextEventTime(): PumpInstant | null;

  /** Derived from the state: the same deeply frozen object for as long as the state has not changed. */
  status(): PumpStatus;
  /** As `status`: one deeply frozen object per state. */
  program(): PumpProgram;
  truth(): PumpTruth;
  readLog(offset: number, count: number): LogPage;

  /** Validate a proposed program and report its consequences; changes nothing. */
  validate(change: ProgramChange): ValidationResult;
  /** Apply atomically (stopped while updating, then resumes); an invalid change changes nothing. */
  apply(change: ProgramChange): CommandResult<PumpProgram>;

  stop(): CommandResult;
  resume(): CommandResult;
  /** Patient-activated bolus (myPTM): refused with a reason when not allowed. */
  patientBolus(): CommandResult;
  /** Silence one alarm (or all, when code is omitted) until `until`. */
  silenceAlarm(until: PumpInstant, code?: AlarmCode): CommandResult;
  /** Sound every tone pattern once so the patient learns them; logged. */
  alarmTest(): CommandResult;
  /** Set the patient's local-time rule (logged as CLOCK_SET when it changed); returns the rule it replaced. */
  setClock(rule: ClockRule): CommandResult<ClockSetResult>;

  injectFault(fault: DeviceFault): void;
  clearFault(kind: FaultKind): void;

  /** Versioned plain data: the pump's non-volatile memory. `restorePump(snapshot())` is identical. */
  snapshot(): PumpSnapshot;
  subscribe(listener: (n: PumpNotification) => void): () => void;
}

export interface PumpSnapshot {
  version: 1;
  /** Opaque to the host: the serialised machine context. */
  state: unknown;
}

export type { RefillRequest };
