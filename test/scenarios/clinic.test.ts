/** The expert drivers' pure helpers (scenarios/drivers/clinic.ts): dose steps, grades, syringe, bridge. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bridgeBolusFor,
  increasedDose,
  looksLikeWithdrawal,
  looksOverdosed,
  masAtLeast,
  syringeToMicrolitres,
} from '../../scenarios/drivers/clinic';
import type { BedsideFindings } from '../../src/training/scenario/driver';

const calm: BedsideFindings = {
  t: 0,
  vitals: {
    heartRateBpm: 70,
    systolicMmHg: 120,
    diastolicMmHg: 75,
    temperatureC: 36.8,
    respiratoryRatePerMin: 14,
    spo2Percent: 97,
  },
  modifiedAshworth: '1',
  pennSpasmFrequency: 1,
  consciousness: 'alert',
  mentalStatus: 'normal',
  pruritus: false,
  seizures: 0,
  symptoms: [],
};

describe('expert driver helpers', () => {
  it('increasedDose: a whole mcg/day, above the current dose, never beyond the step chosen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 5, max: 30 }), (mcg, pct) => {
        const now = mcg * 1000;
        const next = increasedDose(now, pct);
        expect(next % 1000).toBe(0);
        expect(next).toBeGreaterThanOrEqual(now);
        // Exact integer check: next <= now x (1 + pct/100).
        expect(next * 100).toBeLessThanOrEqual(now * (100 + pct));
      }),
    );
    expect(increasedDose(100_000, 20)).toBe(120_000);
    expect(increasedDose(50_000, 15)).toBe(57_000);
    expect(increasedDose(57_000, 15)).toBe(65_000);
    expect(() => increasedDose(0, 10)).toThrow(RangeError);
    expect(() => increasedDose(100_000, 0)).toThrow(RangeError);
    expect(() => increasedDose(100_000, 60)).toThrow(RangeError);
  });

  it('masAtLeast orders 1+ between 1 and 2 and refuses what is not a grade', () => {
    expect(masAtLeast('2', '2')).toBe(true);
    expect(masAtLeast('1+', '2')).toBe(false);
    expect(masAtLeast('1+', '1')).toBe(true);
    expect(masAtLeast('4', '1+')).toBe(true);
    expect(() => masAtLeast('5', '2')).toThrow(RangeError);
  });

  it('syringeToMicrolitres reads to the 0.1 mL graduation', () => {
    expect(syringeToMicrolitres(3.2)).toBe(3200);
    expect(syringeToMicrolitres(0)).toBe(0);
    expect(syringeToMicrolitres(2.449)).toBe(2400);
    expect(() => syringeToMicrolitres(-1)).toThrow(RangeError);
    expect(() => syringeToMicrolitres(Number.NaN)).toThrow(RangeError);
  });

  it("bridgeBolusFor follows the clinical model's rule (dead space at the old rate, in the new concentration)", () => {
    // 200 uL tubing + 120 uL catheter, 500 -> 1000 mcg/mL at 600 mcg/day (1200 uL/day):
    // 320 uL x 1000 mcg/mL = 320 mcg, over 320 / 1200 of a day = 6 h 24 min.
    const b = bridgeBolusFor({ model: 'SM2-20', concentrationMcgPerMl: 500, rateUlPerDay: 1200 }, 1000, 120);
    expect(b).toEqual({ kind: 'bridge', amountNg: 320_000, durationS: 23_040 });
    expect(() =>
      bridgeBolusFor({ model: 'SM2-20', concentrationMcgPerMl: 500, rateUlPerDay: 0 }, 1000, 120),
    ).toThrow(/bridge/);
  });

  it('reads overdose and withdrawal from the signs a clinician sees', () => {
    expect(looksOverdosed(calm)).toBe(false);
    expect(looksOverdosed({ ...calm, consciousness: 'drowsy' })).toBe(true);
    expect(looksOverdosed({ ...calm, vitals: { ...calm.vitals, spo2Percent: 88 } })).toBe(true);
    expect(looksLikeWithdrawal(calm, '1+')).toBe(false);
    expect(looksLikeWithdrawal({ ...calm, pruritus: true }, '1+')).toBe(true);
    expect(looksLikeWithdrawal({ ...calm, modifiedAshworth: '3' }, '1+')).toBe(true);
    expect(looksLikeWithdrawal({ ...calm, vitals: { ...calm.vitals, temperatureC: 38.4 } }, '1+')).toBe(true);
  });
});
