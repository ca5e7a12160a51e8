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
import { history, program, status, T0 } from './fixtures';

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
          { startSecondOfDay: 0, dailyDoseNgPerDay: 300_000 },
          { startSecondOfDay: 43_200, dailyDoseNgPerDay: 500_000 },
        ],
      },
    });
    expect(currentDailyDose(p)).toBe(400_000);
    expect(currentDailyDose(program({ therapy: { mode: 'stopped' } }))).toBe(0);
  });
});

describe('live titration view', () => {
  it('a spinal +15% is within guidance, with the new rate and dates', () => {
    const v = titrationView('percent', '+15', program(), status(), 'spinal', false, 'adult', history());
    expect(v.newDose).toEqual({ ok: true, value: 460_000 });
    expect(v.evaluation?.changePer24hBp).toBe(1500);
    expect(verdictOf(v.evaluation!)).toBe('ok');
    expect(v.projection?.rate).toBe(920);
  });

  it('the same +15% is fine for cerebral origin but +25% needs an override reason', () => {
    expect(
      verdictOf(
        titrationView('percent', '15', program(), status(), 'cerebral', false, 'adult', history())
          .evaluation!,
      ),
    ).toBe('ok');
    const v = titrationView('dose', '500', program(), status(), 'cerebral', false, 'adult', history());
    expect(verdictOf(v.evaluation!)).toBe('warning');
  });

  it('a tenfold entry is a hard stop', () => {
    const v = titrationView('dose', '4000', program(), status(), 'spinal', false, 'adult', history());
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

  it('names the guidance for the origin, the age group and the phase', () => {
    expect(guidanceText('spinal')).toMatch(/10%–30%/);
    expect(guidanceText('cerebral')).toMatch(/5%–15%/);
    expect(guidanceText('spinal', 'childUnder12')).toMatch(/Child under 12.*5%–15%/);
    expect(guidanceText('spinal', 'adult', 'maintenance')).toMatch(/10%–40%, no more than 40%/);
  });

  it('issue 16 #5: the screen judges the dose the pump will deliver (98 -> 147 at 2000 mcg/mL is 148, +51%)', () => {
    const st = status({ concentrationMcgPerMl: 2000, dailyDoseNgPerDay: 98_000, rateUlPerDay: 49 });
    const pr = program({
      concentrationMcgPerMl: 2000,
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 98_000 },
    });
    const h = history(3, { doseEvents: [{ time: T0 - 3 * 86_400, dose: 98_000 }] });
    const v = titrationView('dose', '147', pr, st, 'spinal', false, 'adult', h);
    expect(v.evaluation?.effectiveDailyDose).toBe(148_000);
    expect(verdictOf(v.evaluation!)).toBe('hardStop');
  });

  it('issue 16 #6 and #7: an increase made earlier today and the therapy start come from the history', () => {
    // +25% now, after +20% earlier today: the screen says what the review says (over 50% in 24 h)
    const h = history(10, {
      doseEvents: [
        { time: T0 - 10 * 86_400, dose: 320_000 },
        { time: T0 - 3600, dose: 400_000 },
      ],
    });
    const v = titrationView('dose', '500', program(), status(), 'spinal', false, 'adult', h);
    expect(v.evaluation?.changePer24hBp).toBe(5625);
    expect(verdictOf(v.evaluation!)).toBe('hardStop');
    const start = history(0, { doseEvents: [{ time: T0 - 3600, dose: 400_000 }] });
    const w = titrationView('dose', '440', program(), status(), 'spinal', false, 'adult', start);
    expect(w.evaluation?.findings.map((f) => f.rule)).toContain('INCREASE_IN_FIRST_24H');
    expect(verdictOf(w.evaluation!)).toBe('warning');
  });

  it('issue 16 #8: a child gets the paediatric band on the screen', () => {
    const adult = titrationView('percent', '+25', program(), status(), 'spinal', false, 'adult', history());
    const child = titrationView(
      'percent',
      '+25',
      program(),
      status(),
      'spinal',
      false,
      'childUnder12',
      history(),
    );
    expect(verdictOf(adult.evaluation!)).toBe('ok');
    expect(verdictOf(child.evaluation!)).toBe('warning');
  });

  it('without the pump history there is no evaluation yet (never one with other inputs than the review)', () => {
    expect(titrationView('dose', '440', program(), status(), 'spinal').evaluation).toBeNull();
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
