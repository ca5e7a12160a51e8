import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caregiverBurdenWords, dailyActivitiesWords } from '../shared/bedside';
import { HYPOTONIA_ACTIVITY_LOSS, outcomeMeasures } from './outcomes';
import { createPatient, fromPatientSnapshot, restorePatient } from './patient';
import { isNonResponderSeed, NON_RESPONDER_SEEDS, patientParams, PROFILE_IDS } from './profiles';
import type { HypotoniaExtent, ProfileId } from './types';

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
      // Found by this property in CI: daily activities came out as -0 (rounded from a small negative).
      {
        examples: [
          [
            {
              tone: 0,
              spasms: 3.800000000000019,
              withdrawalSigns: 1.199999999999997,
              depression: 0,
              hypotonia: 'upperLimbs',
            },
          ],
        ],
      },
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

describe('non-responders (issue 21: not a candidate at 100 mcg)', () => {
  const grade = (g: string) => ['0', '1', '1+', '2', '3', '4'].indexOf(g);
  /** The largest Ashworth grade drop over 12 h after a lumbar-puncture bolus in a naive patient. */
  const bestDrop = (profile: ProfileId, seed: number, doseMcg: number) => {
    const p = createPatient({ profile, seed, time: 0, establishedDoseMcgPerDay: 0 });
    const before = grade(p.findings().scores.modifiedAshworth);
    p.intervene({ kind: 'lumbarPunctureBolus', doseMcg });
    let drop = 0;
    for (let t = 900; t <= 12 * 3600; t += 900) {
      p.advance(t, 0);
      drop = Math.max(drop, before - grade(p.findings().scores.modifiedAshworth));
    }
    return drop;
  };

  it('seeds of the documented range do not drop a grade at 100 mcg, in every profile; ordinary seeds do', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROFILE_IDS),
        fc.integer({ min: NON_RESPONDER_SEEDS[0], max: NON_RESPONDER_SEEDS[1] }),
        (profile, seed) => {
          expect(isNonResponderSeed(seed)).toBe(true);
          expect(patientParams(profile, seed).responder).toBe(false);
          expect(bestDrop(profile, seed, 100)).toBe(0);
        },
      ),
      { numRuns: 12 },
    );
    // Everything else about them is an ordinary seeded patient, and outside the range they respond.
    for (const profile of PROFILE_IDS) {
      expect(patientParams(profile, 999_999).responder).toBe(true);
      expect(patientParams(profile, 1_001_000).responder).toBe(true);
      expect(bestDrop(profile, 7, 100)).toBeGreaterThanOrEqual(1);
    }
  });

  it('a saved patient from before the field restores as a responder', () => {
    const p = createPatient({ profile: 'spinal', seed: 3, time: 0 });
    const snap = p.snapshot();
    delete (snap.state.params as Partial<typeof snap.state.params>).responder;
    expect(restorePatient(snap).findings().profile).toBe('spinal');
    expect(fromPatientSnapshot(snap).params.responder).toBe(true);
  });
});
