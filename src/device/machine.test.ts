/**
 * Model-based tests: xstate/graph generates the shortest paths through the pump statechart (with sample
 * payloads for every event), and each path is replayed on the Pump facade and on an independent reference
 * (test/device/reference-pump.ts, written from the device's specification, not from this machine): after
 * every step, each region's state, the calculated and true reservoir volumes, the active alarms and whether
 * a command was accepted must agree. A coverage check asserts that every state of every region and every
 * (state, event) transition of the definition was exercised.
 *
 * The test catches a wrong pump. Each of these mutations makes the replay test fail, and
 * `npm run test:mutations` (scripts/check-mutations.sh, run by CI) applies each in turn and checks it:
 *   1. src/device/delivery.ts, integrate(): `s.calculatedNl -= m` -> `s.calculatedNl -= 2 * m`
 *      (depletion twice as fast): the calculated volume differs after the first advance while infusing.
 *   2. src/device/validate.ts, programErrors(): drop the `v > calculatedAfterNl` bolus check (a bolus may
 *      start on an empty reservoir): the pump enters `updating` where the reference refuses the bolus.
 *   3. src/device/advance.ts, dueCrossings(): never push BATTERY.ERI (a battery that never reaches ERI):
 *      the battery region stays `ok` past the advance to ERI age where the reference is at `eri`.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateNode, type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { ReferencePump, type RefRegions } from '../../test/device/reference-pump';
import { pumpMachine, stateValueOf, type PumpEvent } from './machine';
import { restorePump, VirtualPump } from './pump';
import type { CommandResult } from './pump-api';
import type { PumpState } from './state';

const T0 = 1_699_920_000;
/** Paris: UTC+1, daylight saving +1 h from the last Sunday of March 02:00 to the last Sunday of October 03:00. */
const PARIS = {
  stdOffset: 60,
  dst: {
    delta: 60,
    start: { month: 3, week: 5, weekday: 0, minute: 120 },
    end: { month: 10, week: 5, weekday: 0, minute: 180 },
  },
};
const DAY = 86_400;
/** ERI by age: 7-year service life less the 90 days from ERI to end of service (the SM2-20 profile). */
const ERI_AGE = 7 * 365 * DAY - 90 * DAY;
const INPUT = { model: 'SM2-20' as const, serial: 'MBT0001', startTime: T0 };
type Snap = SnapshotFrom<typeof pumpMachine>;

const FILL: PumpEvent = {
  type: 'PROGRAM.BEGIN',
  change: {
    refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 500, fillVolumeUl: 2_500 },
    therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
    patientBolus: { amountNg: 10_000, durationS: 600, maxPerDay: 4, lockoutS: 600 },
  },
};

/**
 * Sample events with payloads relative to the current pump time. Bench faults are offered while no other
 * region is faulty (one faulty region at a time, any of its faults): every fault is reached from every
 * therapy state, and the graph stays small enough to replay every edge.
 */
