/**
 * Model-based tests: xstate/graph generates the shortest paths through the pump machine (with sample
 * payloads for every event), each path is replayed against the Pump facade, and a coverage check asserts
 * that every state and every (state, event) transition of the machine's definition was exercised.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateNode, type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { pumpMachine, type PumpEvent } from './machine';
import { VirtualPump } from './pump';

const T0 = 1_699_920_000;
const INPUT = { model: 'SM2-20' as const, serial: 'MBT0001', startTime: T0 };
type Snap = SnapshotFrom<typeof pumpMachine>;

const FILL: PumpEvent = {
  type: 'PROGRAM.BEGIN',
  change: {
    refill: { withdrawnVolume: 0, drugName: 'baclofen', concentration: 500, fillVolume: 2_500 },
    therapy: { mode: 'continuous', dailyDose: 400_000 },
    patientBolus: { amount: 10_000, duration: 600, maxPerDay: 4, lockout: 600 },
  },
};

/** Sample events with payloads relative to the current pump time. */
function sampleEvents(s: Snap): PumpEvent[] {
  const now = s.context.now;
  return [
    { type: 'CLOCK.ADVANCE', to: now + 3_600 },
    { type: 'CLOCK.ADVANCE', to: now + 4 * 86_400 },
    FILL,
    { type: 'PROGRAM.BEGIN', change: { bolus: { kind: 'single', amount: 50_000, duration: 1_800 } } },
    { type: 'PROGRAM.BEGIN', change: { therapy: { mode: 'stopped' } } },
    { type: 'PROGRAM.COMMIT' },
    { type: 'PROGRAM.ABORT' },
    { type: 'STOP' },
    { type: 'RESUME' },
    { type: 'PATIENT_BOLUS' },
    { type: 'ALARM.SILENCE', until: now + 600 },
    { type: 'ALARM.TEST' },
    { type: 'FAULT.INJECT', fault: { kind: 'motorStall', recoveryDelay: 7_200 } },
    { type: 'FAULT.INJECT', fault: { kind: 'memoryError', critical: true } },
    { type: 'FAULT.INJECT', fault: { kind: 'memoryError', critical: false } },
    { type: 'FAULT.INJECT', fault: { kind: 'battery', to: 'endOfService' } },
    { type: 'FAULT.CLEAR', kind: 'motorStall' },
  ];
}

const stateKey = (s: Snap): string => {
  const v = s.value;
  return typeof v === 'string' ? v : (Object.entries(v).map(([k, c]) => `${k}.${String(c)}`)[0] ?? '');
};

/**
 * Abstract state for the traversal: the machine state, the context facts that decide routing and guards,
 * and the (previous state, event) that led here, so that every enabled (state, event) pair becomes its
 * own vertex and lies on some shortest path.
 */
const facts = (s: Snap): string => {
  const c = s.context;
  const calc =
    c.calculatedNl === 0 ? 'empty' : c.calculatedNl <= c.lowReservoirAlarmVolume * 1000 ? 'low' : 'ok';
  return [
    c.therapy.mode,
    c.everFilled,
    calc,
    c.patientBolus !== null,
    c.patientBolusLockoutUntil > c.now,
    c.clinicianStopped,
    c.bolus !== null,
    c.alarms.length > 0,
    c.updating ? Object.keys(c.updating.change).join('+') : '-',
  ].join(',');
};

const eventLabel = (e: PumpEvent | undefined): string => {
  if (!e) return '';
  if (e.type === 'CLOCK.ADVANCE') return `ADVANCE`;
  if (e.type === 'PROGRAM.BEGIN') return `BEGIN(${Object.keys(e.change).join('+')})`;
  if (e.type === 'FAULT.INJECT') return `INJECT(${JSON.stringify(e.fault)})`;
  return e.type;
};

const serializeState = (s: Snap, e: PumpEvent | undefined, prev: Snap | undefined): string => {
  return `${prev ? stateKey(prev) : ''} ${eventLabel(e)} -> ${stateKey(s)} | ${facts(s)}`;
};

const serializeEvent = (e: PumpEvent): string => {
  if (e.type === 'CLOCK.ADVANCE') return `ADVANCE+${e.to}`;
  if (e.type === 'ALARM.SILENCE') return 'SILENCE';
  return JSON.stringify(e);
};

const model = createTestModel(pumpMachine, {
  input: INPUT,
  events: (s) => sampleEvents(s as Snap),
  serializeState: (s, e, prev) =>
    serializeState(s as Snap, e as PumpEvent | undefined, prev as Snap | undefined),
  serializeEvent: (e) => serializeEvent(e as PumpEvent),
});

