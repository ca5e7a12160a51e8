import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BACLOFEN_STABILITY_LIMIT,
  ClinicalInputError,
  SECONDS_PER_DAY,
  dailyDoseForRate,
  daysToEmptyX1000,
  effectiveDailyDose,
  emptyTime,
  flexMeanDailyDose,
  flexMeanRate,
  flexStepDurations,
  lowReservoirAlarmTime,
  nextRefill,
  rateForDailyDose,
  therapyMeanDailyDose,
  therapyMeanRate,
} from '../../src/shared/clinical';

const DAY = SECONDS_PER_DAY;

describe('dose <-> rate', () => {
  it('20 mL of 500 mcg/mL at 400 mcg/day runs at 800 uL/day', () => {
    expect(rateForDailyDose(400_000, 500)).toBe(800);
    expect(dailyDoseForRate(800, 500)).toBe(400_000);
  });

  it('rounds half up to the nearest uL/day and reports the effective dose', () => {
    // 400.25 mcg/day at 500 mcg/mL = 800.5 uL/day -> 801
    expect(rateForDailyDose(400_250, 500)).toBe(801);
    expect(rateForDailyDose(400_249, 500)).toBe(800);
    expect(effectiveDailyDose(400_250, 500)).toBe(400_500);
  });

  it('refuses a zero concentration or a fractional dose with a named error', () => {
    expect(() => rateForDailyDose(400_000, 0)).toThrow(ClinicalInputError);
    expect(() => rateForDailyDose(400.5, 500)).toThrow(/dailyDose/);
    expect(() => dailyDoseForRate(-1, 500)).toThrow(/rate/);
  });

  it('property: dose -> rate -> dose is within half a rate unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 1, max: 5000 }),
        (dose, conc) => {
          const back = dailyDoseForRate(rateForDailyDose(dose, conc), conc);
          // |back - dose| <= conc / 2, compared without division
          expect(2 * Math.abs(back - dose)).toBeLessThanOrEqual(conc);
        },
      ),
    );
  });

  it('property: rate -> dose -> rate is exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 5000 }), (rate, conc) => {
        expect(rateForDailyDose(dailyDoseForRate(rate, conc), conc)).toBe(rate);
      }),
    );
  });
});

describe('reservoir projections', () => {
  it('full 20 mL at 800 uL/day with a 2 mL threshold: alarm 22.5 days after the refill, empty at 25', () => {
    const t0 = 1_000_000;
    expect(
      lowReservoirAlarmTime({ now: t0, reservoirVolume: 20_000, lowReservoirAlarmVolume: 2000, rate: 800 }),
    ).toBe(t0 + 22.5 * DAY);
    expect(emptyTime({ now: t0, reservoirVolume: 20_000, rate: 800 })).toBe(t0 + 25 * DAY);
    expect(daysToEmptyX1000(20_000, 800)).toBe(25_000);
  });

  it('is null when nothing is delivered, and now when already below the threshold', () => {
    expect(
      lowReservoirAlarmTime({ now: 5, reservoirVolume: 20_000, lowReservoirAlarmVolume: 2000, rate: 0 }),
    ).toBeNull();
    expect(daysToEmptyX1000(20_000, 0)).toBeNull();
    expect(
      lowReservoirAlarmTime({ now: 5, reservoirVolume: 1500, lowReservoirAlarmVolume: 2000, rate: 800 }),
    ).toBe(5);
  });

  it('days to empty rounds down (never overstates the time left)', () => {
    expect(daysToEmptyX1000(20_000, 3)).toBe(6_666_666);
  });
});

