/**
 * The Pump facade over the XState actor: synchronous, deterministic, time moves only through advanceTo.
 * Checks run first (pure) so that a refused command returns its errors and changes nothing.
 */
import { createActor, type Actor } from 'xstate';
import { checkClock, checkFault, checkPatientBolus, checkResume, checkSilence, checkStop } from './commands';
import { sameClockRule, type ClockRule } from '../shared/device-facts/local-clock';
import { readLog } from './log';
import {
  FAULT_KINDS,
  pumpMachine,
  stateValueOf,
  type DeliveryState,
  type PumpEvent,
  type PumpInput,
} from './machine';
import { nextEventTime } from './next-event';
import type {
  ClockSetResult,
  CommandResult,
  Pump,
  PumpNotification,
  PumpOptions,
  PumpProgram,
  PumpSnapshot,
} from './pump-api';
import { fromSnapshot, toSnapshot } from './snapshot';
import type { PumpState } from './state';
import { deriveProgram, deriveStatus, deriveTruth } from './status';
import type {
  AlarmCode,
  DeviceFault,
  FaultKind,
  LogPage,
  ProgramChange,
  ProgramError,
  PumpModel,
  PumpStatus,
  PumpTruth,
  PumpInstant,
  ValidationResult,
} from './types';
import { programErrors, validateProgram } from './validate';

/** Freeze plain data (objects and arrays) all the way down. */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const OK: CommandResult = { ok: true, value: undefined };
const refuse = (errors: ProgramError[]): CommandResult<never> => ({ ok: false, errors });

export class VirtualPump implements Pump {
  readonly model: PumpModel;
  readonly serial: string;
  private readonly actor: Actor<typeof pumpMachine>;
  private readonly listeners = new Set<(n: PumpNotification) => void>();
  private buffer: PumpNotification[] = [];
  // status() and program() are pure functions of the machine context, which every event replaces (never
  // mutates): each is derived once per context and handed out frozen, so callers share it safely. A
  // programmer polling an unchanged pump (or one whose clock ticks once a second) costs no derivation.
  private statusOf: PumpState | null = null;
  private statusMemo: PumpStatus | null = null;
  private programOf: PumpState | null = null;
  private programMemo: PumpProgram | null = null;

  constructor(input: PumpInput) {
    // A restored pump starts in the regions its memory belongs in (the machine's initial states are a new
    // pump's); a new one from the machine's own initial states.
    this.actor =
      'state' in input
        ? createActor(pumpMachine, {
            input,
            snapshot: pumpMachine.resolveState({
              value: stateValueOf(input.state),
              context: structuredClone(input.state),
            }),
          })
        : createActor(pumpMachine, { input });
    // Notifications are buffered during a send and delivered afterwards, outside the actor, so that a
    // throwing listener can never put the machine into an error state.
    this.actor.on('notifications', (e) => {
      for (const n of e.notes) this.buffer.push(n);
    });
    this.actor.start();
    const s = this.state();
    this.model = s.model;
    this.serial = s.serial;
  }

  /** The raw machine context (plain data; do not mutate). */
  state(): PumpState {
    return this.actor.getSnapshot().context;
  }

  /** The delivery region's state, e.g. "infusing" or "endOfService". */
  machineState(): DeliveryState {
    return this.regions().delivery as DeliveryState;
  }

  /** Every region's state as a dotted path, e.g. { delivery: 'infusing', alarms: 'sounding.critical' }. */
  regions(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (v: unknown, path: string[]): string =>
      typeof v === 'string'
        ? [...path, v].join('.')
        : Object.entries(v as Record<string, unknown>)
            .map(([k, c]) => walk(c, [...path, k]))
            .join(',');
    for (const [region, v] of Object.entries(this.actor.getSnapshot().value as Record<string, unknown>)) {
      out[region] = walk(v, []);
    }
    return out;
  }

  private send(event: PumpEvent): void {
    this.buffer = [];
    this.actor.send(event);
    const snap = this.actor.getSnapshot();
    if (snap.status === 'error') throw new Error(`pump model failed: ${String(snap.error)}`);
    const notes = this.buffer;
    this.buffer = [];
    notes.push({ type: 'changed', time: snap.context.now });
    for (const n of notes) for (const l of [...this.listeners]) l(n);
  }

  now(): PumpInstant {
    return this.state().now;
  }

  advanceTo(to: PumpInstant): void {
    if (!Number.isSafeInteger(to))
      throw new RangeError(`advanceTo: time must be an integer number of seconds, got ${to}`);
    const now = this.now();
    if (to < now) throw new RangeError(`advanceTo: time cannot go backwards (now ${now}, requested ${to})`);
    if (to === now) return;
    this.send({ type: 'CLOCK.ADVANCE', to });
  }

