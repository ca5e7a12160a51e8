/**
 * The shared rule engine (evaluateChange) on states of the real pump model: its status, read-back program,
 * log and prepare-step consequences, exactly what the service and the edit screens hand to it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPump, type Pump } from '../../src/device';
import { getProfile } from '../../src/shared/device-facts/profiles';
import type { ProgramChange } from '../../src/device/types';
import { historyFromLog } from '../../src/shared/clinical/history';
import { proposeBridgeBolus } from '../../src/shared/clinical/refill';
import { evaluateChange, type ChangeInput } from '../../src/shared/clinical/rules';
import type { ProgramChangeRequest } from '../../src/shared/contract';
import { RULES_WITH_SOURCES } from '../../src/shared/clinical/sources';

const T0 = 1_800_000_000;
const H = 3600;
const DAY = 86_400;

/** A pump filled at `concentration` delivering `dose` since T0, advanced `after` seconds. */
function pumpAt(concentration: number, dose: number, after = 3 * DAY): Pump {
  const pump = createPump({ model: 'SM2-20', serial: 'R1', startTime: T0 });
  const r = pump.apply({
    refill: {
      withdrawnVolumeUl: 0,
      drugName: 'baclofen',
      concentrationMcgPerMl: concentration,
      fillVolumeUl: 20_000,
    },
    therapy: { mode: 'continuous', dailyDoseNgPerDay: dose },
  });
  expect(r.ok, JSON.stringify(r)).toBe(true);
  pump.advanceTo(T0 + after);
  return pump;
}

function input(pump: Pump, change: ProgramChangeRequest, over: Partial<ChangeInput> = {}): ChangeInput {
  const page = pump.readLog(0, 50);
  const status = pump.status();
  const toPump = toPumpChange(change);
  const v = pump.validate(toPump);
  return {
    status,
    program: pump.program(),
    history: historyFromLog(page.entries, page.total, status),
    change,
    consequences: v.ok ? v.consequences : null,
    origin: 'spinal',
    ...over,
  };
}

function toPumpChange(change: ProgramChangeRequest): ProgramChange {
  const out = { ...change } as ProgramChange;
  if (change.refill) {
    const { concentrationConfirmMcgPerMl: _c, ...refill } = change.refill;
    out.refill = refill;
  }
  return out;
}

const rules = (i: ChangeInput) => evaluateChange(i).findings.map((f) => `${f.rule}:${f.severity}`);

describe('issue 16 #1: boluses are checked against the daily dose', () => {
  it('2000 mcg over 1 h on a pump delivering 469 mcg/day is refused', () => {
    const pump = pumpAt(500, 469_000);
    const e = evaluateChange(input(pump, { bolus: { kind: 'single', amountNg: 2_000_000, durationS: H } }));
    expect(e.hardStop).toBe(true);
    expect(e.findings.find((f) => f.rule === 'BOLUS_ABOVE_DAILY_DOSE')).toMatchObject({
      severity: 'hardStop',
      source: expect.stringMatching(/assumption/i),
    });
  });

  it('a bolus above the daily dose needs a reason; within it, a note', () => {
    const pump = pumpAt(500, 469_000);
    expect(rules(input(pump, { bolus: { kind: 'single', amountNg: 600_000, durationS: H } }))).toContain(
      'BOLUS_ABOVE_DAILY_DOSE:warning',
    );
    expect(rules(input(pump, { bolus: { kind: 'single', amountNg: 50_000, durationS: H } }))).toContain(
      'BOLUS_WITHIN_DAILY_DOSE:info',
    );
  });

  it('patient-bolus settings whose daily maximum adds more than the label lets a dose rise are refused', () => {
    const pump = pumpAt(500, 400_000, 60 * DAY); // maintenance: spinal cap 40%
    const pb = (amount: number, maxPerDay: number) =>
      rules(input(pump, { patientBolus: { amountNg: amount, durationS: 600, maxPerDay, lockoutS: 3600 } }));
    expect(pb(20_000, 4)).toContain('PATIENT_BOLUS_DAILY_MAXIMUM:info'); // +20%
    expect(pb(40_000, 4)).toContain('PATIENT_BOLUS_DAILY_MAXIMUM:info'); // +40%: at the cap, allowed
    expect(pb(41_000, 4)).toContain('PATIENT_BOLUS_DAILY_MAXIMUM:hardStop'); // +41%
    // in titration the 30% step is guidance (a reason), 50% the bench's limit
    const early = pumpAt(500, 400_000, 3 * DAY);
    const pbEarly = (amount: number) =>
      rules(
        input(early, { patientBolus: { amountNg: amount, durationS: 600, maxPerDay: 4, lockoutS: 3600 } }),
      );
    expect(pbEarly(35_000)).toContain('PATIENT_BOLUS_DAILY_MAXIMUM:warning');
    expect(pbEarly(51_000)).toContain('PATIENT_BOLUS_DAILY_MAXIMUM:hardStop');
  });

  it('a priming bolus larger than the tubing and catheter is a warning', () => {
    const pump = pumpAt(500, 400_000);
    expect(rules(input(pump, { bolus: { kind: 'priming', volumeUl: 400, durationS: H } }))).toContain(
      'PRIMING_ABOVE_DEAD_SPACE:warning',
    );
  });
});