/** Atomic states and the events each accepts (own transitions and its ancestors'), from the definition. */
function definedEdges(): { states: Set<string>; edges: Set<string> } {
  const states = new Set<string>();
  const edges = new Set<string>();
  const walk = (node: AnyStateNode, inherited: string[]): void => {
    const own = [...node.transitions.keys()].filter((k) => k !== '' && !k.startsWith('xstate.'));
    const events = [...inherited, ...own];
    const children = Object.values(node.states) as AnyStateNode[];
    if (children.length === 0) {
      const key = node.path.join('.');
      states.add(key);
      for (const e of events) edges.add(`${key} ${e}`);
    }
    for (const c of children) walk(c, events);
  };
  walk(pumpMachine.root, []);
  return { states, edges };
}

function exec(pump: VirtualPump, e: PumpEvent): void {
  switch (e.type) {
    case 'CLOCK.ADVANCE':
      return pump.advanceTo(e.to);
    case 'PROGRAM.BEGIN':
      pump.beginUpdate(e.change);
      return;
    case 'PROGRAM.COMMIT':
      pump.commitUpdate();
      return;
    case 'PROGRAM.ABORT':
      pump.abortUpdate();
      return;
    case 'STOP':
      pump.stop();
      return;
    case 'RESUME':
      pump.resume();
      return;
    case 'PATIENT_BOLUS':
      pump.patientBolus();
      return;
    case 'ALARM.SILENCE':
      pump.silenceAlarm(e.until, e.code);
      return;
    case 'ALARM.TEST':
      pump.alarmTest();
      return;
    case 'FAULT.INJECT':
      return pump.injectFault(e.fault);
    case 'FAULT.CLEAR':
      return pump.clearFault(e.kind);
  }
}

describe('pump machine (model-based)', () => {
  // One path per explored vertex (prefixes kept), so the coverage check below can count them.
  const paths = model.getShortestPaths({ allowDuplicatePaths: true });

  it('generates paths that reach every state and take every transition of the definition', () => {
    const { states, edges } = definedEdges();
    expect(states).toEqual(
      new Set([
        'operating.stopped',
        'operating.infusing',
        'operating.bolusing',
        'operating.updating',
        'operating.suspended',
        'endOfService',
      ]),
    );
    // Every vertex of the explored graph is the target of one generated shortest path...
    const adjacency = model.getAdjacencyMap();
    expect(paths.length).toBe(Object.keys(adjacency).length);
    // ...and the edges out of each vertex are real transitions of real snapshots: an edge counts only when
    // the event was enabled there (a guard passed), checked on the snapshot the traversal computed.
    const reached = new Set<string>();
    const taken = new Set<string>();
    for (const vertex of Object.values(adjacency)) {
      const snap = vertex.state as Snap;
      reached.add(stateKey(snap));
      for (const t of Object.values(vertex.transitions) as { event: unknown }[]) {
        const ev = t.event as PumpEvent;
        if (snap.can(ev)) taken.add(`${stateKey(snap)} ${ev.type}`);
      }
    }
    expect([...states].filter((s) => !reached.has(s))).toEqual([]);
    expect([...edges].filter((e) => !taken.has(e))).toEqual([]);
  });

  it('replays every generated path on the Pump facade: same state as the model and as a reference actor', async () => {
    expect(paths.length).toBeGreaterThan(50);
    const keys = [...definedEdges().states];
    for (const path of paths) {
      const pump = new VirtualPump(INPUT);
      const ref = createActor(pumpMachine, { input: INPUT }).start();
      const states: Record<string, (s: Snap) => void> = {};
      for (const key of keys) {
        states[key] = (s) => {
          expect(stateKey(s)).toBe(key);
          expect(stateKey(ref.getSnapshot())).toBe(key);
          expect(pump.machineState()).toBe(key);
          expect(pump.state()).toEqual(ref.getSnapshot().context);
        };
      }
      const run = (step: { event: unknown }): void => {
        const e = step.event as PumpEvent;
        exec(pump, e);
        ref.send(e);
      };
      const events = Object.fromEntries(
        [
          'CLOCK.ADVANCE',
          'PROGRAM.BEGIN',
          'PROGRAM.COMMIT',
          'PROGRAM.ABORT',
          'STOP',
          'RESUME',
          'PATIENT_BOLUS',
          'ALARM.SILENCE',
          'ALARM.TEST',
          'FAULT.INJECT',
          'FAULT.CLEAR',
        ].map((t) => [t, run]),
      );
      await path.test({ states, events });
    }
  });
});
