/** Verify compares what the pump committed (issue 16 #4), on the real pump model. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPump } from '../../src/device';
import type { ProgramChange } from '../../src/device/types';
import { buildReviewRows, compareProgram, expectedProgram } from '../../src/main/service/review';
import { percentToDose } from '../../src/renderer/workflows/titration-model';

const T0 = 1_800_000_000;

function filled(concentration: number, dailyDose: number) {
  const pump = createPump({ model: 'SM2-20', serial: 'V1', startTime: T0 });
  const r = pump.apply({
    refill: {
      withdrawnVolumeUl: 0,
      drugName: 'baclofen',
      concentrationMcgPerMl: concentration,
      fillVolumeUl: 20_000,
    },
    therapy: { mode: 'continuous', dailyDoseNgPerDay: dailyDose },
  });
  expect(r.ok).toBe(true);
  return pump;
}

function commitAndCompare(pump: ReturnType<typeof createPump>, change: ProgramChange) {
  const before = pump.program();
  expect(pump.apply(change).ok).toBe(true);
  return compareProgram(expectedProgram(before, change), pump.program(), before.programVersion);
}

describe('verify after a correct update', () => {
  it('401 mcg/day at 2000 mcg/mL reads back 402: a match', () => {
    const r = commitAndCompare(filled(2000, 400_000), {
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 401_000 },
    });
    expect(r).toMatchObject({ matches: true, mismatches: [] });
    expect(r.program.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 402_000 });
  });

  it('+12.5% from 402 (452.25 requested, 452 read back): a match', () => {
    const requested = percentToDose(402_000, 12.5);
    expect(requested).toBe(452_250);
    expect(
      commitAndCompare(filled(2000, 402_000), {
        therapy: { mode: 'continuous', dailyDoseNgPerDay: requested },
      }).matches,
    ).toBe(true);
  });

  it('a flex schedule and a refill to a new concentration verify too', () => {
    const pump = filled(2000, 400_000);
    const flex: ProgramChange = {
      therapy: {
        mode: 'flex',
        steps: [
          { startSecondOfDay: 0, dailyDoseNgPerDay: 301_000 },
          { startSecondOfDay: 43_200, dailyDoseNgPerDay: 503_000 },
        ],
      },
    };
    expect(commitAndCompare(pump, flex).matches).toBe(true);
    const refill: ProgramChange = {
      refill: {
        withdrawnVolumeUl: 1000,
        drugName: 'baclofen',
        concentrationMcgPerMl: 1000,
        fillVolumeUl: 20_000,
      },
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 333_333 },
    };
    expect(commitAndCompare(pump, refill).matches).toBe(true);
  });

  it('property: any accepted continuous dose verifies; a different read-back still does not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(500, 1000, 2000),
        fc.integer({ min: 100_000, max: 1_500_000 }),
        (conc, dose) => {
          const pump = filled(conc, 400_000);
          const change: ProgramChange = { therapy: { mode: 'continuous', dailyDoseNgPerDay: dose } };
          if (!pump.validate(change).ok) return;
          const before = pump.program();
          expect(pump.apply(change).ok).toBe(true);
          const expected = expectedProgram(before, change);
          expect(compareProgram(expected, pump.program(), before.programVersion).matches).toBe(true);
          // A pump holding another dose is still caught.
          const other = {
            ...pump.program(),
            therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: dose + 10 * conc },
          };
          expect(compareProgram(expected, other, before.programVersion).matches).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('review rows: one meaning per name (issue 17)', () => {
  const flexPump = () => {
    const pump = filled(2000, 400_000);
    const steps = [
      { startSecondOfDay: 0, dailyDoseNgPerDay: 528_000 },
      { startSecondOfDay: 6 * 3600, dailyDoseNgPerDay: 440_000 },
      { startSecondOfDay: 22 * 3600, dailyDoseNgPerDay: 440_000 },
    ];
    expect(pump.apply({ therapy: { mode: 'flex', steps } }).ok).toBe(true);
    pump.advanceTo(T0 + 19 * 3600); // 03:00 UTC the next day: the 528 step runs
    return pump;
  };
  const rowsFor = (pump: ReturnType<typeof createPump>, change: ProgramChange) => {
    const v = pump.validate(change);
    expect(v.ok).toBe(true);
    return buildReviewRows({
      status: pump.status(),
      program: pump.program(),
      change,
      consequences: v.ok ? v.consequences : null,
      nextRefillOld: null,
      nextRefillNew: null,
    });
  };

  it('a bolus on a flex pump: daily dose is the 24 h total on both sides, not "(changed)"', () => {
    const pump = flexPump();
    expect(pump.status().dailyDoseNgPerDay).toBe(528_000); // the current step, not the daily dose
    const dose = rowsFor(pump, { bolus: { kind: 'single', amountNg: 20_000, durationS: 3600 } }).find(
      (r) => r.field === 'dailyDose',
    )!;
    expect(dose).toMatchObject({ label: 'Daily dose (24 h total)', changed: false });
    expect(dose.old).toBe(dose.new);
    expect(dose.old).not.toContain('528');
  });

  it('a refill leaves the daily dose unchanged (a new concentration with the same doses changes the rate only)', () => {
    const pump = flexPump();
    const refill = (concentration: number): ProgramChange => ({
      refill: {
        withdrawnVolumeUl: 10_000,
        drugName: 'baclofen',
        concentrationMcgPerMl: concentration,
        fillVolumeUl: 20_000,
      },
      // A new concentration must come with the therapy programmed again (the pump refuses otherwise).
      ...(concentration === 2000 ? {} : { therapy: pump.program().therapy }),
    });
    expect(rowsFor(pump, refill(2000)).find((r) => r.field === 'dailyDose')!.changed).toBe(false);
    const rows = rowsFor(pump, refill(1000));
    expect(rows.find((r) => r.field === 'dailyDose')!.changed).toBe(false);
    expect(rows.find((r) => r.field === 'rate')!.changed).toBe(true);
  });

  it('a titration that changes the dose is "(changed)"', () => {
    const pump = filled(2000, 400_000);
    const row = rowsFor(pump, { therapy: { mode: 'continuous', dailyDoseNgPerDay: 440_000 } }).find(
      (r) => r.field === 'dailyDose',
    )!;
    expect(row).toMatchObject({ old: '400 mcg/day', new: '440 mcg/day', changed: true });
  });
});
