/**
 * Property tests (fast-check): conservation of drug to the nanolitre, event-driven time vs one-minute
 * ticking, no negative volume, and invalid programs never change anything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  DeviceFault,
  FaultKind,
  ProgramChange,
  PumpNotification,
  TherapyRequest,
} from '../../src/device';
import { newPump, T0 } from './helpers';

type Pump = ReturnType<typeof newPump>['pump'];

type TherapySpec =
  | { mode: 'stopped' }
  | { mode: 'continuous'; rate: number }
  | { mode: 'flex'; starts: number[]; rates: number[] };
type Action =
  | { t: 'advance'; dt: number }
  | {
      t: 'program';
      refill: { withdrawn: number; fill: number; conc: number } | null;
      therapy: TherapySpec | null;
      bolus: { kind: 'single' | 'bridge' | 'priming'; size: number; duration: number } | null;
      low: number | null;
      patientBolus: boolean | null;
      doseOffset: number;
    }
  | { t: 'fault'; fault: DeviceFault }
  | { t: 'clear'; kind: FaultKind }
  | { t: 'patientBolus' }
  | { t: 'stop' }
  | { t: 'resume' }
  | { t: 'silence'; dt: number };

const concArb = fc.constantFrom(50, 500, 1000, 2000, 1234);
const therapyArb: fc.Arbitrary<TherapySpec> = fc.oneof(
  fc.constant({ mode: 'stopped' as const }),
  fc.record({ mode: fc.constant('continuous' as const), rate: fc.integer({ min: 48, max: 24_000 }) }),
  fc.uniqueArray(fc.integer({ min: 1, max: 94 }), { maxLength: 12 }).chain((xs) => {
    const starts = [0, ...xs.sort((a, b) => a - b).map((x) => x * 900)];
    return fc.record({
      mode: fc.constant('flex' as const),
      starts: fc.constant(starts),
      rates: fc.array(fc.integer({ min: 48, max: 24_000 }), {
        minLength: starts.length,
        maxLength: starts.length,
      }),
    });
  }),
);
const faultArb: fc.Arbitrary<DeviceFault> = fc.oneof(
  fc.record({
    kind: fc.constant('catheter' as const),
    state: fc.constantFrom('patent', 'partialOcclusion', 'fullOcclusion', 'disconnected' as const),
  }),
  fc.record({ kind: fc.constant('overInfusion' as const), ppm: fc.integer({ min: -300_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('pocketFill' as const), ppm: fc.integer({ min: 0, max: 1_000_000 }) }),
  fc.record({
    kind: fc.constant('motorStall' as const),
    recoveryDelayS: fc.integer({ min: 1, max: 2 * 86_400 }),
  }),
  fc.record({ kind: fc.constant('memoryError' as const), critical: fc.boolean() }),
);

function actionArb(maxDt: number, maxFill: number): fc.Arbitrary<Action> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant('advance' as const), dt: fc.integer({ min: 1, max: maxDt }) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('program' as const),
        refill: fc.option(
          fc.record({
            withdrawn: fc.integer({ min: 0, max: 20_000 }),
            fill: fc.integer({ min: 0, max: maxFill }),
            conc: concArb,
          }),
          { freq: 2 },
        ),
        therapy: fc.option(therapyArb, { freq: 2 }),
        bolus: fc.option(
          fc.record({
            kind: fc.constantFrom('single', 'bridge', 'priming' as const),
            size: fc.integer({ min: 1, max: 1_000 }),
            duration: fc.integer({ min: 60, max: 4 * 3600 }),
          }),
          { freq: 4 },
        ),
        low: fc.option(fc.integer({ min: 0, max: 6_000 }), { freq: 4 }),
        patientBolus: fc.option(fc.boolean(), { freq: 4 }),
        doseOffset: fc.integer({ min: -3, max: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('fault' as const), fault: faultArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('clear' as const),
        kind: fc.constantFrom(
          'catheter',
          'overInfusion',
          'pocketFill',
          'battery',
          'motorStall',
          'memoryError' as const,
        ),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ t: 'patientBolus' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'stop' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'resume' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('silence' as const), dt: fc.integer({ min: 1, max: 7200 }) }),
    },
  );
}

/** Builds the ProgramChange for an action (doses from rates at the concentration that will apply). */
function changeOf(pump: Pump, a: Extract<Action, { t: 'program' }>): ProgramChange {
  const conc = a.refill?.conc ?? pump.program().concentrationMcgPerMl;
  const change: ProgramChange = {};
  if (a.refill)
    change.refill = {
      withdrawnVolumeUl: a.refill.withdrawn,
      drugName: 'baclofen',
      concentrationMcgPerMl: a.refill.conc,
      fillVolumeUl: a.refill.fill,
    };
  if (a.therapy) {
    const dose = (rate: number) => rate * conc + a.doseOffset;
    const t: TherapyRequest =
      a.therapy.mode === 'stopped'
        ? { mode: 'stopped' }
        : a.therapy.mode === 'continuous'
          ? { mode: 'continuous', dailyDoseNgPerDay: dose(a.therapy.rate) }
          : {
              mode: 'flex',
              steps: a.therapy.starts.map((start, i) => ({
                startSecondOfDay: start,
                dailyDoseNgPerDay: dose(
                  a.therapy && a.therapy.mode === 'flex' ? (a.therapy.rates[i] ?? 48) : 48,
                ),
              })),
            };
    change.therapy = t;
  }
  if (a.bolus) {
    change.bolus =
      a.bolus.kind === 'priming'
        ? { kind: 'priming', volumeUl: a.bolus.size, durationS: a.bolus.duration }
        : { kind: a.bolus.kind, amountNg: a.bolus.size * conc, durationS: a.bolus.duration };
  }
  if (a.low !== null) change.lowReservoirAlarmVolumeUl = a.low;
  if (a.patientBolus !== null)
    change.patientBolus = a.patientBolus
      ? { amountNg: 20 * conc, durationS: 600, maxPerDay: 3, lockoutS: 3600 }
      : null;
  return change;
}