describe('next refill', () => {
  const filledAt = 2_000_000;

  it('is 3-5 days before the low-reservoir alarm date', () => {
    const alarm = filledAt + 22.5 * DAY;
    const r = nextRefill({ filledAt, lowReservoirAlarmTime: alarm });
    expect(r.limitedBy).toBe('lowReservoirAlarm');
    expect(r.latest).toBe(alarm - 3 * DAY);
    expect(r.earliest).toBe(alarm - 5 * DAY);
    expect(r.dueImmediately).toBe(false);
  });

  it('is capped at the 180-day stability limit, and says so', () => {
    // 40 mL at 100 uL/day: alarm after 380 days
    const alarm = lowReservoirAlarmTime({
      now: filledAt,
      reservoirVolume: 40_000,
      lowReservoirAlarmVolume: 2000,
      rate: 100,
    });
    expect(alarm).toBe(filledAt + 380 * DAY);
    const r = nextRefill({ filledAt, lowReservoirAlarmTime: alarm });
    expect(BACLOFEN_STABILITY_LIMIT).toBe(180 * DAY);
    expect(r.limitedBy).toBe('drugStability');
    expect(r.latest).toBe(filledAt + 180 * DAY);
    expect(r.earliest).toBe(filledAt + 178 * DAY);
    expect(r.reason).toMatch(/180-day stability/);
  });

  it('uses stability alone when the pump delivers nothing', () => {
    const r = nextRefill({ filledAt, lowReservoirAlarmTime: null });
    expect(r.limitedBy).toBe('drugStability');
    expect(r.latest).toBe(filledAt + 180 * DAY);
  });

  it('is due immediately when the alarm is less than 3 days after the fill', () => {
    const r = nextRefill({ filledAt, lowReservoirAlarmTime: filledAt + 2 * DAY });
    expect(r.dueImmediately).toBe(true);
    expect(r.latest).toBe(filledAt);
    expect(r.earliest).toBe(filledAt);
  });

  it('property: never beyond the stability limit, never after the alarm minus 3 days (unless due now), window within 2 days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e9 }),
        fc.option(fc.integer({ min: 0, max: 400 * DAY })),
        fc.integer({ min: 1, max: 400 * DAY }),
        (at, alarmIn, stabilityLimit) => {
          const alarm = alarmIn === null ? null : at + alarmIn;
          const r = nextRefill({ filledAt: at, lowReservoirAlarmTime: alarm, stabilityLimit });
          expect(r.latest).toBeLessThanOrEqual(at + stabilityLimit);
          if (alarm !== null && !r.dueImmediately) expect(r.latest).toBeLessThanOrEqual(alarm - 3 * DAY);
          expect(r.earliest).toBeGreaterThanOrEqual(at);
          expect(r.earliest).toBeLessThanOrEqual(r.latest);
          expect(r.latest - r.earliest).toBeLessThanOrEqual(2 * DAY);
        },
      ),
    );
  });
});

describe('flex schedules', () => {
  it('mean dose and rate weight each step by its duration, wrapping midnight', () => {
    // 300 mcg/day for 12 h, 500 mcg/day for 12 h -> 400 mcg/day mean, 800 uL/day at 500 mcg/mL
    const steps = [
      { startSecondOfDay: 0, dailyDoseNgPerDay: 300_000 },
      { startSecondOfDay: 12 * 3600, dailyDoseNgPerDay: 500_000 },
    ];
    expect(flexStepDurations(steps)).toEqual([43_200, 43_200]);
    expect(flexMeanDailyDose(steps)).toBe(400_000);
    expect(flexMeanRate(steps, 500)).toBe(800);
    // first step at 06:00: the last step runs from 18:00 to 06:00 next day
    const shifted = [
      { startSecondOfDay: 6 * 3600, dailyDoseNgPerDay: 600_000 },
      { startSecondOfDay: 18 * 3600, dailyDoseNgPerDay: 200_000 },
    ];
    expect(flexStepDurations(shifted)).toEqual([43_200, 43_200]);
    expect(flexMeanDailyDose(shifted)).toBe(400_000);
  });

  it('the same functions handle stopped, continuous and flex', () => {
    expect(therapyMeanDailyDose({ mode: 'stopped' })).toBe(0);
    expect(therapyMeanRate({ mode: 'stopped' }, 500)).toBe(0);
    expect(therapyMeanRate({ mode: 'continuous', dailyDoseNgPerDay: 400_000 }, 500)).toBe(800);
    expect(
      therapyMeanRate({ mode: 'flex', steps: [{ startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 }] }, 500),
    ).toBe(800);
  });

  it('refuses unordered, duplicate or out-of-day steps', () => {
    expect(() => flexMeanDailyDose([])).toThrow(/at least one step/);
    expect(() =>
      flexMeanDailyDose([
        { startSecondOfDay: 100, dailyDoseNgPerDay: 1 },
        { startSecondOfDay: 100, dailyDoseNgPerDay: 2 },
      ]),
    ).toThrow(/steps.1.startSecondOfDay/);
    expect(() => flexMeanDailyDose([{ startSecondOfDay: 86_400, dailyDoseNgPerDay: 1 }])).toThrow(
      /before 86400/,
    );
  });

  it('property: a flex day whose steps all have the same dose has that mean and its continuous rate', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 86_399 }), { minLength: 1, maxLength: 13 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 1, max: 2000 }),
        (starts, dose, conc) => {
          const steps = [...starts]
            .sort((a, b) => a - b)
            .map((start) => ({ startSecondOfDay: start, dailyDoseNgPerDay: dose }));
          expect(flexStepDurations(steps).reduce((a, b) => a + b, 0)).toBe(DAY);
          expect(flexMeanDailyDose(steps)).toBe(dose);
          expect(flexMeanRate(steps, conc)).toBe(rateForDailyDose(dose, conc));
        },
      ),
    );
  });
});