function sampleEvents(s: Snap): PumpEvent[] {
  const now = s.context.now;
  const r = regionsOf(s.value);
  const faulty = faultyRegions(s);
  const events: PumpEvent[] = [
    { type: 'CLOCK.ADVANCE', to: now + 3_600 },
    { type: 'CLOCK.ADVANCE', to: now + DAY },
    FILL,
    { type: 'PROGRAM.BEGIN', change: { bolus: { kind: 'single', amountNg: 50_000, durationS: 1_800 } } },
    { type: 'PROGRAM.COMMIT' },
    { type: 'PROGRAM.ABORT' },
    { type: 'STOP' },
    { type: 'RESUME' },
    { type: 'PATIENT_BOLUS' },
  ];
  const clears: Record<string, PumpEvent> = {
    motor: { type: 'FAULT.CLEAR', kind: 'motorStall' },
    memory: { type: 'FAULT.CLEAR', kind: 'memoryError' },
    catheter: { type: 'FAULT.CLEAR', kind: 'catheter' },
  };
  const faults: Record<string, PumpEvent[]> = {
    motor: [{ type: 'FAULT.INJECT', fault: { kind: 'motorStall', recoveryDelayS: 7_200 } }],
    memory: [
      { type: 'FAULT.INJECT', fault: { kind: 'memoryError', critical: true } },
      { type: 'FAULT.INJECT', fault: { kind: 'memoryError', critical: false } },
    ],
    battery: [
      { type: 'FAULT.INJECT', fault: { kind: 'battery', to: 'eri' } },
      { type: 'FAULT.INJECT', fault: { kind: 'battery', to: 'endOfService' } },
    ],
    catheter: (['partialOcclusion', 'fullOcclusion', 'disconnected'] as const).map((state): PumpEvent => ({
      type: 'FAULT.INJECT',
      fault: { kind: 'catheter', state },
    })),
  };
  if (faulty.length === 0) {
    // The fault-free pump: everything, including every fault (one faulty region at a time) while the
    // reservoir is not empty.
    events.push(
      { type: 'CLOCK.ADVANCE', to: now + 4 * DAY },
      { type: 'PROGRAM.BEGIN', change: { therapy: { mode: 'stopped' } } },
      { type: 'ALARM.SILENCE', until: now + 600 },
      { type: 'ALARM.TEST' },
      { type: 'CLOCK.SET', rule: PARIS },
      ...Object.values(clears),
    );
    if (r.reservoir !== 'empty') events.push(...Object.values(faults).flat());
  } else {
    // A faulty region: its own events and its clearing, around the therapy events above.
    const region = faulty[0] ?? '';
    events.push(...(faults[region] ?? []));
    if (clears[region]) events.push(clears[region]);
  }
  // The battery's ERI by age (6 years 9 months after manufacture), and its end of service 90 days later.
  // Offered only while nothing flows and no alarm sounds: an emptied reservoir's critical tone every 10 min
  // for years would be 10^5 tones per replay.
  if (faulty.length === 0 && s.context.alarms.length === 0 && r.delivery === 'stopped') {
    events.push({ type: 'CLOCK.ADVANCE', to: T0 + ERI_AGE + DAY });
  }
  if (s.context.eosTime !== null && !s.context.endOfService) {
    events.push({ type: 'CLOCK.ADVANCE', to: s.context.eosTime + DAY });
  }
  return events;
}

/** Regions away from normal because of a bench fault. */
function faultyRegions(s: Snap): string[] {
  const r = regionsOf(s.value);
  const out: string[] = [];
  if (r.battery !== 'ok') out.push('battery');
  if (r.motor !== 'running') out.push('motor');
  if (r.memory !== 'ok') out.push('memory');
  if (r.catheter !== 'patent') out.push('catheter');
  return out;
}

/** Every region's state as "region.state" joined, e.g. "delivery.infusing,alarms.sounding.critical". */
function regionsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown): string =>
    typeof v === 'string'
      ? v
      : Object.entries(v as Record<string, unknown>)
          .map(([k, c]) => `${k}.${walk(c)}`)
          .join(',');
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = walk(v);
  return out;
}
const stateKey = (s: Snap): string =>
  Object.entries(regionsOf(s.value))
    .map(([k, v]) => `${k}.${v}`)
    .join(' ');

/**
 * The context facts that decide guards, beyond the regions' states: coarse on purpose (each vertex is one
 * representative context), so that the graph is every reachable combination of region states, not of
 * volumes and times.
 */
const facts = (s: Snap): string => {
  const c = s.context;
  return c.updating ? Object.keys(c.updating.change).join('+') : '-';
};

const eventLabel = (e: PumpEvent | undefined): string => {
  if (!e) return '';
  if (e.type === 'CLOCK.ADVANCE') return `ADVANCE`;
  if (e.type === 'PROGRAM.BEGIN') return `BEGIN(${Object.keys(e.change).join('+')})`;
  if (e.type === 'FAULT.INJECT') return `INJECT(${JSON.stringify(e.fault)})`;
  if (e.type === 'FAULT.CLEAR') return `CLEAR(${e.kind})`;
  return e.type;
};

/** Abstract state for the traversal: the regions' states and the facts. */
const serializeState = (s: Snap): string => `${stateKey(s)} | ${facts(s)}`;

const serializeEvent = (e: PumpEvent): string => {
  if (e.type === 'CLOCK.ADVANCE') return `ADVANCE+${e.to}`;
  if (e.type === 'ALARM.SILENCE') return 'SILENCE';
  return JSON.stringify(e);
};

