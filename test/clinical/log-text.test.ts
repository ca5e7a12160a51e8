/**
 * The event log in clinical words (issue 17): every detail the real pump model writes is rendered in mcg,
 * mL, mcg/day, durations and local times, never in ng, nL, uL, epoch seconds or ISO UTC.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPump } from '../../src/device';
import type { LogEntry } from '../../src/device/types';
import {
  describeLog,
  describeLogEntry,
  formatDuration,
  formatLocalDate,
  formatLocalDateTime,
  formatZone,
  isReasonInWords,
} from '../../src/shared/clinical';

const PARIS = { locale: 'en-GB', timeZone: 'Europe/Paris' };
const T0 = 1_800_000_000; // 2027-01-15T08:00:00Z
const DAY = 86_400;
/** Raw units and wire formats no clinician screen may show. */
const RAW = /\b(ng|nL|uL|ng\/d|uL\/d)\b|\d{7,}|\d{4}-\d\d-\d\dT\d\d:\d\d|not recognised|[A-Z]{3,}_[A-Z]/;

const entry = (kind: LogEntry['kind'], detail: string, time = T0): LogEntry => ({
  seq: 1,
  time,
  kind,
  detail,
});

describe('local time and durations', () => {
  it('local date and time in the clinic zone, zone named with its offset (winter and summer)', () => {
    expect(formatLocalDateTime(T0, PARIS)).toBe('15 Jan 2027, 09:00');
    expect(formatLocalDate(T0, PARIS)).toBe('15 Jan 2027');
    expect(formatZone(T0, PARIS)).toBe('Europe/Paris (GMT+1)');
    expect(formatZone(T0 + 180 * DAY, PARIS)).toBe('Europe/Paris (GMT+2)');
    expect(formatLocalDateTime(T0, { locale: 'en-GB', timeZone: 'UTC' })).toBe('15 Jan 2027, 08:00');
    expect(() => formatLocalDateTime(1.5)).toThrow();
  });

  it('durations in whole clinical units', () => {
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(900)).toBe('15 min');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(DAY)).toBe('1 day');
    expect(formatDuration(2 * DAY + 3 * 3600)).toBe('2 days 3 h');
    expect(formatDuration(7199)).toBe('1 h 59 min');
  });

  it('property: a duration never shows more than 59 min or 23 h', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * DAY }), (s) => {
        const t = formatDuration(s);
        const min = /(\d+) min/.exec(t);
        const h = /(\d+) h/.exec(t);
        return (!min || Number(min[1]) < 60) && (!h || Number(h[1]) < 24);
      }),
    );
  });
});

describe('log entries in words', () => {
  it('the wire details of the issue read as a clinic says them', () => {
    const silenced = describeLogEntry(entry('ALARM_SILENCED', `ERI until ${T0 + 3600}`), null, PARIS);
    expect(silenced).toEqual({
      what: 'Alarm silenced',
      detail: 'Elective replacement indicator silenced until 15 Jan 2027, 10:00 (1 h)',
    });
    expect(describeLogEntry(entry('PROGRAM', 'flex 3 steps 469333 ng/d'), null, PARIS).detail).toBe(
      'Flex schedule of 3 steps: 469.333 mcg/day over 24 h',
    );
    expect(describeLogEntry(entry('BOLUS_START', 'single 25000 nL over 3600 s'), 500, PARIS).detail).toBe(
      'Single bolus of 12.5 mcg over 1 h',
    );
    expect(describeLogEntry(entry('BOLUS_START', 'priming 25000 nL over 3600 s'), 500, PARIS).detail).toBe(
      'Priming bolus of 0.025 mL over 1 h',
    );
    expect(describeLogEntry(entry('REFILL', 'w 5000 f 20000 uL 500 mcg/mL'), null, PARIS)).toEqual({
      what: 'Refill',
      detail: 'Withdrew 5.0 mL, filled 20.0 mL of 500 mcg/mL',
    });
    expect(describeLogEntry(entry('PROGRAM', 'continuous 400000 ng/d 800 uL/d'), null).detail).toBe(
      'Simple continuous 400 mcg/day (0.800 mL/day)',
    );
    expect(describeLogEntry(entry('MOTOR_STALL', 'recovery in 5400 s'), null).detail).toContain('1 h 30 min');
    expect(
      describeLogEntry(entry('PATIENT_BOLUS_REFUSED', 'lockout until 2027-01-15T09:00:00Z'), null, PARIS)
        .detail,
    ).toBe('Refused: lockout until 15 Jan 2027, 10:00');
  });

  it('an unknown detail says so instead of showing raw units', () => {
    expect(describeLogEntry(entry('REFILL', 'w 1 f 2 nL'), null).detail).toMatch(/raw record/);
    expect(describeLogEntry(entry('PATIENT_BOLUS_REFUSED', '5000 ng'), null).detail).toMatch(/raw record/);
  });

  it('a bolus is said in mcg at the concentration of the refill before it', () => {
    const words = describeLog([
      { seq: 3, time: T0 + 2, kind: 'BOLUS_START', detail: 'single 20000 nL over 60 s' },
      { seq: 1, time: T0, kind: 'REFILL', detail: 'w 0 f 20000 uL 2000 mcg/mL' },
      { seq: 0, time: T0 - 1, kind: 'BOLUS_START', detail: 'single 20000 nL over 60 s' },
    ]);
    expect(words.get(3)!.detail).toBe('Single bolus of 40 mcg over 1 min');
    expect(words.get(0)!.detail).toBe('Single bolus of 0.02 mL over 1 min');
  });
});

