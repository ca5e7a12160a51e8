import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caregiverBurdenWords, dailyActivitiesWords } from '../shared/bedside';
import { HYPOTONIA_ACTIVITY_LOSS, outcomeMeasures } from './outcomes';
import { createPatient } from './patient';
import type { HypotoniaExtent } from './types';

const HYPO = Object.keys(HYPOTONIA_ACTIVITY_LOSS) as HypotoniaExtent[];
const inputs = fc.record({
  tone: fc.double({ min: 0, max: 5, noNaN: true }),
  spasms: fc.double({ min: 0, max: 4, noNaN: true }),
  withdrawalSigns: fc.double({ min: 0, max: 1.2, noNaN: true }),
  depression: fc.double({ min: 0, max: 4, noNaN: true }),
  hypotonia: fc.constantFrom(...HYPO),
});

describe('outcome measures (expected benefits of the seed document)', () => {
  it('are bounded integers on their scales', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const o = outcomeMeasures(i);
        for (const [v, hi] of [
          [o.painNrs, 10],
          [o.awakeningsPerNight, 10],
          [o.dailyActivities, 100],
          [o.caregiverBurden, 10],
        ] as const) {
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(hi);
        }
        expect(o.dailyActivities % 5).toBe(0);
      }),
    );
  });

  it('get no better with more tone, more spasms or more withdrawal', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom('tone', 'spasms', 'withdrawalSigns'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, key, more) => {
          const a = outcomeMeasures(i);
          const b = outcomeMeasures({ ...i, [key]: i[key] + more });
          expect(b.painNrs).toBeGreaterThanOrEqual(a.painNrs);
          expect(b.awakeningsPerNight).toBeGreaterThanOrEqual(a.awakeningsPerNight);
          expect(b.dailyActivities).toBeLessThanOrEqual(a.dailyActivities);
          expect(b.caregiverBurden).toBeGreaterThanOrEqual(a.caregiverBurden);
        },
      ),
    );
  });

  it('lose daily activities to excessive hypotonia and sedation (too much drug), not pain or sleep', () => {
    const base = { tone: 1, spasms: 0.5, withdrawalSigns: 0, depression: 0.5, hypotonia: 'none' as const };
    const ok = outcomeMeasures(base);
    const floppy = outcomeMeasures({ ...base, tone: 0, spasms: 0, hypotonia: 'trunk', depression: 1.8 });
    expect(floppy.dailyActivities).toBeLessThan(ok.dailyActivities - 30);
    expect(floppy.painNrs).toBeLessThanOrEqual(ok.painNrs);
    expect(floppy.awakeningsPerNight).toBe(0);
  });

  it('improve from a naive patient to one established on a maintenance dose, for every profile', () => {
    for (const profile of ['spinal', 'cerebral', 'pediatric-cp'] as const) {
      const naive = createPatient({ profile, seed: 0, time: 0, establishedDoseMcgPerDay: 0 }).findings();
      const treated = createPatient({ profile, seed: 0, time: 0 }).findings();
      expect(naive.outcomes.painNrs).toBeGreaterThanOrEqual(4);
      expect(treated.outcomes.painNrs).toBeLessThan(naive.outcomes.painNrs);
      expect(treated.outcomes.awakeningsPerNight).toBeLessThanOrEqual(naive.outcomes.awakeningsPerNight);
      expect(treated.outcomes.dailyActivities).toBeGreaterThan(naive.outcomes.dailyActivities + 20);
      expect(treated.outcomes.caregiverBurden).toBeLessThan(naive.outcomes.caregiverBurden);
    }
    // The spinal profile's frequent spasms (Penn 3) break the night.
    expect(
      createPatient({ profile: 'spinal', seed: 0, time: 0, establishedDoseMcgPerDay: 0 }).findings().outcomes
        .awakeningsPerNight,
    ).toBeGreaterThanOrEqual(3);
  });

  it('worsen in withdrawal (delivery stopped for 36 hours)', () => {
    const p = createPatient({ profile: 'spinal', seed: 0, time: 0 });
    const before = p.findings().outcomes;
    p.advance(36 * 3600, 0);
    const f = p.findings();
    expect(f.withdrawal.stage).not.toBe('none');
    expect(f.outcomes.painNrs).toBeGreaterThan(before.painNrs + 4);
    expect(f.outcomes.awakeningsPerNight).toBeGreaterThan(before.awakeningsPerNight);
    expect(f.outcomes.caregiverBurden).toBeGreaterThan(before.caregiverBurden + 4);
  });

  it('have words on the usual bands', () => {
    expect([100, 95, 70, 40, 10].map(dailyActivitiesWords)).toEqual([
      'independent',
      'slightly dependent',
      'moderately dependent',
      'severely dependent',
      'totally dependent',
    ]);
    expect([0, 4, 7, 10].map(caregiverBurdenWords)).toEqual(['light', 'moderate', 'heavy', 'very heavy']);
  });
});
