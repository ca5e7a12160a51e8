import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SECONDS_PER_DAY,
  evaluateRefill,
  proposeBridgeBolus,
  refillGapThreshold,
  type RefillCheckInput,
} from '../../src/shared/clinical';

const base: RefillCheckInput = {
  reservoirCapacity: 20_000,
  expectedVolume: 3000,
  withdrawnVolume: 3000,
  fillVolume: 20_000,
  concentration: 500,
  concentrationConfirm: 500,
  previousConcentration: 500,
};
const rules = (input: Partial<RefillCheckInput>) =>
  evaluateRefill({ ...base, ...input }).findings.map((f) => `${f.rule}:${f.severity}`);

describe('evaluateRefill: expected vs withdrawn volume', () => {
  it('the threshold is 1 mL on a 20 mL pump and 2 mL on a 40 mL pump', () => {
    expect(refillGapThreshold(20_000)).toBe(1000);
    expect(refillGapThreshold(40_000)).toBe(2000);
  });

  it('a 1.5 mL gap is flagged on a 20 mL pump, not on a 40 mL pump', () => {
    const small = evaluateRefill({ ...base, expectedVolume: 4500, withdrawnVolume: 3000 });
    expect(small.volumeGap).toBe(-1500);
    expect(small.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual([
      'WITHDRAWN_LESS_THAN_EXPECTED:warning',
    ]);
    expect(small.findings[0]!.message).toMatch(/over-infused/);
    expect(small.findings[0]!.message).toMatch(/overdose/);
    expect(small.needsOverrideReason).toBe(true);
    const large = evaluateRefill({
      ...base,
      reservoirCapacity: 40_000,
      expectedVolume: 4500,
      withdrawnVolume: 3000,
    });
    expect(large.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['WITHDRAWN_AS_EXPECTED:info']);
    expect(large.needsOverrideReason).toBe(false);
  });

  it('withdrawn more than expected is flagged as under-delivery or fluid from outside the reservoir', () => {
    const r = evaluateRefill({ ...base, expectedVolume: 3000, withdrawnVolume: 4500 });
    expect(r.volumeGap).toBe(1500);
    expect(r.findings[0]!.rule).toBe('WITHDRAWN_MORE_THAN_EXPECTED');
    expect(r.findings[0]!.message).toMatch(/withdrawal/);
    expect(r.findings[0]!.message).toMatch(/pocket/);
  });

  it('exactly the threshold is not flagged; one uL more is', () => {
    expect(rules({ expectedVolume: 4000, withdrawnVolume: 3000 })).toEqual(['WITHDRAWN_AS_EXPECTED:info']);
    expect(rules({ expectedVolume: 4001, withdrawnVolume: 3000 })).toEqual([
      'WITHDRAWN_LESS_THAN_EXPECTED:warning',
    ]);
  });

  it('more withdrawn than the reservoir holds is refused', () => {
    expect(rules({ expectedVolume: 20_000, withdrawnVolume: 20_500 })).toContain(
      'WITHDRAWN_OVER_CAPACITY:hardStop',
    );
  });
});

describe('evaluateRefill: fill volume and concentration', () => {
  it('a fill over capacity, or of nothing, is refused', () => {
    expect(rules({ fillVolume: 20_001 })).toContain('FILL_OVER_CAPACITY:hardStop');
    expect(rules({ fillVolume: 20_000 })).not.toContain('FILL_OVER_CAPACITY:hardStop');
    expect(rules({ fillVolume: 0 })).toContain('FILL_VOLUME_ZERO:hardStop');
  });

  it('a mismatched double entry of the concentration is refused', () => {
    const r = evaluateRefill({ ...base, concentration: 500, concentrationConfirm: 50 });
    expect(r.hardStop).toBe(true);
    expect(r.findings.map((f) => f.rule)).toContain('CONCENTRATION_ENTRY_MISMATCH');
    expect(r.bridgeBolusRecommended).toBe(false);
  });

  it('500 -> 5000 mcg/mL is flagged as a tenfold change and refused', () => {
    const r = evaluateRefill({ ...base, concentration: 5000, concentrationConfirm: 5000 });
    expect(r.hardStop).toBe(true);
    expect(r.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(
      expect.arrayContaining([
        'CONCENTRATION_TENFOLD_CHANGE:hardStop',
        'CONCENTRATION_ABOVE_MAXIMUM:hardStop',
      ]),
    );
    expect(r.findings.find((f) => f.rule === 'CONCENTRATION_TENFOLD_CHANGE')!.message).toMatch(/TENFOLD/);
    // tenfold down, between two marketed strengths, is refused too
    expect(rules({ previousConcentration: 500, concentration: 50, concentrationConfirm: 50 })).toContain(
      'CONCENTRATION_TENFOLD_CHANGE:hardStop',
    );
  });

  it('a smaller change is a warning and recommends a bridge bolus', () => {
    const r = evaluateRefill({ ...base, concentration: 2000, concentrationConfirm: 2000 });
    expect(r.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual([
      'WITHDRAWN_AS_EXPECTED:info',
      'CONCENTRATION_CHANGED:warning',
    ]);
    expect(r.concentrationChanged).toBe(true);
    expect(r.bridgeBolusRecommended).toBe(true);
    expect(evaluateRefill(base).bridgeBolusRecommended).toBe(false);
  });

  it('a non-standard concentration is a warning; above 2000 mcg/mL is refused', () => {
    expect(rules({ concentration: 750, concentrationConfirm: 750 })).toContain(
      'CONCENTRATION_NON_STANDARD:warning',
    );
    expect(rules({ previousConcentration: 2000, concentration: 3000, concentrationConfirm: 3000 })).toContain(
      'CONCENTRATION_ABOVE_MAXIMUM:hardStop',
    );
    expect(rules({ concentration: 0, concentrationConfirm: 0 })).toContain('CONCENTRATION_ZERO:hardStop');
  });

  it('a first fill has no previous concentration and no change', () => {
    const r = evaluateRefill({ ...base, previousConcentration: null, expectedVolume: 0, withdrawnVolume: 0 });
    expect(r.concentrationChanged).toBe(false);
    expect(r.hardStop).toBe(false);
  });

  it('issue 16 #9: the mg/mL slip is refused on a first fill as after a previous concentration', () => {
    const first = { previousConcentration: null, concentration: 2, concentrationConfirm: 2 };
    expect(rules(first)).toContain('CONCENTRATION_NOT_A_PRODUCT:hardStop');
    expect(rules({ ...first, previousConcentration: 2000 })).toContain(
      'CONCENTRATION_NOT_A_PRODUCT:hardStop',
    );
    // 1 (= 1000), and anything below a tenth of the lowest strength, is refused too
    expect(rules({ previousConcentration: null, concentration: 1, concentrationConfirm: 1 })).toContain(
      'CONCENTRATION_NOT_A_PRODUCT:hardStop',
    );
    expect(rules({ previousConcentration: null, concentration: 4, concentrationConfirm: 4 })).toContain(
      'CONCENTRATION_NOT_A_PRODUCT:hardStop',
    );
    // a compounded strength that is no product still only needs the double entry and a reason
    const custom = evaluateRefill({
      ...base,
      previousConcentration: null,
      concentration: 1500,
      concentrationConfirm: 1500,
    });
    expect(custom.hardStop).toBe(false);
    expect(custom.findings.map((f) => `${f.rule}:${f.severity}`)).toContain(
      'CONCENTRATION_NON_STANDARD:warning',
    );
    expect(custom.needsOverrideReason).toBe(true);
  });

  it('flags a drug that is not baclofen', () => {
    expect(rules({ drugName: 'Gablofen' })).not.toContain('DRUG_NOT_BACLOFEN:warning');
    expect(rules({ drugName: 'morphine' })).toContain('DRUG_NOT_BACLOFEN:warning');
  });

  it('invalid numbers are a hard stop naming the fields', () => {
    const r = evaluateRefill({ ...base, fillVolume: 18.5, withdrawnVolume: -1 });
    expect(r.hardStop).toBe(true);
    expect(r.findings).toEqual([
      {
        rule: 'INPUT_INVALID',
        severity: 'hardStop',
        message: 'Not a valid whole number: withdrawnVolume, fillVolume.',
      },
    ]);
  });

  it('property: every concentration change of tenfold or more is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 100_000 }), (prev, conc) => {
        const r = evaluateRefill({
          ...base,
          previousConcentration: prev,
          concentration: conc,
          concentrationConfirm: conc,
        });
        if (conc >= 10 * prev || conc * 10 <= prev) expect(r.hardStop).toBe(true);
      }),
    );
  });
});

