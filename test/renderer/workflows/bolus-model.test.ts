import { describe, expect, it } from 'vitest';
import { getProfile } from '../../../src/shared/device-facts/profiles';
import { bolusPreview, suggestedPrimingVolume } from '../../../src/renderer/workflows/bolus-model';
import { status } from './fixtures';

const profile = getProfile('SM2-20');

describe('bolus preview', () => {
  it('single bolus: amount -> volume at the concentration, with duration and rate', () => {
    const { preview, errors } = bolusPreview(
      { kind: 'single', amount: '50', volume: '', duration: '60' },
      status(),
      profile,
    );
    expect(errors).toEqual({});
    expect(preview).toEqual({
      request: { kind: 'single', amountNg: 50_000, durationS: 3600 },
      amount: 50_000,
      volume: 100,
      duration: 3600,
      rate: 2400,
    });
  });

  it('bridge bolus is prescribed as drug too', () => {
    const { preview } = bolusPreview(
      { kind: 'bridge', amount: '160', volume: '', duration: '240' },
      status(),
      profile,
    );
    expect(preview?.request).toEqual({ kind: 'bridge', amountNg: 160_000, durationS: 14_400 });
    expect(preview?.volume).toBe(320);
  });

  it('priming bolus is prescribed as volume and shows the drug it carries', () => {
    const { preview } = bolusPreview(
      { kind: 'priming', amount: '', volume: '0.32', duration: '30' },
      status(),
      profile,
    );
    expect(preview?.request).toEqual({ kind: 'priming', volumeUl: 320, durationS: 1800 });
    expect(preview?.amount).toBe(160_000);
    expect(suggestedPrimingVolume(profile)).toBe(320);
  });

  it('refuses bad entries with a reason per field', () => {
    const bad = bolusPreview({ kind: 'single', amount: 'x', volume: '', duration: '0' }, status(), profile);
    expect(bad.preview).toBeNull();
    expect(bad.errors.amount).toMatch(/not a number/);
    expect(bad.errors.duration).toMatch(/Between/);
    const big = bolusPreview(
      { kind: 'single', amount: '7000', volume: '', duration: '600' },
      status(),
      profile,
    );
    expect(big.errors.amount).toMatch(/reservoir holds/);
    const prime = bolusPreview(
      { kind: 'priming', amount: '', volume: '2', duration: '30' },
      status(),
      profile,
    );
    expect(prime.errors.volume).toMatch(/At most/);
    const fast = bolusPreview(
      { kind: 'single', amount: '1000', volume: '', duration: '1' },
      status(),
      profile,
    );
    expect(fast.errors.duration).toMatch(/Too fast/);
  });
});