/**
 * The sampled events: xstate/graph also offers every event type the definition handles, as a bare
 * `{ type }` (internal crossings included); only the samples above are real commands.
 */
const SAMPLED = new WeakSet<object>();

const model = createTestModel(pumpMachine, {
  input: INPUT,
  events: (s) => {
    const events = sampleEvents(s as Snap);
    for (const e of events) SAMPLED.add(e);
    return events;
  },
  filterEvents: (_s, e) => SAMPLED.has(e as object),
  serializeState: (s) => serializeState(s as Snap),
  serializeEvent: (e) => serializeEvent(e as PumpEvent),
});

/** Atomic states (per region) and the events each accepts (own transitions and its ancestors'). */
function definedEdges(): { states: Set<string>; edges: Set<string> } {
  const states = new Set<string>();
  const edges = new Set<string>();
  const walk = (node: AnyStateNode, inherited: string[]): void => {
    const own = [...node.transitions.keys()].filter(
      (k) => k !== '' && !k.startsWith('xstate.') && !INTERNAL.has(k),
    );
    const events = [...inherited, ...own];
    const children = Object.values(node.states) as AnyStateNode[];
    // `resuming` is a choice: never at rest, so never a state to reach.
    if (children.length === 0 && node.key !== 'resuming') {
      const key = node.path.join('.');
      states.add(key);
      for (const e of events) edges.add(`${key} ${e}`);
    }
    for (const c of children) walk(c, node.type === 'parallel' ? [] : events);
  };
  walk(pumpMachine.root, []);
  return { states, edges };
}

/** Events the machine raises to itself: covered through the external events that cause them. */
const INTERNAL = new Set([
  'BOLUS.END',
  'RESERVOIR.LOW',
  'RESERVOIR.EMPTY',
  'BATTERY.ERI',
  'BATTERY.EOS',
  'MOTOR.RECOVERED',
  'CATHETER.SENSED',
  'ALARM.SILENCE_ENDED',
  'ALARM.UPDATE',
  'PROGRAM.APPLIED',
]);

function exec(pump: VirtualPump, e: PumpEvent): boolean | null {
  const ok = (r: CommandResult<unknown>): boolean => r.ok;
  switch (e.type) {
    case 'CLOCK.ADVANCE':
      pump.advanceTo(e.to);
      return null;
    case 'PROGRAM.BEGIN':
      return ok(pump.beginUpdate(e.change));
    case 'PROGRAM.COMMIT':
      return ok(pump.commitUpdate());
    case 'PROGRAM.ABORT':
      return ok(pump.abortUpdate());
    case 'STOP':
      return ok(pump.stop());
    case 'RESUME':
      return ok(pump.resume());
    case 'PATIENT_BOLUS':
      return ok(pump.patientBolus());
    case 'ALARM.SILENCE':
      return ok(pump.silenceAlarm(e.until, e.code));
    case 'ALARM.TEST':
      return ok(pump.alarmTest());
    case 'CLOCK.SET':
      return ok(pump.setClock(e.rule));
    case 'FAULT.INJECT':
      pump.injectFault(e.fault);
      return null;
    case 'FAULT.CLEAR':
      pump.clearFault(e.kind);
      return null;
  }
}

/** What the pump shows that the reference predicts. */
function observed(pump: VirtualPump): {
  regions: RefRegions;
  calcNl: number;
  trueNl: number;
  alarms: string[];
} {
  const s: PumpState = pump.state();
  return {
    regions: pump.regions() as unknown as RefRegions,
    calcNl: s.calculatedNl,
    trueNl: s.trueNl,
    alarms: s.alarms.map((a) => a.code).sort(),
  };
}

function expected(ref: ReferencePump): ReturnType<typeof observed> {
  return { regions: ref.regions(), calcNl: ref.calcNl, trueNl: ref.trueNl, alarms: ref.alarmCodes() };
}

const paths = model.getShortestPaths({ allowDuplicatePaths: true });
const adjacency = model.getAdjacencyMap();

