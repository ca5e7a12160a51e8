/**
 * The pump as an XState v5 machine. Context is the plain PumpState; every action calls a pure reducer
 * (advance, applyProgramTo, commands) and emits the notifications it produced. No `after`, no `invoke`:
 * time is the CLOCK.ADVANCE event. After every event the machine routes itself (eventless transitions)
 * to the state the context belongs in (`phaseOf`), so restored snapshots land in the right state too.
 */
import { enqueueActions, setup } from 'xstate';
import type { Notes } from './alarms';
import { advance, reduce } from './advance';
import {
  alarmTest,
  checkFault,
  checkResume,
  checkSilence,
  checkStop,
  clearFault,
  injectFault,
  patientBolus,
  resume,
  silence,
  stop,
} from './commands';
import { abortUpdate, applyProgramTo, beginUpdate } from './program';
import type { PumpNotification } from './pump-api';
import { initialState, phaseOf, type Phase, type PumpState } from './state';
import type { AlarmCode, DeviceFault, FaultKind, PumpModel, ProgramChange } from './types';
import { programErrors } from './validate';

export type PumpEvent =
  | { type: 'CLOCK.ADVANCE'; to: number }
  | { type: 'PROGRAM.BEGIN'; change: ProgramChange }
  | { type: 'PROGRAM.COMMIT' }
  | { type: 'PROGRAM.ABORT' }
  | { type: 'STOP' }
  | { type: 'RESUME' }
  | { type: 'PATIENT_BOLUS' }
  | { type: 'ALARM.SILENCE'; until: number; code?: AlarmCode }
  | { type: 'ALARM.TEST' }
  | { type: 'FAULT.INJECT'; fault: DeviceFault }
  | { type: 'FAULT.CLEAR'; kind: FaultKind };

export type PumpInput = { model: PumpModel; serial: string; startTime: number } | { state: PumpState };

/** Every fault kind, once: the bench API's schema (firmware-sim/bench-schema.ts) is built from this list. */
export const FAULT_KINDS = [
  'catheter',
  'overInfusion',
  'pocketFill',
  'battery',
  'motorStall',
  'memoryError',
] as const satisfies readonly FaultKind[];

/** What the machine emits: the notifications one event produced, in order. */
export type PumpEmitted = { type: 'notifications'; notes: PumpNotification[] };

type Result = { state: PumpState; notes: Notes };

/** The states inside `operating`, each reached when phaseOf(context) names it. */
export const OPERATING_STATES = ['stopped', 'infusing', 'bolusing', 'updating', 'suspended'] as const;

/** Accepted in every operating state except `updating` (one update at a time; no stop mid-update). */
const RUNNING_EVENTS = {
  STOP: { guard: 'canStop', actions: 'run' },
  'PROGRAM.BEGIN': { guard: 'validProgram', actions: 'run' },
} as const;

export const pumpMachine = setup({
  types: {
    context: {} as PumpState,
    events: {} as PumpEvent,
    input: {} as PumpInput,
    emitted: {} as PumpEmitted,
  },
  guards: {
    isPhase: ({ context }, params: { phase: Phase }) => phaseOf(context) === params.phase,
    validAdvance: ({ context, event }) =>
      event.type === 'CLOCK.ADVANCE' && Number.isSafeInteger(event.to) && event.to >= context.now,
    validProgram: ({ context, event }) =>
      event.type === 'PROGRAM.BEGIN' && programErrors(context, event.change).length === 0,
    validCommit: ({ context }) =>
      context.updating !== null &&
      programErrors({ ...context, updating: null }, context.updating.change).length === 0,
    canStop: ({ context }) => checkStop(context).length === 0,
    canResume: ({ context }) => checkResume(context).length === 0,
    validFault: ({ event }) => {
      if (event.type !== 'FAULT.INJECT') return false;
      try {
        checkFault(event.fault);
        return true;
      } catch {
        return false;
      }
    },
    validFaultKind: ({ event }) => event.type === 'FAULT.CLEAR' && FAULT_KINDS.includes(event.kind),
    canSilence: ({ context, event }) =>
      event.type === 'ALARM.SILENCE' && checkSilence(context, event.until, event.code).length === 0,
  },
  actions: {
    run: enqueueActions(({ context, event, enqueue }) => {
      const r = reduceEvent(context, event);
      enqueue.assign(() => r.state);
      // One batched emission per event: ten years of alarm tones would otherwise queue 10^5 deferred emits.
      if (r.notes.length > 0) enqueue.emit({ type: 'notifications', notes: r.notes });
    }),
  },
}).createMachine({
  id: 'pump',
  context: ({ input }) =>
    'state' in input
      ? structuredClone(input.state)
      : initialState(input.model, input.serial, input.startTime),
  initial: 'operating',
  on: {
    'CLOCK.ADVANCE': { guard: 'validAdvance', actions: 'run' },
    'ALARM.SILENCE': { guard: 'canSilence', actions: 'run' },
    'ALARM.TEST': { actions: 'run' },
    'FAULT.INJECT': { guard: 'validFault', actions: 'run' },
    'FAULT.CLEAR': { guard: 'validFaultKind', actions: 'run' },
  },
  states: {
    operating: {
      initial: 'stopped',
      always: { guard: { type: 'isPhase', params: { phase: 'endOfService' } }, target: 'endOfService' },
      on: {
        // Always accepted: a refused patient bolus is logged with its reason.
        PATIENT_BOLUS: { actions: 'run' },
      },
      states: {
        stopped: {
          always: routes('stopped'),
          on: { ...RUNNING_EVENTS, RESUME: { guard: 'canResume', actions: 'run' } },
        },
        infusing: { always: routes('infusing'), on: RUNNING_EVENTS },
        bolusing: { always: routes('bolusing'), on: RUNNING_EVENTS },
        updating: {
          always: routes('updating'),
          on: {
            'PROGRAM.COMMIT': { guard: 'validCommit', actions: 'run' },
            'PROGRAM.ABORT': { actions: 'run' },
          },
        },
        suspended: { always: routes('suspended'), on: RUNNING_EVENTS },
      },
    },
    endOfService: {},
  },
});

function routes(current: (typeof OPERATING_STATES)[number]) {
  return OPERATING_STATES.filter((s) => s !== current).map((s) => ({
    guard: { type: 'isPhase' as const, params: { phase: s } },
    target: s,
  }));
}

/** The pure reducer behind every event (exported for tests and for running the model without an actor). */
export function reduceEvent(context: PumpState, event: PumpEvent): Result {
  switch (event.type) {
    case 'CLOCK.ADVANCE':
      return advance(context, event.to);
    case 'PROGRAM.BEGIN':
      return reduce(context, (s) => beginUpdate(s, event.change));
    case 'PROGRAM.COMMIT':
      return reduce(context, (s, notes) => {
        if (s.updating) applyProgramTo(s, notes, s.updating.change);
      });
    case 'PROGRAM.ABORT':
      return reduce(context, (s) => abortUpdate(s));
    case 'STOP':
      return reduce(context, (s) => stop(s));
    case 'RESUME':
      return reduce(context, (s) => resume(s));
    case 'PATIENT_BOLUS':
      return reduce(context, (s) => patientBolus(s));
    case 'ALARM.SILENCE':
      return reduce(context, (s) => silence(s, event.until, event.code));
    case 'ALARM.TEST':
      return reduce(context, (s, notes) => alarmTest(s, notes));
    case 'FAULT.INJECT':
      return reduce(context, (s, notes) => injectFault(s, notes, event.fault));
    case 'FAULT.CLEAR':
      return reduce(context, (s, notes) => clearFault(s, notes, event.kind));
  }
}