describe('proposeBridgeBolus', () => {
  it('pushes tubing + catheter through at the previous rate, in the new concentration', () => {
    // 200 uL tubing + 100 uL catheter, 500 -> 2000 mcg/mL, 800 uL/day (400 mcg/day)
    const p = proposeBridgeBolus({
      internalVolume: 200,
      catheterVolume: 100,
      oldConcentration: 500,
      newConcentration: 2000,
      currentRate: 800,
    });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.bolus).toEqual({ kind: 'bridge', amountNg: 600_000, durationS: 32_400 });
    expect(p.deadSpaceVolume).toBe(300);
    expect(p.oldDrugDelivered).toBe(150_000);
    // the old drug reaches the patient at exactly the previous 400 mcg/day
    expect((p.oldDrugDelivered * SECONDS_PER_DAY) / p.bolus.durationS).toBe(400_000);
    expect(p.message).toMatch(/over 9 h at 0.800 mL\/day/);
  });

  it('property: the pump delivers the dead-space volume, at the previous rate within rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 24_000 }),
        (internal, catheter, oldC, newC, rate) => {
          const p = proposeBridgeBolus({
            internalVolume: internal,
            catheterVolume: catheter,
            oldConcentration: oldC,
            newConcentration: newC,
            currentRate: rate,
          });
          if (!p.ok) throw new Error(p.error.message);
          expect(p.bolus.amountNg / newC).toBe(internal + catheter);
          const exact = ((internal + catheter) * SECONDS_PER_DAY) / rate;
          expect(Math.abs(p.bolus.durationS - exact)).toBeLessThanOrEqual(Math.max(0.5, 1 - exact));
        },
      ),
    );
  });

  it('refuses with a reason when there is nothing to bridge or no rate to bridge at', () => {
    const args = {
      internalVolume: 200,
      catheterVolume: 100,
      oldConcentration: 500,
      newConcentration: 2000,
      currentRate: 800,
    };
    const noRate = proposeBridgeBolus({ ...args, currentRate: 0 });
    expect(noRate.ok || noRate.error.code).toBe('PUMP_NOT_DELIVERING');
    const none = proposeBridgeBolus({ ...args, internalVolume: 0, catheterVolume: 0 });
    expect(none.ok || none.error.code).toBe('NO_DEAD_SPACE');
    const bad = proposeBridgeBolus({ ...args, newConcentration: 0 });
    expect(bad.ok || bad.error.message).toBe('Not a valid whole number: newConcentration.');
  });
});
