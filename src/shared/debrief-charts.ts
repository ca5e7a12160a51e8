/**
 * The debrief's timeline charts, defined once for both places that draw them: the programmer's debrief
 * screen (src/renderer/cases/DebriefScreen.tsx) and the stand-alone HTML debrief
 * (firmware-sim/scenario/debrief-html.ts). Each chart names the series of the debrief it plots, in the
 * clinic's words with their units; x is hours from the start of the case, with alarms and the learner's
 * actions as markers.
 */
import type { Series } from './training-case';

export interface DebriefChartSeries {
  label: string;
  /** Which of the debrief's series (a debrief saved before a series existed has none: an empty line). */
  key: Exclude<keyof Series, 't'>;
  color: string;
}

export interface DebriefChart {
  /** The element id (HTML) and test id (screen). */
  id: string;
  title: string;
  yLabel: string;
  series: DebriefChartSeries[];
}

export const DEBRIEF_CHARTS: readonly DebriefChart[] = [
  {
    id: 'chart-dose',
    title: 'Dose: programmed and truly delivered',
    yLabel: 'mcg/day',
    series: [
      { label: 'programmed (mcg/day)', key: 'programmedMcgPerDay', color: '#555' },
      { label: 'delivered to the spinal fluid (mcg/day)', key: 'deliveredMcgPerDay', color: '#c05000' },
    ],
  },
  {
    id: 'chart-reservoir',
    title: 'Reservoir: calculated and true',
    yLabel: 'mL',
    series: [
      { label: 'calculated by the pump (mL)', key: 'reservoirCalculatedMl', color: '#555' },
      { label: 'truly in the reservoir (mL)', key: 'reservoirTrueMl', color: '#0070c0' },
    ],
  },
  {
    id: 'chart-patient',
    title: 'Patient: spasticity and stages',
    yLabel: 'grade / stage',
    series: [
      { label: 'Modified Ashworth (0-4)', key: 'ashworth', color: '#7030a0' },
      { label: 'withdrawal stage (0 none - 4 life-threatening)', key: 'withdrawalStage', color: '#c00000' },
      { label: 'overdose stage (0 none - 3 severe)', key: 'overdoseStage', color: '#00a050' },
      { label: 'spasm frequency (Penn 0-4)', key: 'pennSpasms', color: '#a06000' },
    ],
  },
  {
    id: 'chart-benefits',
    title: 'Expected benefits: pain, sleep, caregiver burden',
    yLabel: 'score / count',
    series: [
      { label: 'pain (0-10, patient)', key: 'painNrs', color: '#c00000' },
      { label: 'times woken a night', key: 'awakeningsPerNight', color: '#0070c0' },
      { label: 'caregiver burden (0-10)', key: 'caregiverBurden', color: '#7030a0' },
    ],
  },
  {
    id: 'chart-activities',
    title: 'Expected benefits: daily activities (100 = independent)',
    yLabel: 'score',
    series: [{ label: 'daily activities (0-100)', key: 'dailyActivities', color: '#00a050' }],
  },
];
