import { describe, expect, it } from 'vitest';
import {
  changeBp,
  currentDailyDose,
  formatBp,
  guidanceText,
  percentToDose,
  project,
  titrationView,
  verdictOf,
} from '../../../src/renderer/workflows/titration-model';
import { program, status, T0 } from './fixtures';

describe('percentage to dose', () => {
  it('applies a signed percentage to the current dose, to the ng', () => {
    expect(percentToDose(400_000, 15)).toBe(460_000);
    expect(percentToDose(400_000, -10)).toBe(360_000);
    expect(percentToDose(333_333, 10)).toBe(366_666);
    expect(changeBp(400_000, 460_000)).toBe(1500);
    expect(changeBp(0, 100_000)).toBeNull();
    expect(formatBp(1500)).toBe('+15%');
    expect(formatBp(-1000)).toBe('-10%');
  });

  it('starts from the flex mean when the pump runs a flex schedule', () => {
    const p = program({
      therapy: {
        mode: 'flex',
        steps: [
          { start: 0, dailyDose: 300_000 },
          { start: 43_200, dailyDose: 500_000 },
        ],
      },
    });
    expect(currentDailyDose(p)).toBe(400_000);
    expect(currentDailyDose(program({ therapy: { mode: 'stopped' } }))).toBe(0);
  });
});

describe('live titration view', () => {
  it('a spinal +15% is within guidance, with the new rate and dates', () => {
    const v = titrationView('percent', '+15', program(), status(), 'spinal');
    expect(v.newDose).toEqual({ ok: true, value: 460_000 });
    expect(v.evaluation?.changePer24hBp).toBe(1500);
    expect(verdictOf(v.evaluation!)).toBe('ok');
    expect(v.projection?.rate).toBe(920);
  });

  it('the same +15% is fine for cerebral origin but +25% needs an override reason', () => {
    expect(verdictOf(titrationView('percent', '15', program(), status(), 'cerebral').evaluation!)).toBe('ok');
    const v = titrationView('dose', '500', program(), status(), 'cerebral');
    expect(verdictOf(v.evaluation!)).toBe('warning');
  });

  it('a tenfold entry is a hard stop', () => {
    const v = titrationView('dose', '4000', program(), status(), 'spinal');
    expect(verdictOf(v.evaluation!)).toBe('hardStop');
  });

  it('bad entries give the parser message and no evaluation', () => {
    const v = titrationView('dose', '4,5', program(), status(), 'spinal');
    expect(v.newDose.ok).toBe(false);
    expect(v.evaluation).toBeNull();
    const pct = titrationView(
      'percent',
      '+15',
      program({ therapy: { mode: 'stopped' } }),
      status(),
      'spinal',
    );
    expect(pct.newDose).toMatchObject({ ok: false, message: expect.stringMatching(/mcg\/day instead/) });
  });

  it('names the guidance for the origin', () => {
    expect(guidanceText('spinal')).toMatch(/10%–30%/);
    expect(guidanceText('cerebral')).toMatch(/5%–15%/);
  });
});

describe('projection', () => {
  it('computes alarm, empty and refill-by dates from the calculated reservoir', () => {
    // 12 mL at 1 mL/day, alarm at 2 mL: alarm in 10 days, empty in 12, refill 3 days before the alarm.
    const p = project(status(), 1000, 2000);
    expect(p.lowReservoirAlarmTime).toBe(T0 + 10 * 86_400);
    expect(p.emptyTime).toBe(T0 + 12 * 86_400);
    expect(p.refillByTime).toBe(T0 + 7 * 86_400);
    expect(project(status(), 0, 2000).lowReservoirAlarmTime).toBeNull();
  });
});
