import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  advanceTrial,
  assessTrial,
  giveScreeningBolus,
  planFirstProgramming,
  recordResponse,
  responseCurve,
  restoreTrial,
  startTrial,
  suggestedResponse,
  trialFindings,
  trialStep,
  TrialError,
  type ScreeningTrialState,
} from '../../src/training/screening-trial';

const H = 3600;
const T0 = 1_800_000_000; // a whole number of 15-minute samples, so the chart's samples fall on the hour

const POINTS: Record<string, number> = { '0': 0, '1': 1, '1+': 1.5, '2': 2, '3': 3, '4': 4 };
const mas = (s: ScreeningTrialState): number => POINTS[s.assessments.at(-1)!.modifiedAshworth!]!;

/** Vital signs every hour for 4 h after the bolus just given, then tone and spasms at 4 h. */
function monitorFirstHours(s: ScreeningTrialState): ScreeningTrialState {
  const at = s.doses.at(-1)!.givenAt;
  for (let h = 1; h <= 4; h++) s = assessTrial(advanceTrial(s, at + h * H), ['vitals', 'sedation']);
  return assessTrial(s, ['tone', 'spasms', 'report']);
}

describe('screening trial on the virtual patient', () => {
  it('spinal patient, 50 mcg effective at 4 h, effect seen to 8 h: start at twice the dose, 100 mcg/day, no increase for 24 h', () => {
    let s = startTrial({ profile: 'spinal', seed: 1, time: T0 });
    s = assessTrial(s, ['tone', 'spasms', 'vitals']);
    const baseline = mas(s);
    expect(baseline).toBeGreaterThanOrEqual(3);
    expect(trialStep(s)).toMatchObject({ kind: 'give', dose: 50_000 });
    s = giveScreeningBolus(s, 50);
    s = monitorFirstHours(s);
    expect(baseline - mas(s)).toBeGreaterThanOrEqual(1); // the model's peak response at 4 h
    s = recordResponse(s, 'effective', 'Ashworth down from 3 to 1+, spasms fewer, alert, breathing normal');
    expect(s.decision).toMatchObject({ outcome: 'positive', effectiveDoseMcg: 50 });
    // The trainee keeps looking: at 8 h the tone is still a point below baseline, at 10 h it is back.
    s = assessTrial(advanceTrial(s, T0 + 8 * H), ['tone']);
    expect(baseline - mas(s)).toBeGreaterThanOrEqual(1);
    s = assessTrial(advanceTrial(s, T0 + 10 * H), ['tone']);
    expect(baseline - mas(s)).toBeLessThan(1);
    const plan = planFirstProgramming(s, T0 + 30 * H, { model: 'SM2-20', concentration: 500 });
    expect(plan.observedEffectDurationS).toBe(8 * H);
    expect(plan.basis).toBe('twiceScreeningDose');
    expect(plan.startingDailyDoseMcg).toBe(100);
    expect(plan.noIncreaseBefore).toBe(T0 + 54 * H);
    // Priming: 200 uL of pump tubing + 60 cm x 2 uL/cm of catheter; 100 mcg/day at 500 mcg/mL is 200 uL/day.
    expect(plan.primingVolumeUl).toBe(320);
    expect(plan.rateUlPerDay).toBe(200);
    expect(plan.deliveredDailyDoseMcg).toBe(100);
    expect(plan.message).toMatch(
      /^Prime 0.32 mL .* Start at 100 mcg\/day: twice .* No increase in the first 24 h\.$/,
    );
    expect(() => planFirstProgramming(s, T0 + 30 * H, { model: 'SM2-20', concentration: 0 })).toThrow(
      /concentration/,
    );
    expect(() => planFirstProgramming(s, T0 + 30 * H, { model: 'SM3' as never, concentration: 500 })).toThrow(
      /unknown pump model/,
    );
    expect(() =>
      planFirstProgramming(s, T0 + 30 * H, { model: 'SM2-20', concentration: 500, catheterLengthCm: 500 }),
    ).toThrow(/catheter length/);
    // 100 mcg/day at 4000 mcg/mL would be 25 uL/day, below the pump's slowest rate.
    expect(() => planFirstProgramming(s, T0 + 30 * H, { model: 'SM2-20', concentration: 4000 })).toThrow(
      /outside the pump/,
    );
    expect(() => planFirstProgramming(s, T0, { model: 'SM2-20', concentration: 500 })).toThrow(
      /after the trial/,
    );
    expect(trialFindings(s)).toEqual([]);
    // The chart: the model's effect rises after the bolus and falls back within the day.
    const curve = responseCurve(s);
    const effectAt = (h: number): number => curve.find((r) => r.time === T0 + h * H)!.effect;
    expect(effectAt(4)).toBeGreaterThan(effectAt(1));
    expect(effectAt(10)).toBeLessThan(effectAt(4));
  });

  it('cerebral patient, 50 mcg whose effect is still seen at 10 h: the same dose over 24 h, 50 mcg/day', () => {
    let s = startTrial({ profile: 'cerebral', seed: 2, time: T0 });
    s = assessTrial(s, ['tone']);
    const baseline = mas(s);
    s = monitorFirstHours(giveScreeningBolus(s, 50));
    s = recordResponse(s, 'effective', 'tone down two grades');
    s = assessTrial(advanceTrial(s, T0 + 10 * H), ['tone']);
    expect(baseline - mas(s)).toBeGreaterThanOrEqual(1);
    const plan = planFirstProgramming(s, T0 + 24 * H, {
      model: 'SM2-40',
      concentration: 500,
      catheterLengthCm: 45,
    });
    expect(plan.observedEffectDurationS).toBe(10 * H);
    expect(plan.basis).toBe('sameAsScreeningDose');
    expect(plan.startingDailyDoseMcg).toBe(50);
    expect(plan.message).toContain('more than 8 h');
    expect(plan.primingVolumeUl).toBe(200 + 2 * 45);
    expect(plan.rateUlPerDay).toBe(100);
  });

  it('a very small patient climbs the ladder from 25 mcg: inadequate at 25, effective at 50 the next day', () => {
    let s = startTrial({ profile: 'spinal', seed: 1, time: T0, smallPatient: true });
    s = assessTrial(s, ['tone']);
    const baseline = mas(s);
    expect(trialStep(s)).toMatchObject({ kind: 'give', dose: 25_000 });
    s = monitorFirstHours(giveScreeningBolus(s, 25));
    expect(baseline - mas(s)).toBeLessThan(1); // 25 mcg barely moves this patient's tone
    s = recordResponse(s, 'inadequate', 'no change in tone at 4 h');
    expect(() => giveScreeningBolus(advanceTrial(s, T0 + 23 * H), 50)).toThrow(/24 h after the previous one/);
    s = assessTrial(advanceTrial(s, T0 + 24 * H), ['tone']);
    s = monitorFirstHours(giveScreeningBolus(s, 50));
    expect(baseline - mas(s)).toBeGreaterThanOrEqual(1);
    s = recordResponse(s, 'effective', 'tone down at 4 h');
    expect(s.decision).toMatchObject({ outcome: 'positive', effectiveDoseMcg: 50 });
    expect(trialFindings(s)).toEqual([]);
  });

  it('no adequate response to 100 mcg ends the ladder: not a candidate, and no pump programming', () => {
    let s = startTrial({ profile: 'spinal', seed: 0, time: T0 });
    for (const [i, dose] of [50, 75, 100].entries()) {
      s = assessTrial(advanceTrial(s, T0 + i * 24 * H), ['tone']);
      s = monitorFirstHours(giveScreeningBolus(s, dose));
      s = recordResponse(s, 'inadequate', 'judged inadequate');
    }
    expect(s.decision).toMatchObject({ outcome: 'notCandidate', reason: 'judged inadequate' });
    expect(s.decision!.rule).toMatch(/not a candidate/);
    expect(() => planFirstProgramming(s, T0 + 80 * H, { model: 'SM2-20', concentration: 500 })).toThrow(
      /positive screening trial/,
    );
    expect(() => giveScreeningBolus(advanceTrial(s, T0 + 80 * H), 100)).toThrow(/decided/);
    // This patient's tone did fall by a point each time: the debrief says so.
    expect(trialFindings(s).filter((f) => f.code === 'RESPONSE_DIFFERS_FROM_ASSESSMENTS')).toHaveLength(3);
  });

  it('an adverse response stops the trial at once, before the 4 h observation', () => {
    let s = startTrial({ profile: 'pediatric-cp', seed: 1, time: T0, smallPatient: true });
    s = giveScreeningBolus(assessTrial(s, ['tone']), 25);
    s = advanceTrial(s, T0 + 1 * H);
    expect(() => recordResponse(s, 'effective', 'looks good')).toThrow(/from 4 h after the bolus/);
    s = recordResponse(s, 'adverse', 'excessive hypotonia of the trunk');
    expect(s.decision).toMatchObject({ outcome: 'stopped', reason: 'excessive hypotonia of the trunk' });
    expect(() => planFirstProgramming(s, T0 + 2 * H, { model: 'SM2-20', concentration: 500 })).toThrow(
      TrialError,
    );
  });

  it('an adverse response computed by the model (a sensitive cerebral patient, 50 mcg): the assessments show it, the trial stops', () => {
    let s = startTrial({ profile: 'cerebral', seed: 72, time: T0 });
    s = giveScreeningBolus(assessTrial(s, ['tone', 'vitals', 'sedation']), 50);
    for (let h = 1; h <= 2; h++) s = assessTrial(advanceTrial(s, T0 + h * H), ['vitals', 'sedation']);
    const last = s.assessments.at(-1)!;
    expect(['respondsToVoice', 'respondsToPain', 'unresponsive']).toContain(last.sedation!.consciousness);
    expect(suggestedResponse(s)).toBe('adverse');
    // Judging it effective at 4 h contradicts what was recorded: the debrief says so.
    const wrong = recordResponse(
      assessTrial(advanceTrial(s, T0 + 4 * H), ['tone', 'vitals']),
      'effective',
      'tone down',
    );
    expect(trialFindings(wrong).map((f) => f.code)).toContain('RESPONSE_DIFFERS_FROM_ASSESSMENTS');
    s = recordResponse(s, 'adverse', 'responds only to voice two hours after the bolus: stop, monitor');
    expect(s.decision).toMatchObject({ outcome: 'stopped' });
    expect(trialFindings(s)).toEqual([]);
  });

  it('the debrief names a missing baseline and gaps in the first hours of monitoring', () => {
    let s = startTrial({ profile: 'spinal', seed: 0, time: T0 });
    s = giveScreeningBolus(s, 50);
    s = assessTrial(advanceTrial(s, T0 + 3 * H), ['vitals']);
    s = assessTrial(advanceTrial(s, T0 + 4 * H), ['tone', 'vitals']);
    const codes = trialFindings(s).map((f) => f.code);
    expect(codes).toContain('NO_BASELINE');
    expect(trialFindings(s).find((f) => f.code === 'MONITORING_GAP')!.message).toContain(
      'No vital signs for 3 h in the first 4 h',
    );
  });

  it('bad input is refused with a clear error and the state given is unchanged', () => {
    const s0 = assessTrial(startTrial({ profile: 'spinal', seed: 3, time: T0 }), ['tone']);
    const copy = structuredClone(s0);
    expect(() => giveScreeningBolus(s0, 75)).toThrow(/next screening dose is 50 mcg, not 75/);
    expect(() => advanceTrial(s0, T0 - 1)).toThrow(/backwards/);
    expect(() => advanceTrial(s0, T0 + 11 * 24 * H)).toThrow(/10 days/);
    expect(() => advanceTrial(s0, T0 + 0.5)).toThrow(/whole number/);
    expect(() => assessTrial(s0, [])).toThrow(/at least one/);
    expect(() => assessTrial(s0, ['mood' as never])).toThrow(/unknown assessment "mood"/);
    expect(() => recordResponse(s0, 'effective', 'x')).toThrow(/no screening dose awaiting/);
    const s1 = giveScreeningBolus(s0, 50);
    expect(() => giveScreeningBolus(s1, 75)).toThrow(/record the response/);
    expect(() => recordResponse(advanceTrial(s1, T0 + 5 * H), 'effective', '  ')).toThrow(/reason/);
    expect(() => recordResponse(s1, 'great' as never, 'x')).toThrow(/effective, inadequate or adverse/);
    expect(() => startTrial({ profile: 'adult' as never, time: 0 })).toThrow(/unknown patient profile/);
    expect(s0).toEqual(copy);
  });

  it('a trial saved as JSON restores to the same trial; a damaged one is refused with the reason', () => {
    let s = startTrial({ profile: 'spinal', seed: 1, time: T0 });
    s = monitorFirstHours(giveScreeningBolus(assessTrial(s, ['tone']), 50));
    s = recordResponse(s, 'effective', 'tone down');
    const json = JSON.parse(JSON.stringify(s)) as unknown;
    // Equal to what was saved (JSON turns the history's -0 into 0), and it carries on as the original does.
    const r = restoreTrial(json);
    expect(r).toEqual(json);
    const next = (t: ScreeningTrialState) =>
      assessTrial(advanceTrial(t, T0 + 8 * H), ['tone', 'vitals']).assessments.at(-1);
    expect(next(r)).toEqual(next(s));
    const bad = (f: (j: Record<string, unknown>) => void): unknown => {
      const j = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      f(j);
      return j;
    };
    expect(() => restoreTrial(null)).toThrow(/must be an object/);
    expect(() => restoreTrial(bad((j) => (j.version = 2)))).toThrow(/version 2/);
    expect(() => restoreTrial(bad((j) => ((j.doses as { doseMcg: number }[])[0]!.doseMcg = 60)))).toThrow(
      /off the ladder/,
    );
    expect(() => restoreTrial(bad((j) => (j.decision = null)))).toThrow(/no decision/);
    expect(() =>
      restoreTrial(bad((j) => ((j.decision as { outcome: string }).outcome = 'notCandidate'))),
    ).toThrow(/does not follow/);
    expect(() => restoreTrial(bad((j) => ((j.patient as { x: number[] }).x = [1])))).toThrow(
      /the trial's patient: .*x must be/,
    );
    expect(() => restoreTrial(bad((j) => ((j.responses as { reason: string }[])[0]!.reason = '')))).toThrow(
      /reason/,
    );
  });

  it('property: any sequence of trainee actions keeps the trial on the ladder, and a refused action changes nothing', () => {
    type Op =
      | { op: 'advance'; minutes: number }
      | { op: 'give'; dose: number }
      | { op: 'assess' }
      | { op: 'respond'; r: 'effective' | 'inadequate' | 'adverse' };
    const op = fc.oneof(
      fc.record({ op: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 30 * 60 }) }),
      fc.record({ op: fc.constant('give' as const), dose: fc.constantFrom(25, 50, 75, 100, 150) }),
      fc.record({ op: fc.constant('assess' as const) }),
      fc.record({
        op: fc.constant('respond' as const),
        r: fc.constantFrom('effective', 'inadequate', 'adverse'),
      }),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.array(op, { maxLength: 25 }), (small, ops: Op[]) => {
        let s = startTrial({ profile: 'cerebral', seed: 5, time: T0, smallPatient: small });
        for (const o of ops) {
          const before = structuredClone(s);
          try {
            if (o.op === 'advance') s = advanceTrial(s, s.patient.now + o.minutes * 60);
            else if (o.op === 'give') s = giveScreeningBolus(s, o.dose);
            else if (o.op === 'assess') s = assessTrial(s, ['tone', 'vitals']);
            else s = recordResponse(s, o.r, 'reason');
          } catch (e) {
            expect(e).toBeInstanceOf(TrialError);
            expect(s).toEqual(before);
          }
        }
        const ladder = small ? [25, 50, 75, 100] : [50, 75, 100];
        s.doses.forEach((d, i) => {
          expect(d.doseMcg).toBe(ladder[i]);
          if (i > 0) expect(d.givenAt - s.doses[i - 1]!.givenAt).toBeGreaterThanOrEqual(24 * H);
        });
        expect(s.responses.length).toBeLessThanOrEqual(s.doses.length);
        expect(trialStep(s).kind).not.toBe('invalid');
      }),
      { numRuns: 60 },
    );
  });
});
