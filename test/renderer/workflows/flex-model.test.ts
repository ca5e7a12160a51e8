import { describe, expect, it } from 'vitest';
import { parseDoseEntry } from '../../../src/renderer/workflows/entry';
import {
  addRow,
  describeSchedule,
  MAX_FLEX_STEPS,
  meanDailyDose,
  parseTimeOfDay,
  placeProgramErrors,
  removeRow,
  stepChart,
  validateFlex,
  type FlexRow,
} from '../../../src/renderer/workflows/flex-model';
import { formatDose } from '../../../src/shared/clinical/format';

const rows = (...r: [string, string][]): FlexRow[] =>
  r.map(([start, dose], i) => ({ key: `k${i}`, start, dose }));

describe('flex schedule validation', () => {
  it('turns valid rows into steps in pump units', () => {
    const v = validateFlex(rows(['00:00', '400'], ['07:30', '500.5'], ['22:00', '300']), parseDoseEntry);
    expect(v.steps).toEqual([
      { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
      { startSecondOfDay: 27_000, dailyDoseNgPerDay: 500_500 },
      { startSecondOfDay: 79_200, dailyDoseNgPerDay: 300_000 },
    ]);
    expect(v.scheduleErrors).toEqual([]);
  });

  it('explains each bad row and returns no steps', () => {
    const v = validateFlex(rows(['01:00', '400'], ['25:00', 'abc'], ['00:30', '-5']), parseDoseEntry);
    expect(v.steps).toBeNull();
    expect(v.rowErrors[0]!.start).toMatch(/00:00/);
    expect(v.rowErrors[1]!.start).toMatch(/00:00 to 23:59/);
    expect(v.rowErrors[1]!.dose).toMatch(/not a number/);
    expect(v.rowErrors[2]!.start).toMatch(/time order/);
    expect(v.rowErrors[2]!.dose).toMatch(/negative/);
  });

  it('refuses duplicate start times and more than 13 steps', () => {
    expect(
      validateFlex(rows(['00:00', '1'], ['06:00', '1'], ['06:00', '2']), parseDoseEntry).rowErrors[2]!.start,
    ).toMatch(/same time/);
    const many = Array.from(
      { length: MAX_FLEX_STEPS + 1 },
      (_, i) => [`${String(i).padStart(2, '0')}:00`, '100'] as [string, string],
    );
    expect(validateFlex(rows(...many), parseDoseEntry).scheduleErrors.join()).toMatch(/13/);
  });

  it('parses times strictly', () => {
    expect(parseTimeOfDay('7:05')).toEqual({ ok: true, value: 25_500 });
    expect(parseTimeOfDay('23:59')).toEqual({ ok: true, value: 86_340 });
    expect(parseTimeOfDay('12:60').ok).toBe(false);
    expect(parseTimeOfDay('noon').ok).toBe(false);
  });
});

describe('pump errors per row', () => {
  it('places step errors on their row and column, others on the schedule', () => {
    const placed = placeProgramErrors(
      [
        {
          code: 'FLEX_STEP_TOO_SHORT',
          field: 'therapy.steps.1.startSecondOfDay',
          message: 'Step shorter than 15 min.',
        },
        { code: 'RATE_ABOVE_MAXIMUM', field: 'therapy.steps.2.dailyDoseNgPerDay', message: 'Rate too high.' },
        { code: 'EMPTY_PROGRAM', field: 'therapy', message: 'Whole-schedule problem.' },
        { code: 'OUT_OF_RANGE', field: 'therapy.steps.9.startSecondOfDay', message: 'Row gone.' },
      ],
      3,
    );
    expect(placed.rowErrors[1]).toEqual({ start: 'Step shorter than 15 min.' });
    expect(placed.rowErrors[2]).toEqual({ dose: 'Rate too high.' });
    expect(placed.scheduleErrors).toEqual(['Whole-schedule problem.', 'Row gone.']);
  });
});

describe('row editing', () => {
  it('adds a row an hour after the last with the same dose, up to 13', () => {
    expect(addRow(rows(['00:00', '400'], ['06:00', '450']), 'n')).toContainEqual({
      key: 'n',
      start: '07:00',
      dose: '450',
    });
    const full = rows(
      ...Array.from({ length: 13 }, (_, i) => [`${String(i).padStart(2, '0')}:00`, '1'] as [string, string]),
    );
    expect(addRow(full, 'n')).toBe(full);
  });
  it('never removes the last remaining row', () => {
    const one = rows(['00:00', '400']);
    expect(removeRow(one, 'k0')).toBe(one);
    expect(removeRow(rows(['00:00', '1'], ['06:00', '2']), 'k1')).toHaveLength(1);
  });
});

describe('chart and description', () => {
  const steps = [
    { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
    { startSecondOfDay: 43_200, dailyDoseNgPerDay: 800_000 },
  ];
  it('draws a step line scaled to the largest dose', () => {
    const c = stepChart(steps, 240, 100);
    expect(c.maxDose).toBe(800_000);
    expect(c.path).toBe('M0,50 L120,50 L120,0 L240,0');
    expect(c.ticks.map((t) => t.label)).toEqual(['00:00', '06:00', '12:00', '18:00', '24:00']);
  });
  it('describes every step and the mean dose in words', () => {
    expect(meanDailyDose(steps)).toBe(600_000);
    expect(describeSchedule(steps, formatDose)).toBe(
      'Dose over 24 hours, 2 steps: 00:00 to 12:00 at 400 mcg/day; 12:00 to 24:00 at 800 mcg/day. Mean 600 mcg/day.',
    );
  });
});