/** Counters that show the properties are not vacuous (programs do apply, alarms do happen). */
const seen = { applied: 0, refused: 0 };

/** Runs an action; `tick` > 0 advances time in ticks of that many seconds instead of one jump. */
function run(pump: Pump, a: Action, tick = 0): void {
  switch (a.t) {
    case 'advance': {
      const to = pump.now() + a.dt;
      if (tick > 0) for (let t = pump.now() + tick; t < to; t += tick) pump.advanceTo(t);
      pump.advanceTo(to);
      return;
    }
    case 'program':
      if (pump.apply(changeOf(pump, a)).ok) seen.applied += 1;
      else seen.refused += 1;
      return;
    case 'fault':
      pump.injectFault(a.fault);
      return;
    case 'clear':
      pump.clearFault(a.kind);
      return;
    case 'patientBolus':
      pump.patientBolus();
      return;
    case 'stop':
      pump.stop();
      return;
    case 'resume':
      pump.resume();
      return;
    case 'silence':
      pump.silenceAlarm(pump.now() + a.dt);
      return;
  }
}

function checkInvariants(pump: Pump): void {
  const t = pump.truth();
  const s = pump.state();
  // Conservation to the nanolitre: filled = remaining + pumped + withdrawn + pocket.
  expect(t.filledNl).toBe(t.trueReservoirVolumeNl + t.pumpedNl + t.withdrawnNl! + t.pocketDivertedNl!);
  expect(s.ledger.pumpedNl).toBe(s.ledger.deliveredIntrathecalNl + s.ledger.catheterLostNl);
  for (const v of [
    t.trueReservoirVolumeNl,
    t.calculatedReservoirVolumeNl,
    t.pumpedNl,
    t.deliveredIntrathecalNg,
    t.lostNg,
    t.withdrawnNl!,
    t.pocketDivertedNl!,
  ]) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(Number.isSafeInteger(v)).toBe(true);
  }
  expect(t.calculatedReservoirVolumeNl).toBeLessThanOrEqual(20_000_000);
  expect(t.trueReservoirVolumeNl).toBeLessThanOrEqual(21_000_000);
  const next = pump.nextEventTime();
  if (next !== null) expect(next).toBeGreaterThan(pump.now());
}