/** Compares the pump with the reference after one event; returns the disagreement, or null. */
function check(pump: VirtualPump, ref: ReferencePump, e: PumpEvent, trail: string[]): string | null {
  const accepted = exec(pump, e);
  const predicted = ref.apply(e);
  const where = [...trail, eventLabel(e)].join(' > ');
  if (predicted !== null && accepted !== predicted) {
    return `${where}: pump ${accepted ? 'accepted' : 'refused'} it, the reference ${predicted ? 'accepts' : 'refuses'}`;
  }
  const o = observed(pump);
  const x = expected(ref);
  if (JSON.stringify(o) !== JSON.stringify(x)) {
    return `${where}:\n  pump      ${JSON.stringify(o)}\n  reference ${JSON.stringify(x)}`;
  }
  return null;
}

/**
 * Replays the shortest path to a vertex step by step, then every event the traversal took out of it (each
 * from a copy: the pump restored from its snapshot, the reference cloned); returns the disagreements.
 */
function replayVertex(path: (typeof paths)[number], out: PumpEvent[]): string[] {
  const pump = new VirtualPump(INPUT);
  const ref = new ReferencePump(T0);
  const trail: string[] = [];
  for (const step of path.steps) {
    const e = step.event as PumpEvent;
    if (e.type === ('xstate.init' as string)) continue;
    const f = check(pump, ref, e, trail);
    if (f !== null) return [f];
    trail.push(eventLabel(e));
  }
  const failures: string[] = [];
  for (const e of out) {
    const f = check(restorePump(pump.snapshot()), ref.clone(), e, trail);
    if (f !== null) failures.push(f);
  }
  return failures;
}

describe('pump statechart (model-based, independent reference)', () => {
  it('generates paths that reach every state of every region and take every transition of the definition', () => {
    const { states, edges } = definedEdges();
    for (const region of ['reservoir', 'battery', 'motor', 'memory', 'catheter', 'delivery', 'alarms']) {
      expect([...states].some((s) => s.startsWith(`${region}.`))).toBe(true);
    }
    expect(paths.length).toBe(Object.keys(adjacency).length);
    // An edge counts only when the event was enabled there (a guard passed) on the traversal's snapshot.
    const reached = new Set<string>();
    const taken = new Set<string>();
    for (const vertex of Object.values(adjacency)) {
      const snap = vertex.state as Snap;
      const regions = regionsOf(snap.value);
      for (const [region, v] of Object.entries(regions)) reached.add(`${region}.${v}`);
      for (const t of Object.values(vertex.transitions) as { event: unknown }[]) {
        const ev = t.event as PumpEvent;
        // Each enabled transition is credited to the region that owns it, in that region's current state.
        for (const tr of pumpMachine.getTransitionData(snap, ev as never)) {
          const region = tr.source.path[0];
          if (region !== undefined) taken.add(`${region}.${regions[region]} ${ev.type}`);
        }
      }
    }
    expect([...states].filter((s) => !reached.has(s))).toEqual([]);
    expect([...edges].filter((e) => !taken.has(e))).toEqual([]);
  });

  it('replays every path and every edge out of its end on the Pump facade, agreeing with the reference', () => {
    expect(paths.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let edges = 0;
    for (const path of paths) {
      const vertex = (adjacency as unknown as Record<string, { transitions: object } | undefined>)[
        serializeState(path.state as Snap)
      ];
      const out = Object.values(vertex?.transitions ?? {}).map(
        (t) => (t as { event: unknown }).event as PumpEvent,
      );
      edges += out.length;
      failures.push(...replayVertex(path, out));
      if (failures.length >= 3) break;
    }
    expect(failures).toEqual([]);
    expect(edges).toBeGreaterThan(paths.length * 10);
  });

  it('keeps every region in the state its context belongs in (what a restored pump starts in)', () => {
    for (const path of paths) {
      const actor = createActor(pumpMachine, { input: INPUT }).start();
      for (const step of path.steps) {
        const e = step.event as PumpEvent;
        if (e.type === ('xstate.init' as string)) continue;
        actor.send(e);
        const got = regionsOf(actor.getSnapshot().value);
        const want = regionsOf(stateValueOf(actor.getSnapshot().context));
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          const trail = path.steps.map((st) => eventLabel(st.event as PumpEvent)).join(' > ');
          expect({ trail, got }).toEqual({ trail, got: want });
        }
      }
    }
  });
});
