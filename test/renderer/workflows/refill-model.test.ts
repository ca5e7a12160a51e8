import { describe, expect, it } from 'vitest';
import { getProfile } from '../../../src/shared/device-facts/profiles';
import { doseText, volumeText } from '../../../src/renderer/workflows/entry';
import {
  bridgeOffer,
  buildRefillRequest,
  discrepancyDisplay,
  initialEntries,
  refillCheck,
  refillSteps,
  stepErrors,
  type RefillContext,
  type RefillEntries,
} from '../../../src/renderer/workflows/refill-model';
import { program, status } from './fixtures';

function ctx(over: Partial<RefillContext> = {}): RefillContext {
  const s = status();
  return { status: s, program: program(), profile: getProfile(s.model), ...over };
}
function entries(c: RefillContext, over: Partial<RefillEntries> = {}): RefillEntries {
  return {
    ...initialEntries(c, doseText(400_000), volumeText),
    withdrawn: '12',
    concentrationChoice: '500',
    concentrationConfirm: '500',
    fill: '20',
    ...over,
  };
}

describe('discrepancy classification', () => {
  it('1 mL gap on a 20 mL pump is as expected; 1.001 mL is flagged as possible over-infusion', () => {
    const c = ctx();
    expect(discrepancyDisplay(refillCheck(entries(c, { withdrawn: '11' }), c)!)).toMatchObject({
      kind: 'asExpected',
      tone: 'ok',
    });
    const d = discrepancyDisplay(refillCheck(entries(c, { withdrawn: '10.999' }), c)!)!;
    expect(d).toMatchObject({ kind: 'lessThanExpected', tone: 'alert' });
    expect(d.title).toMatch(/over-infusion or pocket fill/);
    expect(d.actions.join(' ')).toMatch(/overdose/);
  });

  it('the threshold is 2 mL on a 40 mL pump, and more withdrawn than expected is flagged too', () => {
    const s = status({ model: 'SM2-40', reservoirCapacityUl: 40_000, reservoirVolumeUl: 30_000 });
    const c = ctx({ status: s, profile: getProfile('SM2-40') });
    expect(discrepancyDisplay(refillCheck(entries(c, { withdrawn: '28' }), c)!)!.kind).toBe('asExpected');
    expect(discrepancyDisplay(refillCheck(entries(c, { withdrawn: '27.9' }), c)!)!.kind).toBe(
      'lessThanExpected',
    );
    expect(discrepancyDisplay(refillCheck(entries(c, { withdrawn: '32.5' }), c)!)!.kind).toBe(
      'moreThanExpected',
    );
  });

  it('no check before a valid withdrawn volume is entered', () => {
    const c = ctx();
    expect(refillCheck(entries(c, { withdrawn: '' }), c)).toBeNull();
  });
});

describe('step validation', () => {
  it('withdrawn volume: typed errors and the capacity limit', () => {
    const c = ctx();
    expect(stepErrors('withdraw', entries(c, { withdrawn: 'lots' }), c).withdrawn).toMatch(/not a number/);
    expect(stepErrors('withdraw', entries(c, { withdrawn: '21' }), c).withdrawn).toMatch(/20.0 mL/);
    expect(stepErrors('withdraw', entries(c), c)).toEqual({});
  });

  it('concentration double entry: a mismatch blocks', () => {
    const c = ctx();
    expect(stepErrors('drug', entries(c, { concentrationConfirm: '50' }), c).concentrationConfirm).toMatch(
      /differ/,
    );
    expect(stepErrors('drug', entries(c, { concentrationChoice: '' }), c).concentrationChoice).toMatch(
      /Choose/,
    );
    expect(
      stepErrors(
        'drug',
        entries(c, {
          concentrationChoice: 'custom',
          concentrationCustom: '750',
          concentrationConfirm: '750',
        }),
        c,
      ),
    ).toEqual({});
    expect(stepErrors('drug', entries(c, { drugName: '' }), c).drugName).toBeDefined();
  });

  it('fill volume must be above 0 and at most the capacity', () => {
    const c = ctx();
    expect(stepErrors('fill', entries(c, { fill: '0' }), c).fill).toBeDefined();
    expect(stepErrors('fill', entries(c, { fill: '20.001' }), c).fill).toMatch(/capacity/);
    expect(stepErrors('fill', entries(c, { fill: '20' }), c)).toEqual({});
  });

  it('low-reservoir alarm must be within the profile range', () => {
    const c = ctx();
    expect(stepErrors('dose', entries(c, { lowReservoirAlarm: '0.1' }), c).lowReservoirAlarm).toMatch(
      /Between/,
    );
  });
});

describe('bridge bolus and the request', () => {
  it('offers the bridge step only when the concentration changes', () => {
    const c = ctx();
    expect(refillSteps(entries(c), c)).not.toContain('bridge');
    const changed = entries(c, { concentrationChoice: '1000', concentrationConfirm: '1000' });
    expect(refillSteps(changed, c)).toContain('bridge');
    const offer = bridgeOffer(changed, c);
    expect(offer?.ok).toBe(true);
    if (offer?.ok) expect(offer.bolus.kind).toBe('bridge');
  });

  it('builds one change: refill with double entry, therapy, alarm, and the accepted bridge bolus', () => {
    const c = ctx();
    const r = buildRefillRequest(
      entries(c, {
        concentrationChoice: '1000',
        concentrationConfirm: '1000',
        bridge: 'accept',
        dose: '450',
      }),
      c,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.refill).toEqual({
      withdrawnVolumeUl: 12_000,
      drugName: 'Baclofen',
      concentrationMcgPerMl: 1000,
      concentrationConfirmMcgPerMl: 1000,
      fillVolumeUl: 20_000,
    });
    expect(r.value.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 450_000 });
    expect(r.value.lowReservoirAlarmVolumeUl).toBe(2_000);
    expect(r.value.bolus?.kind).toBe('bridge');
  });

  it('a declined bridge sends no bolus; an undecided one blocks', () => {
    const c = ctx();
    const base = { concentrationChoice: '1000' as const, concentrationConfirm: '1000' };
    const declined = buildRefillRequest(entries(c, { ...base, bridge: 'decline' }), c);
    expect(declined.ok && declined.value.bolus).toBeFalsy();
    expect(buildRefillRequest(entries(c, { ...base }), c)).toMatchObject({
      ok: false,
      message: /Bridge bolus/,
    });
  });

  it('keeps a flex schedule through a refill', () => {
    const steps = [
      { startSecondOfDay: 0, dailyDoseNgPerDay: 300_000 },
      { startSecondOfDay: 43_200, dailyDoseNgPerDay: 500_000 },
    ];
    const c = ctx({ program: program({ therapy: { mode: 'flex', steps } }) });
    const r = buildRefillRequest(entries(c, { dose: '' }), c);
    expect(r.ok && r.value.therapy).toEqual({ mode: 'flex', steps });
  });
});