describe('device properties', () => {
  it('conserves drug to the nanolitre and never goes negative, over random programs, refills, faults and time', () => {
    seen.applied = 0;
    seen.refused = 0;
    let alarms = 0;
    fc.assert(
      fc.property(fc.array(actionArb(40 * 86_400, 20_000), { minLength: 1, maxLength: 40 }), (actions) => {
        const { pump } = newPump();
        // Every run starts from a filled, infusing pump; the random actions take it from there.
        run(pump, {
          t: 'program',
          refill: { withdrawn: 0, fill: 20_000, conc: 500 },
          therapy: { mode: 'continuous', rate: 800 },
          bolus: null,
          low: null,
          patientBolus: true,
          doseOffset: 0,
        });
        for (const a of actions) {
          run(pump, a);
          checkInvariants(pump);
        }
        alarms += pump.readLog(0, 512).entries.filter((e) => e.kind === 'ALARM_RAISED').length;
      }),
      { numRuns: 150 },
    );
    expect(seen.applied).toBeGreaterThan(150);
    expect(seen.refused).toBeGreaterThan(10);
    expect(alarms).toBeGreaterThan(50);
  });

  it('event-driven time and one-minute ticking agree exactly: delivered drug, alarms, tones, log', () => {
    const notesOf = (n: PumpNotification[]) => n.filter((x) => x.type !== 'changed');
    let tones = 0;
    let delivered = 0;
    fc.assert(
      fc.property(
        fc.array(actionArb(8 * 3600, 3_000), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 0, max: 86_399 }),
        fc.integer({ min: 600, max: 3_000 }),
        fc.integer({ min: 2_000, max: 24_000 }),
        (actions, offset, fill, rate) => {
          const a = newPump('SM2-20-ENG', T0 + offset);
          const b = newPump('SM2-20-ENG', T0 + offset);
          // A small fill at a high rate: low-reservoir and empty alarms come within hours.
          const start: ProgramChange = {
            refill: {
              withdrawnVolumeUl: 0,
              drugName: 'baclofen',
              concentrationMcgPerMl: 500,
              fillVolumeUl: fill,
            },
            therapy: { mode: 'continuous', dailyDoseNgPerDay: rate * 500 },
          };
          expect(a.pump.apply(start).ok && b.pump.apply(start).ok).toBe(true);
          for (const act of actions) {
            run(a.pump, act);
            run(b.pump, act, 60);
          }
          expect(b.pump.truth()).toEqual(a.pump.truth());
          expect(notesOf(b.notes)).toEqual(notesOf(a.notes));
          expect(b.pump.snapshot()).toEqual(a.pump.snapshot());
          tones += a.notes.filter((n) => n.type === 'tone').length;
          delivered += a.pump.truth().pumpedNl;
        },
      ),
      { numRuns: 25 },
    );
    expect(tones).toBeGreaterThanOrEqual(25);
    expect(delivered).toBeGreaterThan(100_000);
  });

  it('an invalid program never changes the state (deep-equal snapshot)', () => {
    let invalid = 0;
    const wild = fc.record(
      {
        refill: fc.record({
          withdrawnVolumeUl: fc.oneof(fc.integer({ min: -10, max: 50_000 }), fc.double()),
          drugName: fc.oneof(fc.constant('baclofen'), fc.string()),
          concentration: fc.oneof(concArb, fc.integer({ min: -5, max: 9_000 })),
          fillVolumeUl: fc.oneof(fc.integer({ min: -10, max: 50_000 }), fc.double()),
        }),
        therapy: fc.oneof(
          fc.record({
            mode: fc.constant('continuous' as const),
            dailyDose: fc.oneof(fc.integer(), fc.double()),
          }),
          fc.record({
            mode: fc.constant('flex' as const),
            steps: fc.array(
              fc.record({
                start: fc.integer({ min: -100, max: 90_000 }),
                dailyDose: fc.integer({ min: 0, max: 20_000_000 }),
              }),
              { maxLength: 15 },
            ),
          }),
        ),
        lowReservoirAlarmVolumeUl: fc.integer({ min: -1, max: 30_000 }),
        bolus: fc.record({
          kind: fc.constant('single' as const),
          amount: fc.integer({ min: -1, max: 40_000_000 }),
          duration: fc.integer({ min: -1, max: 200_000 }),
        }),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<ProgramChange>;
    fc.assert(
      fc.property(fc.array(actionArb(20 * 86_400, 20_000), { maxLength: 10 }), wild, (prefix, change) => {
        const { pump } = newPump();
        for (const a of prefix) run(pump, a);
        const before = pump.snapshot();
        const v = pump.validate(change);
        expect(pump.snapshot()).toEqual(before);
        const r = pump.apply(change);
        expect(r.ok).toBe(v.ok);
        if (!r.ok) {
          invalid += 1;
          expect(r.errors.length).toBeGreaterThan(0);
          expect(pump.snapshot()).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
    expect(invalid).toBeGreaterThan(100);
  });
});
