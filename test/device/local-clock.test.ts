/**
 * The pump's local clock (issue 17): the rule arithmetic against Intl's time-zone database, CLOCK_SET on the
 * pump, and flex steps that follow the patient's local clock across a daylight-saving change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromSnapshot, restorePump, toSnapshot, type ClockRule } from '../../src/device';
import {
  clockDetail,
  clockRuleProblem,
  describeClockRule,
  localSecondOfDay,
  nextTransitionAfter,
  parseClockDetail,
  transitionsIn,
  utcOffsetAt,
  UTC_RULE,
} from '../../src/shared/device-facts/local-clock';
import { intlOffsetMinutes, ruleFromZone } from '../../src/shared/clinical/zone-rule';
import { mustApply, newPump } from './helpers';

const utc = (iso: string): number => Date.parse(iso) / 1000;

const PARIS: ClockRule = {
  stdOffset: 60,
  dst: {
    delta: 60,
    start: { month: 3, week: 5, weekday: 0, minute: 120 },
    end: { month: 10, week: 5, weekday: 0, minute: 180 },
  },
};

/** The wall clock of `zone` at `t` as "HH:MM", from Intl (independent of the pump's arithmetic). */
function wall(zone: string, t: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(t * 1000));
}

describe('the clock rule arithmetic', () => {
  it('puts the 2026 Paris changes where the calendar has them (29 March and 25 October, 01:00 UTC)', () => {
    expect(transitionsIn(PARIS, 2026)).toEqual({
      start: utc('2026-03-29T01:00:00Z'),
      end: utc('2026-10-25T01:00:00Z'),
    });
    expect(utcOffsetAt(PARIS, utc('2026-03-29T00:59:59Z'))).toBe(3600);
    expect(utcOffsetAt(PARIS, utc('2026-03-29T01:00:00Z'))).toBe(7200);
    expect(utcOffsetAt(PARIS, utc('2026-10-25T00:59:59Z'))).toBe(7200);
    expect(utcOffsetAt(PARIS, utc('2026-10-25T01:00:00Z'))).toBe(3600);
    expect(nextTransitionAfter(PARIS, utc('2026-06-01T00:00:00Z'))).toBe(utc('2026-10-25T01:00:00Z'));
    expect(nextTransitionAfter(UTC_RULE, 0)).toBeNull();
  });

  const ZONES = [
    'Europe/Paris',
    'Europe/London',
    'America/New_York',
    'America/Los_Angeles',
    'Australia/Sydney',
    'Pacific/Auckland',
    'Pacific/Chatham',
    'Asia/Kolkata',
    'America/Phoenix',
    'UTC',
  ];
  const T2026 = utc('2026-01-15T12:00:00Z');
  const rules = new Map(ZONES.map((z) => [z, ruleFromZone(z, T2026)]));

  it('derives an exact rule for each zone from Intl', () => {
    for (const z of ZONES) expect(rules.get(z)?.exact, z).toBe(true);
    expect(rules.get('America/New_York')?.rule).toEqual({
      stdOffset: -300,
      dst: {
        delta: 60,
        start: { month: 3, week: 2, weekday: 0, minute: 120 },
        end: { month: 11, week: 1, weekday: 0, minute: 120 },
      },
    });
    expect(rules.get('Europe/Paris')?.rule).toEqual(PARIS);
    expect(rules.get('Asia/Kolkata')?.rule).toEqual({ stdOffset: 330, dst: null });
  });

  it('gives the offset Intl gives, at any second of 2026-2030 in every zone (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: utc('2026-01-01T00:00:00Z'), max: utc('2030-12-31T23:59:59Z') }),
        (zone, t) => {
          const { rule } = rules.get(zone)!;
          expect(utcOffsetAt(rule, t)).toBe(intlOffsetMinutes(zone, t) * 60);
          const local = localSecondOfDay(rule, t);
          expect(
            `${String(Math.floor(local / 3600)).padStart(2, '0')}:${String(Math.floor((local % 3600) / 60)).padStart(2, '0')}`,
          ).toBe(wall(zone, t));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('says the rule in words and writes and parses its log detail', () => {
    expect(describeClockRule(PARIS)).toBe(
      'UTC+01:00, daylight saving +1 h from the last Sunday of March at 02:00 to the last Sunday of October at 03:00',
    );
    expect(describeClockRule({ stdOffset: -210, dst: null })).toBe('UTC-03:30, no daylight saving');
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), (z) => {
        const { rule } = rules.get(z)!;
        const d = clockDetail(rule);
        expect(d.length).toBeLessThanOrEqual(64);
        expect(parseClockDetail(d)).toEqual(rule);
      }),
    );
    expect(parseClockDetail('std 60 dst 60 13.5.0.120 10.5.0.180')).toBeNull();
  });

  it('refuses a malformed rule with the field named', () => {
    expect(clockRuleProblem({ stdOffset: 900, dst: null })).toMatch(/stdOffset/);
    expect(clockRuleProblem({ stdOffset: 60.5, dst: null })).toMatch(/stdOffset/);
    expect(clockRuleProblem({ stdOffset: 60, dst: { ...PARIS.dst!, delta: 0 } })).toMatch(/delta/);
    expect(
      clockRuleProblem({ stdOffset: 60, dst: { ...PARIS.dst!, start: { ...PARIS.dst!.start, week: 6 } } }),
    ).toMatch(/start\.week/);
    expect(clockRuleProblem(null)).toMatch(/object/);
    expect(clockRuleProblem(PARIS)).toBeNull();
  });
});