describe('issue 16 #2: the review says what a program cancels', () => {
  it('a new bolus during a bridge names the bridge left and the under-dose it causes', () => {
    const pump = pumpAt(500, 400_000);
    const refill = {
      withdrawnVolumeUl: 10_000,
      drugName: 'baclofen',
      concentrationMcgPerMl: 1000,
      fillVolumeUl: 20_000,
    };
    expect(
      pump.apply({
        refill,
        therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
        bolus: { kind: 'bridge', amountNg: 320_000, durationS: 8 * H },
      }).ok,
    ).toBe(true);
    pump.advanceTo(pump.now() + 2 * H);
    const e = evaluateChange(input(pump, { bolus: { kind: 'single', amountNg: 50_000, durationS: H } }));
    expect(e.cancels).toMatchObject({ kind: 'bridge', remaining: 240_000 });
    const f = e.findings.find((x) => x.rule === 'RUNNING_BOLUS_CANCELLED');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/0\.24 mL left/);
    expect(f?.message).toMatch(/50% less than the programmed dose/);
    expect(f?.message).toMatch(/under-dose/);
  });

  it('nothing is cancelled when no bolus runs', () => {
    const pump = pumpAt(500, 400_000);
    const e = evaluateChange(input(pump, { bolus: { kind: 'single', amountNg: 50_000, durationS: H } }));
    expect(e.cancels).toBeNull();
    expect(e.findings.map((f) => f.rule)).not.toContain('RUNNING_BOLUS_CANCELLED');
  });
});

describe('issue 16 #3: the bridge bolus offered is one the pump accepts', () => {
  const concs = [50, 500, 1000, 2000];
  const doses = [50_000, 100_000, 200_000, 400_000, 469_000, 800_000, 1_000_000, 1_500_000];
  const profile = getProfile('SM2-20');

  it("over the grid of concentrations and doses, every part passes the pump's own validation", () => {
    let checked = 0;
    let split = 0;
    for (const oldC of concs)
      for (const newC of concs) {
        if (oldC === newC) continue;
        for (const dose of doses) {
          const rate = Math.floor((dose + Math.floor(oldC / 2)) / oldC);
          if (rate < profile.minRate || rate > profile.maxRate) continue; // the pump refuses that therapy
          const pump = pumpAt(oldC, dose, DAY);
          const status = pump.status();
          const plan = proposeBridgeBolus({
            internalVolume: profile.pumpTubingVolume,
            catheterVolume: profile.catheterVolumePerCm * profile.catheterLengthCm,
            oldConcentration: oldC,
            newConcentration: newC,
            currentRate: status.rateUlPerDay,
            limits: profile,
          });
          expect(plan.ok).toBe(true);
          if (!plan.ok) continue;
          const dead = profile.pumpTubingVolume + profile.catheterVolumePerCm * profile.catheterLengthCm;
          expect(plan.parts.reduce((t, p) => t + p.volumeUl, 0)).toBe(dead);
          if (plan.parts.length > 1) split++;
          for (const part of plan.parts) {
            expect(part.durationS).toBeLessThanOrEqual(profile.bolusMaxDuration);
            const refill = {
              withdrawnVolumeUl: 0,
              drugName: 'baclofen',
              concentrationMcgPerMl: newC,
              fillVolumeUl: 10_000,
            };
            const v = pump.validate({
              refill,
              bolus: { kind: 'bridge', amountNg: part.amountNg, durationS: part.durationS },
            });
            const bolusErrors = v.ok ? [] : v.errors.filter((e) => e.field.startsWith('bolus'));
            expect(bolusErrors, `${oldC}->${newC} at ${dose} ng/day`).toEqual([]);
            checked++;
          }
        }
      }
    expect(checked).toBeGreaterThan(80);
    expect(split).toBeGreaterThan(0);
  });

  it('2000 -> 1000 mcg/mL at 400 mcg/day (320 uL over 1.6 days) is split at the 24 h limit', () => {
    const plan = proposeBridgeBolus({
      internalVolume: 200,
      catheterVolume: 120,
      oldConcentration: 2000,
      newConcentration: 1000,
      currentRate: 200,
      limits: profile,
    });
    expect(plan.ok && plan.parts.map((p) => [p.volumeUl, p.durationS])).toEqual([
      [200, DAY],
      [120, 51_840],
    ]);
    expect(plan.ok && plan.bolus).toEqual({ kind: 'bridge', amountNg: 200_000, durationS: DAY });
    expect(plan.ok && plan.message).toMatch(/split into 2 parts/);
  });
});

