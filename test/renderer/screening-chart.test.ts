import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_SCREENING_VIEW, type ScreeningView } from '../../src/shared/screening-view';
import { screeningChartData } from '../../src/renderer/candidacy/screening-chart';

const T0 = 1_767_254_400; // 2026-01-01T08:00:00Z
const vitals = (hr: number) => ({
  heartRateBpm: hr,
  systolicMmHg: 120,
  diastolicMmHg: 80,
  respiratoryRatePerMin: 14,
  spo2Percent: 98,
  temperatureC: 36.8,
});

function trial(): ScreeningView {
  return {
    ...EMPTY_SCREENING_VIEW,
    active: true,
    startedAt: T0 - 600,
    now: T0 + 4 * 3600,
    doses: [{ doseMcg: 50, givenAt: T0 }],
    // Out of order on purpose: the chart sorts by time.
    assessments: [
      { time: T0 + 4 * 3600, kinds: ['tone', 'spasms'], modifiedAshworth: '1+', pennSpasmFrequency: 1 },
      {
        time: T0 - 300,
        kinds: ['tone', 'spasms', 'vitals'],
        modifiedAshworth: '3',
        pennSpasmFrequency: 3,
        vitals: vitals(80),
      },
      { time: T0 + 3600, kinds: ['vitals'], vitals: vitals(72) },
    ],
  };
}

describe('screening response chart data', () => {
  it('is null before any assessment', () => {
    expect(screeningChartData(EMPTY_SCREENING_VIEW)).toBeNull();
  });

  it('puts each assessment at its hours from the first dose, the baseline before 0', () => {
    const d = screeningChartData(trial())!;
    expect(d.x).toEqual([-0.08, 1, 4]);
    const ashworth = d.tone.find((s) => s.label.startsWith('Modified Ashworth'))!;
    // 1+ sits between 1 and 2; a time with no tone assessment is a gap, not a zero.
    expect(ashworth.values).toEqual([3, null, 1.5]);
    const hr = d.vitals.find((s) => s.label.startsWith('Heart rate'))!;
    expect(hr.values).toEqual([80, 72, null]);
    expect(d.markers).toEqual([{ x: 0, kind: 'learner', text: '50 mcg by lumbar puncture' }]);
  });

  it('never invents a value: every non-null point is one the trainee measured', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: -3600, max: 48 * 3600 }),
            grade: fc.option(fc.constantFrom('0', '1', '1+', '2', '3', '4'), { nil: undefined }),
            hr: fc.option(fc.integer({ min: 30, max: 180 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const view: ScreeningView = {
            ...trial(),
            assessments: rows.map((r) => ({
              time: T0 + r.dt,
              kinds: ['tone'],
              ...(r.grade !== undefined ? { modifiedAshworth: r.grade } : {}),
              ...(r.hr !== undefined ? { vitals: vitals(r.hr) } : {}),
            })),
          };
          const d = screeningChartData(view)!;
          expect(d.x).toHaveLength(rows.length);
          expect([...d.x]).toEqual([...d.x].sort((a, b) => a - b));
          const hr = d.vitals.find((s) => s.label.startsWith('Heart rate'))!.values;
          expect(hr.filter((v) => v !== null).length).toBe(rows.filter((r) => r.hr !== undefined).length);
          for (const series of [...d.tone, ...d.vitals]) expect(series.values).toHaveLength(rows.length);
        },
      ),
    );
  });
});