  nextEventTime(): PumpInstant | null {
    return nextEventTime(this.state());
  }

  status(): PumpStatus {
    const s = this.state();
    if (this.statusOf !== s) {
      this.statusOf = s;
      this.statusMemo = deepFreeze(deriveStatus(s));
    }
    return this.statusMemo!;
  }

  program(): PumpProgram {
    const s = this.state();
    if (this.programOf !== s) {
      this.programOf = s;
      this.programMemo = deepFreeze(deriveProgram(s));
    }
    return this.programMemo!;
  }

  truth(): PumpTruth {
    return deriveTruth(this.state());
  }

  readLog(offset: number, count: number): LogPage {
    return readLog(this.state(), offset, count);
  }

  validate(change: ProgramChange): ValidationResult {
    return validateProgram(this.state(), change);
  }

  apply(change: ProgramChange): CommandResult<PumpProgram> {
    const begun = this.beginUpdate(change);
    if (!begun.ok) return begun;
    return this.commitUpdate();
  }

  /** First half of apply: validates, stops the pump and holds the change (machine state "updating"). */
  beginUpdate(change: ProgramChange): CommandResult {
    const errors = programErrors(this.state(), change);
    if (errors.length > 0) return refuse(errors);
    this.send({ type: 'PROGRAM.BEGIN', change: structuredClone(change) });
    return OK;
  }

  /** Second half of apply: writes the held change atomically and restarts the pump. */
  commitUpdate(): CommandResult<PumpProgram> {
    const s = this.state();
    if (!s.updating)
      return refuse([{ code: 'NOT_ALLOWED_IN_STATE', field: '', message: 'no update in progress' }]);
    const errors = programErrors({ ...s, updating: null }, s.updating.change);
    if (errors.length > 0) return refuse(errors);
    this.send({ type: 'PROGRAM.COMMIT' });
    return { ok: true, value: this.program() };
  }

  /** An abandoned update: the pump stays stopped (and says so in its log). */
  abortUpdate(): CommandResult {
    if (!this.state().updating) {
      return refuse([{ code: 'NOT_ALLOWED_IN_STATE', field: '', message: 'no update in progress' }]);
    }
    this.send({ type: 'PROGRAM.ABORT' });
    return OK;
  }

  stop(): CommandResult {
    const e = checkStop(this.state());
    if (e.length > 0) return refuse(e);
    this.send({ type: 'STOP' });
    return OK;
  }

  resume(): CommandResult {
    const e = checkResume(this.state());
    if (e.length > 0) return refuse(e);
    this.send({ type: 'RESUME' });
    return OK;
  }

  patientBolus(): CommandResult {
    const e = checkPatientBolus(this.state());
    // Sent either way: the pump logs a refused activation with its reason.
    if (this.machineState() !== 'endOfService') this.send({ type: 'PATIENT_BOLUS' });
    return e.length > 0 ? refuse(e) : OK;
  }

  silenceAlarm(until: PumpInstant, code?: AlarmCode): CommandResult {
    const e = checkSilence(this.state(), until, code);
    if (e.length > 0) return refuse(e);
    this.send(code === undefined ? { type: 'ALARM.SILENCE', until } : { type: 'ALARM.SILENCE', until, code });
    return OK;
  }

  alarmTest(): CommandResult {
    this.send({ type: 'ALARM.TEST' });
    return OK;
  }

  setClock(rule: ClockRule): CommandResult<ClockSetResult> {
    const e = checkClock(rule);
    if (e.length > 0) return refuse(e);
    const previous = this.state().clock;
    const changed = !sameClockRule(previous, rule);
    if (changed) this.send({ type: 'CLOCK.SET', rule: structuredClone(rule) });
    return { ok: true, value: { changed, previous: structuredClone(previous) } };
  }

  injectFault(fault: DeviceFault): void {
    checkFault(fault);
    this.send({ type: 'FAULT.INJECT', fault: structuredClone(fault) });
  }

  clearFault(kind: FaultKind): void {
    if (!FAULT_KINDS.includes(kind)) throw new RangeError(`unknown fault kind "${String(kind)}"`);
    this.send({ type: 'FAULT.CLEAR', kind });
  }

  snapshot(): PumpSnapshot {
    return toSnapshot(this.state());
  }

  subscribe(listener: (n: PumpNotification) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

export function createPump(options: PumpOptions): VirtualPump {
  return new VirtualPump({ model: options.model, serial: options.serial, startTime: options.startTime });
}

export function restorePump(snapshot: PumpSnapshot): VirtualPump {
  return new VirtualPump({ state: fromSnapshot(snapshot) });
}