describe('issue 16 #5: guardrails judge the delivered dose', () => {
  it('98 -> 147 mcg/day at 2000 mcg/mL delivers 148 (+51%): refused', () => {
    const pump = pumpAt(2000, 98_000);
    const e = evaluateChange(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 147_000 } }));
    expect(e.effectiveDailyDose).toBe(148_000);
    expect(e.findings.map((f) => `${f.rule}:${f.severity}`)).toContain('INCREASE_HARD_LIMIT:hardStop');
    expect(e.findings.map((f) => f.rule)).toContain('DOSE_ROUNDED_BY_PUMP');
  });

  it('104 -> 135.2 mcg/day delivers 136 (+30.8%): beyond guidance, not "within"', () => {
    const pump = pumpAt(2000, 104_000);
    const r = rules(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 135_200 } }));
    expect(r).toContain('INCREASE_ABOVE_GUIDANCE:warning');
    expect(r).not.toContain('INCREASE_WITHIN_GUIDANCE:info');
  });

  it('an increase earlier today counts: measured against the dose in force 24 h ago, from the log', () => {
    const pump = pumpAt(500, 400_000);
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 460_000 } }).ok).toBe(true);
    pump.advanceTo(pump.now() + 2 * H);
    const e = evaluateChange(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 500_000 } }));
    expect(e.changePer24hBp).toBe(2500);
    expect(e.findings.map((f) => f.rule)).toContain('INCREASE_WITHIN_24H');
  });

  it('maintenance: above the label cap (40% spinal) is refused; a doubling in 4 weeks asks for a catheter check', () => {
    const pump = pumpAt(500, 300_000, 60 * DAY);
    expect(
      evaluateChange(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 430_000 } })).hardStop,
    ).toBe(true);
    expect(
      evaluateChange(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 420_000 } })).hardStop,
    ).toBe(false);
    for (const d of [420_000, 580_000]) {
      expect(pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: d } }).ok).toBe(true);
      pump.advanceTo(pump.now() + 7 * DAY);
    }
    expect(rules(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 620_000 } }))).toContain(
      'ESCALATION_CATHETER_CHECK:warning',
    );
  });
});

describe('issue 16 #6: the edit screen and the review get the same findings', () => {
  it('property: without the prepare consequences (edit screen) = with them (review)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(500, 1000, 2000),
        fc.integer({ min: 100_000, max: 900_000 }),
        fc.integer({ min: 60_000, max: 1_400_000 }),
        fc.constantFrom('spinal' as const, 'cerebral' as const),
        fc.constantFrom('adult' as const, 'childUnder12' as const),
        fc.integer({ min: H, max: 60 * DAY }),
        fc.boolean(),
        (conc, dose, proposed, origin, ageGroup, after, flex) => {
          const pump = pumpAt(conc, dose, after);
          const change: ProgramChangeRequest = flex
            ? {
                therapy: {
                  mode: 'flex',
                  steps: [
                    { startSecondOfDay: 0, dailyDoseNgPerDay: proposed },
                    { startSecondOfDay: 30_600, dailyDoseNgPerDay: Math.floor((proposed * 4) / 5) + 1 },
                  ],
                },
              }
            : { therapy: { mode: 'continuous', dailyDoseNgPerDay: proposed } };
          const review = input(pump, change, { origin, ageGroup });
          if (!review.consequences) return; // the pump refuses that rate: no review to compare
          const edit = { ...review, consequences: null };
          expect(evaluateChange(edit).findings).toEqual(evaluateChange(review).findings);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('issue 16 #7: no increase in the first 24 h, across sessions', () => {
  it('an hour after the first program, an increase needs a reason (the log shows the start)', () => {
    const pump = pumpAt(500, 100_000, H);
    const r = rules(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 110_000 } }));
    expect(r).toContain('INCREASE_IN_FIRST_24H:warning');
    expect(
      evaluateChange(input(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 110_000 } })).phase,
    ).toBe('titration');
  });
});

describe('issue 16 #8: children get the paediatric rules', () => {
  it('the same +25% is within guidance for an adult (spinal) and needs a reason for a child', () => {
    const pump = pumpAt(500, 200_000);
    const change = { therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: 250_000 } };
    expect(evaluateChange(input(pump, change)).needsOverrideReason).toBe(false);
    expect(evaluateChange(input(pump, change, { ageGroup: 'childUnder12' })).needsOverrideReason).toBe(true);
  });
});

describe('every finding names its rule, severity and source', () => {
  it('sources are filled for a busy change', () => {
    const pump = pumpAt(500, 400_000);
    const e = evaluateChange(
      input(pump, {
        refill: {
          withdrawnVolumeUl: 5000,
          drugName: 'baclofen',
          concentrationMcgPerMl: 1000,
          concentrationConfirmMcgPerMl: 1000,
          fillVolumeUl: 20_000,
        },
        therapy: { mode: 'continuous', dailyDoseNgPerDay: 440_000 },
      }),
    );
    expect(e.findings.length).toBeGreaterThan(2);
    for (const f of e.findings) {
      expect(f.source, f.rule).toMatch(/\w/);
      expect(RULES_WITH_SOURCES, f.rule).toContain(f.rule);
    }
    expect(e.bridge?.ok).toBe(true);
  });
});