describe('every entry the real pump writes', () => {
  it('reads in clinical words and units, with no raw epoch, ng, nL or alarm code', () => {
    const pump = createPump({ model: 'SM2-20', serial: 'L1', startTime: T0 });
    const ok = (r: { ok: boolean }) => expect(r.ok, JSON.stringify(r)).toBe(true);
    ok(
      pump.setClock({
        stdOffset: 60,
        dst: {
          delta: 60,
          start: { month: 3, week: 5, weekday: 0, minute: 120 },
          end: { month: 10, week: 5, weekday: 0, minute: 180 },
        },
      }),
    );
    ok(
      pump.apply({
        refill: {
          withdrawnVolumeUl: 0,
          drugName: 'baclofen',
          concentrationMcgPerMl: 500,
          fillVolumeUl: 20_000,
        },
        therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
        lowReservoirAlarmVolumeUl: 2000,
        patientBolus: { amountNg: 25_000, durationS: 900, maxPerDay: 4, lockoutS: 3600 },
        bolus: { kind: 'bridge', amountNg: 50_000, durationS: 3600 },
      }),
    );
    pump.advanceTo(T0 + 2 * 3600);
    ok(pump.patientBolus());
    pump.patientBolus(); // refused: lockout
    pump.advanceTo(T0 + 3 * 3600);
    ok(
      pump.apply({
        therapy: {
          mode: 'flex',
          steps: [
            { startSecondOfDay: 0, dailyDoseNgPerDay: 300_000 },
            { startSecondOfDay: 22 * 3600, dailyDoseNgPerDay: 500_000 },
          ],
        },
      }),
    );
    ok(pump.apply({ bolus: { kind: 'priming', volumeUl: 200, durationS: 600 } }));
    ok(pump.apply({ patientBolus: null, bolus: { kind: 'single', amountNg: 10_000, durationS: 600 } }));
    ok(pump.stop());
    ok(pump.resume());
    ok(pump.alarmTest());
    pump.injectFault({ kind: 'motorStall', recoveryDelayS: 5400 });
    pump.advanceTo(T0 + 4 * 3600);
    ok(pump.silenceAlarm(T0 + 5 * 3600));
    pump.advanceTo(T0 + 6 * 3600);
    pump.injectFault({ kind: 'memoryError', critical: false });
    pump.injectFault({ kind: 'battery', to: 'eri' });
    pump.advanceTo(T0 + 40 * DAY);
    pump.injectFault({ kind: 'battery', to: 'endOfService' });
    pump.advanceTo(T0 + 41 * DAY);
    const page = pump.readLog(0, 500);
    const kinds = new Set(page.entries.map((e) => e.kind));
    for (const k of [
      'PROGRAM',
      'REFILL',
      'BOLUS_START',
      'BOLUS_END',
      'PATIENT_BOLUS',
      'PATIENT_BOLUS_REFUSED',
      'ALARM_RAISED',
      'ALARM_SILENCED',
      'ALARM_TEST',
      'MOTOR_STALL',
      'MOTOR_STALL_RECOVERY',
      'STOPPED',
      'RESUMED',
      'MEMORY_ERROR',
      'CLOCK_SET',
    ] as const) {
      expect(kinds, k).toContain(k);
    }
    const words = describeLog(page.entries, PARIS);
    const clock = page.entries.find((e) => e.kind === 'CLOCK_SET')!;
    expect(words.get(clock.seq)?.detail).toBe(
      'Pump clock set to local time: UTC+01:00, daylight saving +1 h from the last Sunday of March at 02:00 to the last Sunday of October at 03:00',
    );
    for (const e of page.entries) {
      const w = words.get(e.seq)!;
      expect(`${w.what}: ${w.detail}`, `${e.kind} ${e.detail}`).not.toMatch(RAW);
    }
  });
});

describe('a stated reason is words (issue 17)', () => {
  it('refuses punctuation, digits and single letters; accepts a short sentence', () => {
    for (const bad of ['', '   ', '.....', '12345', 'x y z', 'abcdefgh', '!!!!! ?']) {
      expect(isReasonInWords(bad), bad).toBe(false);
    }
    for (const good of ['Pump explanted today', 'no drug', 'Planned explant; oral cover']) {
      expect(isReasonInWords(good), good).toBe(true);
    }
  });
});