describe('CLOCK_SET on the pump', () => {
  it('sets the rule, logs CLOCK_SET once, and an identical rule changes nothing', () => {
    const { pump } = newPump();
    const first = pump.setClock(PARIS);
    expect(first).toEqual({ ok: true, value: { changed: true, previous: UTC_RULE } });
    const log = pump.readLog(0, 10).entries;
    expect(log[0]).toMatchObject({ kind: 'CLOCK_SET', detail: clockDetail(PARIS) });
    const total = pump.readLog(0, 1).total;
    expect(pump.setClock(structuredClone(PARIS))).toEqual({
      ok: true,
      value: { changed: false, previous: PARIS },
    });
    expect(pump.readLog(0, 1).total).toBe(total);
  });

  it('refuses a bad rule and changes nothing', () => {
    const { pump } = newPump();
    const before = pump.snapshot();
    const r = pump.setClock({ stdOffset: 2000, dst: null });
    expect(r.ok).toBe(false);
    expect(pump.snapshot()).toEqual(before);
  });

  it('loads a state saved before the pump had a clock as UTC, and refuses a saved bad clock', () => {
    const { pump } = newPump();
    const snap = pump.snapshot();
    const old = structuredClone(snap) as { version: 1; state: Record<string, unknown> };
    delete old.state.clock;
    expect(fromSnapshot(old).clock).toEqual(UTC_RULE);
    expect(restorePump(old).status().pumpTime).toBe(pump.now());
    const bad = structuredClone(snap) as { version: 1; state: Record<string, unknown> };
    bad.state.clock = { stdOffset: 60, dst: { delta: 60 } };
    expect(() => fromSnapshot(bad)).toThrow(/clock/);
    const { pump: p2 } = newPump();
    p2.setClock(PARIS);
    expect(restorePump(toSnapshot(fromSnapshot(p2.snapshot()))).state().clock).toEqual(PARIS);
  });
});

