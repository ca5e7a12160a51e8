/**
 * The patient's response over the screening trial's observation hours (issue 21, point 3), as chart data:
 * only what the trainee assessed, at the times they chose, never the model's state. The x axis is hours
 * from the first dose (the baseline, taken before it, is at or below 0). A point the trainee did not
 * measure at that time is a gap (null), which the chart bridges, so a sparse chart still reads as a trend.
 */
import type { ScreeningView } from '../../shared/screening-view';
import type { ChartMarker, ChartSeries } from '../components/TimeChart';

/** Modified Ashworth grades on a numeric axis: 1+ sits between 1 and 2, as the scale orders it. */
const ASHWORTH_VALUE: Record<string, number> = { '0': 0, '1': 1, '1+': 1.5, '2': 2, '3': 3, '4': 4 };

export interface ScreeningChartData {
  /** Hours from the first dose, one per assessment, in time order. */
  x: number[];
  tone: ChartSeries[];
  vitals: ChartSeries[];
  /** One marker per dose given (the lumbar-puncture boluses). */
  markers: ChartMarker[];
}

const hours = (seconds: number) => Math.round((seconds / 3600) * 100) / 100;

export function screeningChartData(view: ScreeningView): ScreeningChartData | null {
  const assessments = [...view.assessments].sort((a, b) => a.time - b.time);
  const first = assessments[0];
  if (!first) return null;
  const origin = view.doses[0]?.givenAt ?? first.time;
  const x = assessments.map((a) => hours(a.time - origin));
  const pick = (f: (a: (typeof assessments)[number]) => number | undefined) =>
    assessments.map((a) => f(a) ?? null);
  return {
    x,
    tone: [
      {
        label: 'Modified Ashworth (0-4)',
        values: pick((a) =>
          a.modifiedAshworth !== undefined ? ASHWORTH_VALUE[a.modifiedAshworth] : undefined,
        ),
        color: '#6a1b9a',
      },
      { label: 'Penn spasm frequency (0-4)', values: pick((a) => a.pennSpasmFrequency), color: '#ef6c00' },
    ],
    vitals: [
      { label: 'Heart rate (bpm)', values: pick((a) => a.vitals?.heartRateBpm), color: '#c62828' },
      { label: 'Systolic BP (mmHg)', values: pick((a) => a.vitals?.systolicMmHg), color: '#1565c0' },
      {
        label: 'Respiratory rate (/min)',
        values: pick((a) => a.vitals?.respiratoryRatePerMin),
        color: '#2e7d32',
      },
      { label: 'SpO2 (%)', values: pick((a) => a.vitals?.spo2Percent), color: '#00838f' },
    ],
    markers: view.doses.map((d) => ({
      x: hours(d.givenAt - origin),
      kind: 'learner' as const,
      text: `${d.doseMcg} mcg by lumbar puncture`,
    })),
  };
}
