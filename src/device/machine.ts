/**
 * The pump as an XState v5 statechart: parallel regions (reservoir, battery, motor, memory, catheter,
 * delivery, alarms), each owning its transitions. The context is the plain PumpState (volumes, program,
 * log: the pump's memory); every action is a named pure function over a working copy of it.
 *
 * Time is the CLOCK.ADVANCE event (no `after`, no `invoke`): `deliverUntil` integrates delivery exactly up
 * to the next threshold crossing (reservoir low or empty, ERI, end of service, stall recovery, bolus end,
 * occlusion sensed, end of a silence), which is raised as an event for the regions to handle; then the
 * clock event is raised again until its target is reached. Commands settle the same way: whatever their
 * action made due is raised as crossings, then ALARM.UPDATE lets the alarms region follow.
 *
 * Regions are declared in the order the pump handles what is due in one second (reservoir before battery
 * before motor, the delivery region's reaction after them): XState runs a microstep's actions in document
 * order. `stateValueOf` gives the state a context belongs in; it places a restored snapshot, and the
 * model-based test checks after every step that the regions agree with it.
 */
import { enqueueActions, setup, type StateValue } from 'xstate';
import {
  cancelBolus,
  CROSSING_HANDLERS,
  deliverUntil,
  dueCrossings,
  endBolus,
  reachEndOfService,
  reachEri,
  recoverMotor,
  reservoirAlarmLevel,
  reservoirLevel,
  senseOcclusion,
  type Crossing,
} from './advance';
import { clearAlarm, soundDueTones, type Notes } from './alarms';
import {
  alarmTest,
  checkClock,
  checkFault,
  checkPatientBolus,
  checkResume,
  checkSilence,
  checkStop,
  clearFault,
  injectFault,
  patientBolus,
  resume,
  setClock,
  silence,
  stop,
} from './commands';
import { abortUpdate, applyProgramTo, beginUpdate } from './program';
import type { PumpNotification } from './pump-api';
import { draft, initialState, phaseOf, suspendReason, type PumpState } from './state';
import type { ClockRule } from '../shared/device-facts/local-clock';
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
  | { type: 'CLOCK.SET'; rule: ClockRule }
  | { type: 'FAULT.INJECT'; fault: DeviceFault }
  | { type: 'FAULT.CLEAR'; kind: FaultKind };

/** Events the machine raises to itself: crossings found while time passes, and the alarms' follow-up. */
type InternalEvent = Crossing | { type: 'ALARM.UPDATE' } | { type: 'PROGRAM.APPLIED' };

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