describe('flex steps on the patient local clock', () => {
  /** A night step at 22:00 local (660 mcg/day) and a day step from 00:00 (440 mcg/day), 500 mcg/mL. */
  const FLEX = {
    refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 500, fillVolumeUl: 20_000 },
    therapy: {
      mode: 'flex' as const,
      steps: [
        { startSecondOfDay: 0, dailyDoseNgPerDay: 440_000 },
        { startSecondOfDay: 22 * 3600, dailyDoseNgPerDay: 660_000 },
      ],
    },
  };
  const NIGHT_RATE = 1320; // uL/day = 660 mcg/day / 500 mcg/mL
  const DAY_RATE = 880;

  it('starts the 22:00 step at 22:00 Paris time on each side of the spring change (21:00 then 20:00 UTC)', () => {
    const { pump } = newPump('SM2-20', utc('2026-03-27T12:00:00Z'));
    pump.setClock(PARIS);
    mustApply(pump, FLEX);
    for (const night of ['2026-03-27T21:00:00Z', '2026-03-28T21:00:00Z', '2026-03-29T20:00:00Z']) {
      pump.advanceTo(utc(night) - 1);
      expect(pump.status().rateUlPerDay, `before ${night}`).toBe(DAY_RATE);
      pump.advanceTo(utc(night));
      expect(pump.status().rateUlPerDay, `at ${night}`).toBe(NIGHT_RATE);
      expect(wall('Europe/Paris', pump.now())).toBe('22:00');
    }
  });

  it('follows the autumn change too (21:00 UTC after it), and UTC when no rule is set', () => {
    const { pump } = newPump('SM2-20', utc('2026-10-24T12:00:00Z'));
    pump.setClock(PARIS);
    mustApply(pump, FLEX);
    pump.advanceTo(utc('2026-10-24T19:59:59Z'));
    expect(pump.status().rateUlPerDay).toBe(DAY_RATE);
    pump.advanceTo(utc('2026-10-24T20:00:00Z'));
    expect(pump.status().rateUlPerDay).toBe(NIGHT_RATE);
    pump.advanceTo(utc('2026-10-25T20:59:59Z'));
    expect(pump.status().rateUlPerDay).toBe(DAY_RATE);
    pump.advanceTo(utc('2026-10-25T21:00:00Z'));
    expect(pump.status().rateUlPerDay).toBe(NIGHT_RATE);
    const { pump: u } = newPump('SM2-20', utc('2026-10-24T12:00:00Z'));
    mustApply(u, FLEX);
    u.advanceTo(utc('2026-10-24T21:59:59Z'));
    expect(u.status().rateUlPerDay).toBe(DAY_RATE);
    u.advanceTo(utc('2026-10-24T22:00:00Z'));
    expect(u.status().rateUlPerDay).toBe(NIGHT_RATE);
  });

  it('delivers each step for its local duration over a short (23 h) day: exact volume (property)', () => {
    // On 29 March 2026 in Paris the day has 23 h: 00:00-22:00 local is 21 h of the day step, then 2 h of
    // the night step. From local midnight to local midnight the motor moves exactly that.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), (stepMinutes) => {
        const dayStart = utc('2026-03-28T23:00:00Z'); // 00:00 CET, 29 March
        const dayEnd = utc('2026-03-29T22:00:00Z'); // 00:00 CEST, 30 March
        const { pump } = newPump('SM2-20', dayStart - 3600);
        pump.setClock(PARIS);
        mustApply(pump, FLEX);
        pump.advanceTo(dayStart);
        const before = pump.truth().calculatedReservoirVolumeNl;
        // Any partition of time gives the same volume: step through in `stepMinutes` pieces.
        for (let t = dayStart; t < dayEnd; t = Math.min(dayEnd, t + stepMinutes * 60)) pump.advanceTo(t);
        pump.advanceTo(dayEnd);
        const moved = before - pump.truth().calculatedReservoirVolumeNl;
        const expected = Math.floor((DAY_RATE * 1000 * 21 * 3600 + NIGHT_RATE * 1000 * 2 * 3600) / 86_400);
        expect(Math.abs(moved - expected)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20 },
    );
  });

  it('moves the step boundary when the clock is set mid-day, keeping what was delivered', () => {
    const { pump } = newPump('SM2-20', utc('2026-06-10T12:00:00Z'));
    mustApply(pump, FLEX);
    pump.advanceTo(utc('2026-06-10T18:00:00Z'));
    pump.setClock(PARIS);
    pump.advanceTo(utc('2026-06-10T19:59:59Z'));
    expect(pump.status().rateUlPerDay).toBe(DAY_RATE);
    pump.advanceTo(utc('2026-06-10T20:00:00Z'));
    expect(pump.status().rateUlPerDay).toBe(NIGHT_RATE);
    expect(pump.now() + utcOffsetAt(PARIS, pump.now()) - utc('2026-06-10T00:00:00Z')).toBe(22 * 3600);
  });
});
