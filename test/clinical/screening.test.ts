import { describe, expect, it } from 'vitest';
import {
  ClinicalInputError,
  firstIncreaseAllowedAt,
  nextScreeningDose,
  startingDailyDose,
} from '../../src/shared/clinical';

const H = 3600;
const T0 = 1_700_000_000;

describe('nextScreeningDose', () => {
  it('starts at 50 mcg (25 mcg for a very small patient)', () => {
    expect(nextScreeningDose([], [])).toMatchObject({ kind: 'give', dose: 50_000, notBefore: null });
    expect(nextScreeningDose([], [], { smallPatient: true })).toMatchObject({ kind: 'give', dose: 25_000 });
  });

  it("issue 16 #11: a small patient is not declared a non-candidate before the label's 100 mcg step", () => {
    const doses = [25_000, 50_000, 75_000].map((dose, i) => ({ dose, givenAt: T0 + i * 24 * H }));
    const inadequate = ['inadequate', 'inadequate', 'inadequate'] as const;
    expect(nextScreeningDose(doses, [...inadequate], { smallPatient: true })).toMatchObject({
      kind: 'give',
      dose: 100_000,
      notBefore: T0 + 3 * 24 * H,
    });
    const all = [...doses, { dose: 100_000, givenAt: T0 + 3 * 24 * H }];
    expect(nextScreeningDose(all, [...inadequate, 'inadequate'], { smallPatient: true })).toMatchObject({
      kind: 'notCandidate',
    });
  });

  it('asks for the response 4-8 h after a bolus', () => {
    expect(nextScreeningDose([{ dose: 50_000, givenAt: T0 }], [])).toMatchObject({
      kind: 'observe',
      dose: 50_000,
      assessFrom: T0 + 4 * H,
      assessBy: T0 + 8 * H,
    });
  });

  it('climbs 50 -> 75 -> 100 mcg, 24 h apart, then gives up', () => {
    const d1 = { dose: 50_000, givenAt: T0 };
    expect(nextScreeningDose([d1], ['inadequate'])).toMatchObject({
      kind: 'give',
      dose: 75_000,
      notBefore: T0 + 24 * H,
    });
    const d2 = { dose: 75_000, givenAt: T0 + 24 * H };
    expect(nextScreeningDose([d1, d2], ['inadequate', 'inadequate'])).toMatchObject({
      kind: 'give',
      dose: 100_000,
      notBefore: T0 + 48 * H,
    });
    const d3 = { dose: 100_000, givenAt: T0 + 48 * H };
    expect(nextScreeningDose([d1, d2, d3], ['inadequate', 'inadequate', 'inadequate']).kind).toBe(
      'notCandidate',
    );
  });

  it('stops at an effective or an adverse response', () => {
    const d1 = { dose: 50_000, givenAt: T0 };
    const d2 = { dose: 75_000, givenAt: T0 + 30 * H };
    expect(nextScreeningDose([d1, d2], ['inadequate', 'effective'])).toMatchObject({
      kind: 'effective',
      effectiveDose: 75_000,
    });
    expect(nextScreeningDose([d1], ['adverse']).kind).toBe('stopped');
  });

  it('refuses a history that breaks the protocol', () => {
    const d1 = { dose: 50_000, givenAt: T0 };
    expect(nextScreeningDose([{ dose: 100_000, givenAt: T0 }], []).kind).toBe('invalid');
    expect(nextScreeningDose([d1, { dose: 75_000, givenAt: T0 + 12 * H }], ['inadequate']).kind).toBe(
      'invalid',
    );
    expect(nextScreeningDose([d1, { dose: 75_000, givenAt: T0 + 24 * H }], ['effective']).kind).toBe(
      'invalid',
    );
    expect(nextScreeningDose([d1], ['inadequate', 'inadequate']).kind).toBe('invalid');
    expect(nextScreeningDose([d1, { dose: 75_000, givenAt: T0 + 24 * H }], []).kind).toBe('invalid');
  });
});

describe('startingDailyDose', () => {
  it('is twice the effective screening dose', () => {
    expect(startingDailyDose(50_000, 6 * H)).toBe(100_000);
    expect(startingDailyDose(50_000, 8 * H)).toBe(100_000);
  });

  it('is once the screening dose when the effect lasted more than 8 h', () => {
    expect(startingDailyDose(50_000, 8 * H + 1)).toBe(50_000);
  });

  it('refuses fractional or negative input', () => {
    expect(() => startingDailyDose(50.5, H)).toThrow(ClinicalInputError);
    expect(() => startingDailyDose(50_000, -1)).toThrow(/effectDuration/);
  });

  it('the first increase is allowed 24 h after the start', () => {
    expect(firstIncreaseAllowedAt(T0)).toBe(T0 + 24 * H);
  });
});