/** The delivery region's states (the facade's machineState()). */
export const DELIVERY_STATES = [
  'stopped',
  'infusing',
  'bolusing',
  'updating',
  'suspended',
  'endOfService',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

type Ev = PumpEvent | InternalEvent;
type Mutation = (s: PumpState, notes: Notes, event: Ev) => void;

const faultOf = (e: Ev): DeviceFault | null => (e.type === 'FAULT.INJECT' ? e.fault : null);
const validFault = (f: DeviceFault | null): f is DeviceFault => {
  if (f === null) return false;
  try {
    checkFault(f);
    return true;
  } catch {
    return false;
  }
};
const clearing = (e: Ev, kind: FaultKind): boolean => e.type === 'FAULT.CLEAR' && e.kind === kind;

/**
 * A named action from a pure mutation: runs it on a working copy, assigns the result, emits its
 * notifications, and (for commands) raises whatever it made due, then ALARM.UPDATE. Crossing handlers
 * do not settle: the clock raises ALARM.UPDATE once after all crossings of a second.
 */
function act(fn: Mutation, settle: boolean, first?: InternalEvent) {
  return enqueueActions<PumpState, Ev, undefined, Ev, never, never, never, never, PumpEmitted>(
    ({ context, event, enqueue }) => {
      const s = draft(context);
      const notes: Notes = [];
      fn(s, notes, event);
      enqueue.assign(() => s);
      // One batched emission per event: ten years of tones would otherwise queue 10^5 deferred emits.
      if (notes.length > 0) enqueue.emit({ type: 'notifications', notes });
      if (first) enqueue.raise(first);
      if (settle) {
        for (const c of dueCrossings(s)) enqueue.raise(c);
        enqueue.raise({ type: 'ALARM.UPDATE' });
      }
    },
  );
}

const command = (fn: Mutation, first?: InternalEvent) => act(fn, true, first);
const handler = (fn: Mutation) => act(fn, false);

export const pumpMachine = setup({
  types: {
    context: {} as PumpState,
    events: {} as Ev,
    input: {} as PumpInput,
    emitted: {} as PumpEmitted,
  },
  guards: {
    validAdvance: ({ context, event }) =>
      event.type === 'CLOCK.ADVANCE' && Number.isSafeInteger(event.to) && event.to >= context.now,
    validProgram: ({ context, event }) =>
      event.type === 'PROGRAM.BEGIN' && programErrors(context, event.change).length === 0,
    validCommit: ({ context }) =>
      context.updating !== null &&
      programErrors({ ...context, updating: null }, context.updating.change).length === 0,
    canStop: ({ context }) => checkStop(context).length === 0,
    canResume: ({ context }) => checkResume(context).length === 0,
    canSilence: ({ context, event }) =>
      event.type === 'ALARM.SILENCE' && checkSilence(context, event.until, event.code).length === 0,
    validClock: ({ event }) => event.type === 'CLOCK.SET' && checkClock(event.rule).length === 0,
    patientBolusAllowed: ({ context }) => checkPatientBolus(context).length === 0,
    /** A valid bench fault of this kind (with `critical` for memory errors). */
    isFault: ({ event }, p: { kind: DeviceFault['kind']; critical?: boolean; catheter?: string }) => {
      const f = faultOf(event);
      if (!validFault(f) || f.kind !== p.kind) return false;
      if (f.kind === 'memoryError' && p.critical !== undefined) return f.critical === p.critical;
      if (f.kind === 'catheter' && p.catheter !== undefined) return f.state === p.catheter;
      return true;
    },
    /** A fault that suspends delivery: a motor stall or a critical memory error. */
    suspendsDelivery: ({ event }) => {
      const f = faultOf(event);
      return validFault(f) && (f.kind === 'motorStall' || (f.kind === 'memoryError' && f.critical));
    },
    isClear: ({ event }, p: { kind: FaultKind }) => clearing(event, p.kind),
    /** Choice guards: where delivery goes after a command, a recovery or a bolus end. */
    deliverySuspended: ({ context }) => suspendReason(context) !== null && !context.endOfService,
    atEndOfService: ({ context }) => context.endOfService,
    clinicianStopped: ({ context }) => context.clinicianStopped,
    hasBolus: ({ context }) => context.bolus !== null,
    hasTherapy: ({ context }) => context.therapy.mode !== 'stopped',
    /** Reservoir level of the calculated volume after a refill or a new alarm volume. */
    reservoirIs: ({ context }, p: { level: 'ok' | 'low' | 'empty' }) =>
      reservoirAlarmLevel(context) === p.level,
    noAlarms: ({ context }) => context.alarms.length === 0,
    allSilenced: ({ context }) =>
      context.alarms.every((a) => a.silencedUntil !== null && a.silencedUntil > context.now),
    criticalSounding: ({ context }) =>
      context.alarms.some(
        (a) => a.priority === 'critical' && (a.silencedUntil === null || a.silencedUntil <= context.now),
      ),
  },
  actions: {
    /** Integrates up to the next crossing (or the target), raises the crossings, then continues. */
    deliverUntil: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'CLOCK.ADVANCE') return;
      const s = draft(context);
      const notes: Notes = [];
      const due = deliverUntil(s, notes, event.to);
      enqueue.assign(() => s);
      if (notes.length > 0) enqueue.emit({ type: 'notifications', notes });
      if (due.length === 0) return;
      for (const c of due) enqueue.raise(c);
      enqueue.raise({ type: 'ALARM.UPDATE' });
      if (s.now < event.to) enqueue.raise({ type: 'CLOCK.ADVANCE', to: event.to });
    }),
    beginUpdate: command((s, _n, e) => {
      if (e.type === 'PROGRAM.BEGIN') beginUpdate(s, e.change);
    }),
    commitUpdate: command(
      (s, notes) => {
        if (s.updating) applyProgramTo(s, notes, s.updating.change);
      },
      { type: 'PROGRAM.APPLIED' },
    ),
    abortUpdate: command((s) => abortUpdate(s)),
    stop: command((s) => stop(s)),
    resume: command((s) => resume(s)),
    /** Starts the patient's bolus, or logs why it was refused (a real pump records refusals too). */
    patientBolus: command((s) => patientBolus(s)),
    silence: command((s, _n, e) => {
      if (e.type === 'ALARM.SILENCE') silence(s, e.until, e.code);
    }),
    alarmTest: command((s, notes) => alarmTest(s, notes)),
    setClock: command((s, _n, e) => {
      if (e.type === 'CLOCK.SET') setClock(s, e.rule);
    }),
    injectFault: command((s, notes, e) => {
      if (e.type === 'FAULT.INJECT') injectFault(s, notes, e.fault);
    }),
    clearFault: command((s, notes, e) => {
      if (e.type === 'FAULT.CLEAR') clearFault(s, notes, e.kind);
    }),
    endBolus: handler((s) => endBolus(s)),
    evaluateReservoir: handler(CROSSING_HANDLERS['RESERVOIR.EMPTY']),
    reachEri: handler((s, notes) => reachEri(s, notes)),
    reachEndOfService: handler((s, notes) => reachEndOfService(s, notes)),
    recoverMotor: handler((s, notes) => recoverMotor(s, notes)),
    senseOcclusion: handler((s, notes) => senseOcclusion(s, notes)),
    clearOcclusionAlarm: handler((s, notes) => clearAlarm(s, notes, 'CATHETER_OCCLUSION')),
    soundTones: handler((s, notes) => soundDueTones(s, notes)),
    /** A bolus does not survive a suspension: therapy resumes without it once the fault is gone. */
    cancelBolus: handler((s) => {
      const reason = suspendReason(s);
      if (reason !== null) cancelBolus(s, reason);
    }),
  },
}).createMachine({
  id: 'pump',
  context: ({ input }) =>
    'state' in input
      ? structuredClone(input.state)
      : initialState(input.model, input.serial, input.startTime),
  type: 'parallel',
  on: {
    'CLOCK.ADVANCE': { guard: 'validAdvance', actions: 'deliverUntil' },
    'ALARM.TEST': { actions: 'alarmTest' },
    // The patient's local time: no region changes state; flex steps follow it from now on.
    'CLOCK.SET': { guard: 'validClock', actions: 'setClock' },
    // Truth-only faults (the pump cannot tell): no region changes state.
    'FAULT.INJECT': [
      { guard: { type: 'isFault', params: { kind: 'overInfusion' } }, actions: 'injectFault' },
      { guard: { type: 'isFault', params: { kind: 'pocketFill' } }, actions: 'injectFault' },
      { guard: { type: 'isFault', params: { kind: 'syringeConcentration' } }, actions: 'injectFault' },
      { guard: { type: 'isFault', params: { kind: 'reservoirConcentration' } }, actions: 'injectFault' },
    ],
    'FAULT.CLEAR': [
      { guard: { type: 'isClear', params: { kind: 'overInfusion' } }, actions: 'clearFault' },
      { guard: { type: 'isClear', params: { kind: 'pocketFill' } }, actions: 'clearFault' },
      // A spent battery cannot be recharged: nothing to clear, but the request is accepted.
      { guard: { type: 'isClear', params: { kind: 'battery' } }, actions: 'clearFault' },
    ],
  },
  states: {
    /** The calculated reservoir volume (the pump's belief) against its alarm thresholds. */
    reservoir: {
      initial: 'ok',
      states: {
        ok: {
          on: {
            'RESERVOIR.LOW': { target: 'low', actions: 'evaluateReservoir' },
            'RESERVOIR.EMPTY': { target: 'empty', actions: 'evaluateReservoir' },
          },
        },
        low: { on: { 'RESERVOIR.EMPTY': { target: 'empty', actions: 'evaluateReservoir' } } },
        empty: {},
      },
      // A refill or a new alarm volume is evaluated by the program update; the region follows it.
      on: {
        'PROGRAM.APPLIED': [
          { guard: { type: 'reservoirIs', params: { level: 'empty' } }, target: '.empty' },
          { guard: { type: 'reservoirIs', params: { level: 'low' } }, target: '.low' },
          { target: '.ok' },
        ],
      },
    },
    /** Elective replacement indicator, then end of service 90 days later (or by a bench fault). */
    battery: {
      initial: 'ok',
      states: {
        ok: {
          on: {
            'BATTERY.ERI': { target: 'eri', actions: 'reachEri' },
            'FAULT.INJECT': {
              guard: { type: 'isFault', params: { kind: 'battery' } },
              target: 'eri',
              actions: 'injectFault',
            },
          },
        },
        eri: {
          on: {
            'BATTERY.EOS': { target: 'endOfService', actions: 'reachEndOfService' },
            'FAULT.INJECT': {
              guard: { type: 'isFault', params: { kind: 'battery' } },
              actions: 'injectFault',
            },
          },
        },
        endOfService: {
          on: {
            'FAULT.INJECT': {
              guard: { type: 'isFault', params: { kind: 'battery' } },
              actions: 'injectFault',
            },
          },
        },
      },
    },
    /** The peristaltic motor: a stall stops it until it recovers (by itself, or cleared on the bench). */
    motor: {
      initial: 'running',
      states: {
        running: {
          on: {
            'FAULT.INJECT': {
              guard: { type: 'isFault', params: { kind: 'motorStall' } },
              target: 'stalled',
              actions: 'injectFault',
            },
            'FAULT.CLEAR': {
              guard: { type: 'isClear', params: { kind: 'motorStall' } },
              actions: 'clearFault',
            },
          },
        },
        stalled: {
          on: {
            'MOTOR.RECOVERED': { target: 'running', actions: 'recoverMotor' },
            'FAULT.INJECT': {
              guard: { type: 'isFault', params: { kind: 'motorStall' } },
              actions: 'injectFault',
            },
            'FAULT.CLEAR': {
              guard: { type: 'isClear', params: { kind: 'motorStall' } },
              actions: 'clearFault',
            },
          },
        },
      },
    },
    /** Memory errors: a non-critical one is only reported; a critical one suspends delivery. */
    memory: {
      initial: 'ok',
      on: {
        'FAULT.CLEAR': {
          guard: { type: 'isClear', params: { kind: 'memoryError' } },
          target: '.ok',
          actions: 'clearFault',
        },
      },
      states: {
        ok: {
          on: {
            'FAULT.INJECT': [
              {
                guard: { type: 'isFault', params: { kind: 'memoryError', critical: true } },
                target: 'critical',
                actions: 'injectFault',
              },
              {
                guard: { type: 'isFault', params: { kind: 'memoryError', critical: false } },
                target: 'nonCritical',
                actions: 'injectFault',
              },
            ],
          },
        },
        nonCritical: {
          on: {
            'FAULT.INJECT': [
              {
                guard: { type: 'isFault', params: { kind: 'memoryError', critical: true } },
                target: 'critical',
                actions: 'injectFault',
              },
              { guard: { type: 'isFault', params: { kind: 'memoryError' } }, actions: 'injectFault' },
            ],
          },
        },
        critical: {
          on: {
            'FAULT.INJECT': {
              guard: { type: 'isFault', params: { kind: 'memoryError' } },
              actions: 'injectFault',
            },
          },
        },
      },
    },
    /**
     * The catheter as the bench sets it (the pump cannot see it). The engineering profile's sensor raises
     * its occlusion alarm from here once an occlusion has lasted its debounce time.
     */
    catheter: {
      initial: 'patent',
      on: {
        'FAULT.INJECT': [
          {
            guard: { type: 'isFault', params: { kind: 'catheter', catheter: 'patent' } },
            target: '.patent',
            actions: ['injectFault', 'clearOcclusionAlarm'],
          },
          {
            guard: { type: 'isFault', params: { kind: 'catheter', catheter: 'partialOcclusion' } },
            target: '.partialOcclusion',
            actions: 'injectFault',
          },
          {
            guard: { type: 'isFault', params: { kind: 'catheter', catheter: 'fullOcclusion' } },
            target: '.fullOcclusion',
            actions: 'injectFault',
          },
          {
            guard: { type: 'isFault', params: { kind: 'catheter', catheter: 'disconnected' } },
            target: '.disconnected',
            actions: ['injectFault', 'clearOcclusionAlarm'],
          },
        ],
        'FAULT.CLEAR': {
          guard: { type: 'isClear', params: { kind: 'catheter' } },
          target: '.patent',
          actions: ['clearFault', 'clearOcclusionAlarm'],
        },
      },
      states: {
        patent: {},
        partialOcclusion: { on: { 'CATHETER.SENSED': { actions: 'senseOcclusion' } } },
        fullOcclusion: { on: { 'CATHETER.SENSED': { actions: 'senseOcclusion' } } },
        disconnected: {},
      },
    },
    /** What the motor is doing for the patient. `resuming` is a choice: where delivery goes next. */
    delivery: {
      initial: 'stopped',
      on: {
        // Every state but infusing refuses a patient's bolus, and the pump logs the refusal.
        PATIENT_BOLUS: { actions: 'patientBolus' },
        'BATTERY.EOS': { target: '.endOfService', actions: 'cancelBolus' },
      },
      states: {
        resuming: {
          always: [
            { guard: 'atEndOfService', target: 'endOfService' },
            { guard: 'deliverySuspended', target: 'suspended', actions: 'cancelBolus' },
            { guard: 'clinicianStopped', target: 'stopped' },
            { guard: 'hasBolus', target: 'bolusing' },
            { guard: 'hasTherapy', target: 'infusing' },
            { target: 'stopped' },
          ],
        },
        stopped: {
          on: {
            RESUME: { guard: 'canResume', target: 'resuming', actions: 'resume' },
            STOP: { guard: 'canStop', actions: 'stop' },
            'PROGRAM.BEGIN': { guard: 'validProgram', target: 'updating', actions: 'beginUpdate' },
            'FAULT.INJECT': { guard: 'suspendsDelivery', target: 'suspended' },
            'RESERVOIR.EMPTY': { target: 'suspended', actions: 'cancelBolus' },
          },
        },
        infusing: {
          on: {
            STOP: { guard: 'canStop', target: 'stopped', actions: 'stop' },
            'PROGRAM.BEGIN': { guard: 'validProgram', target: 'updating', actions: 'beginUpdate' },
            PATIENT_BOLUS: [
              { guard: 'patientBolusAllowed', target: 'bolusing', actions: 'patientBolus' },
              { actions: 'patientBolus' },
            ],
            'FAULT.INJECT': { guard: 'suspendsDelivery', target: 'suspended' },
            'RESERVOIR.EMPTY': { target: 'suspended', actions: 'cancelBolus' },
          },
        },
        bolusing: {
          on: {
            'BOLUS.END': { target: 'resuming', actions: 'endBolus' },
            STOP: { guard: 'canStop', target: 'stopped', actions: 'stop' },
            'PROGRAM.BEGIN': { guard: 'validProgram', target: 'updating', actions: 'beginUpdate' },
            'FAULT.INJECT': { guard: 'suspendsDelivery', target: 'suspended' },
            'RESERVOIR.EMPTY': { target: 'suspended', actions: 'cancelBolus' },
          },
        },
        /** A prepared change is held; the pump is stopped until it is committed or abandoned. */
        updating: {
          on: {
            'PROGRAM.COMMIT': { guard: 'validCommit', target: 'resuming', actions: 'commitUpdate' },
            'PROGRAM.ABORT': { target: 'resuming', actions: 'abortUpdate' },
          },
        },
        /** Stalled motor, critical memory error or empty reservoir: nothing flows until it is resolved. */
        suspended: {
          on: {
            STOP: { guard: 'canStop', actions: 'stop' },
            'PROGRAM.BEGIN': { guard: 'validProgram', target: 'updating', actions: 'beginUpdate' },
            'MOTOR.RECOVERED': { target: 'resuming' },
            'FAULT.CLEAR': {
              guard: { type: 'isClear', params: { kind: 'memoryError' } },
              target: 'resuming',
            },
          },
        },
        endOfService: {},
      },
    },
    /** The audible state: tones sound by priority until silenced, and again when a silence ends. */
    alarms: {
      initial: 'quiet',
      on: {
        'ALARM.UPDATE': [
          { guard: 'noAlarms', target: '.quiet' },
          { guard: 'allSilenced', target: '.silenced', actions: 'soundTones' },
          { guard: 'criticalSounding', target: '.sounding.critical', actions: 'soundTones' },
          { target: '.sounding.nonCritical', actions: 'soundTones' },
        ],
        'ALARM.SILENCE_ENDED': { actions: 'soundTones' },
      },
      states: {
        quiet: {},
        sounding: {
          initial: 'nonCritical',
          on: { 'ALARM.SILENCE': { guard: 'canSilence', actions: 'silence' } },
          states: { critical: {}, nonCritical: {} },
        },
        // A silence can be extended, or narrowed to one alarm.
        silenced: { on: { 'ALARM.SILENCE': { guard: 'canSilence', actions: 'silence' } } },
      },
    },
  },
});

/** The regions' states a context belongs in: where a restored snapshot starts. */
export function stateValueOf(s: PumpState): StateValue {
  const now = s.now;
  const soundingCritical = s.alarms.some(
    (a) => a.priority === 'critical' && (a.silencedUntil === null || a.silencedUntil <= now),
  );
  const silenced = s.alarms.every((a) => a.silencedUntil !== null && a.silencedUntil > now);
  return {
    reservoir: reservoirAlarmLevel(s),
    battery: s.endOfService ? 'endOfService' : s.eriTime !== null ? 'eri' : 'ok',
    motor: s.stallUntil !== null ? 'stalled' : 'running',
    memory: s.memoryError === 'none' ? 'ok' : s.memoryError,
    catheter: s.catheter,
    delivery: phaseOf(s),
    alarms:
      s.alarms.length === 0
        ? 'quiet'
        : silenced
          ? 'silenced'
          : { sounding: soundingCritical ? 'critical' : 'nonCritical' },
  };
}

export { reservoirLevel };
