import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ClinicalInputError,
  formatAmount,
  formatCaseTime,
  formatDuration,
  formatLocalDateTime,
  formatTimeOfDay,
  parseTimeOfDay,
  formatBasisPoints,
  formatConcentration,
  formatDose,
  formatPumpDate,
  formatPumpTime,
  formatRate,
  formatVolume,
  parseMcg,
  parseMcgPerMl,
  parseMl,
  parseMlPerDay,
} from '../../src/shared/clinical';

describe('formatting', () => {
  it('shows doses, volumes, rates and concentrations in clinical units, exactly', () => {
    expect(formatDose(400_000)).toBe('400 mcg/day');
    expect(formatDose(400_500)).toBe('400.5 mcg/day');
    expect(formatDose(25)).toBe('0.025 mcg/day');
    expect(formatDose(-40_000)).toBe('-40 mcg/day');
    expect(formatAmount(50_000)).toBe('50 mcg');
    expect(formatVolume(20_000)).toBe('20.0 mL');
    expect(formatVolume(18_550)).toBe('18.55 mL');
    expect(formatVolume(1)).toBe('0.001 mL');
    expect(formatRate(800)).toBe('0.800 mL/day');
    expect(formatRate(24_000)).toBe('24.000 mL/day');
    expect(formatConcentration(500)).toBe('500 mcg/mL');
    expect(formatBasisPoints(1500)).toBe('15%');
    expect(formatBasisPoints(-1234)).toBe('-12.34%');
    expect(formatBasisPoints(5)).toBe('0.05%');
  });

  it('refuses a fractional value rather than rounding it silently', () => {
    expect(() => formatDose(400.5)).toThrow(/dailyDose/);
  });

  it('formats pump time as UTC ISO without Date', () => {
    expect(formatPumpTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatPumpTime(951_782_400)).toBe('2000-02-29T00:00:00Z');
    expect(formatPumpTime(1_795_613_274)).toBe('2026-11-25T13:27:54Z');
    expect(formatPumpTime(-1)).toBe('1969-12-31T23:59:59Z');
    expect(formatPumpDate(1_795_613_274)).toBe('2026-11-25');
  });

  it('property: pump time agrees with the platform calendar over +-3000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000_000_000, max: 32_000_000_000 }), (s) => {
        // Date is only the oracle here; the implementation does not use it.
        const iso = new Date(s * 1000).toISOString().replace('.000Z', 'Z');
        if (/^\d{4}-/.test(iso)) expect(formatPumpTime(s)).toBe(iso);
      }),
    );
  });
});

describe('parsing clinician entries', () => {
  it('parses decimals to integer units', () => {
    expect(parseMcg('400.5')).toEqual({ ok: true, value: 400_500 });
    expect(parseMcg(' 400 mcg/day ')).toEqual({ ok: true, value: 400_000 });
    expect(parseMl('18.5')).toEqual({ ok: true, value: 18_500 });
    expect(parseMl('.5')).toEqual({ ok: true, value: 500 });
    expect(parseMl('20.0 mL')).toEqual({ ok: true, value: 20_000 });
    expect(parseMl('007')).toEqual({ ok: true, value: 7000 });
    expect(parseMlPerDay('0.800 mL/day')).toEqual({ ok: true, value: 800 });
    expect(parseMcgPerMl('500')).toEqual({ ok: true, value: 500 });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['mL', 'EMPTY'],
    ['-1', 'NEGATIVE'],
    ['-0.5', 'NEGATIVE'],
    ['1.2345', 'TOO_MANY_DECIMALS'],
    ['abc', 'NOT_A_NUMBER'],
    ['18,5', 'NOT_A_NUMBER'],
    ['1e3', 'NOT_A_NUMBER'],
    ['1.2.3', 'NOT_A_NUMBER'],
    ['.', 'NOT_A_NUMBER'],
    ['+5', 'NOT_A_NUMBER'],
    ['Infinity', 'NOT_A_NUMBER'],
    ['99999999999999999', 'TOO_LARGE'],
  ])('parseMl(%j) is refused with %s', (text, code) => {
    const r = parseMl(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/^Volume \(mL\): /);
    }
  });

  it('a concentration takes whole numbers only', () => {
    const r = parseMcgPerMl('500.5');
    expect(r.ok || r.error.code).toBe('TOO_MANY_DECIMALS');
  });

  it('property: format -> parse is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (v) => {
        expect(parseMl(formatVolume(v))).toEqual({ ok: true, value: v });
        expect(parseMcg(formatDose(v))).toEqual({ ok: true, value: v });
        expect(parseMcg(formatAmount(v))).toEqual({ ok: true, value: v });
        expect(parseMlPerDay(formatRate(v))).toEqual({ ok: true, value: v });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (v) => {
        expect(parseMcgPerMl(formatConcentration(v))).toEqual({ ok: true, value: v });
      }),
    );
  });

  it('property: parse -> format -> parse is stable for any accepted decimal', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000_000 }), fc.stringMatching(/^\d{0,3}$/), (whole, frac) => {
        const text = frac ? `${whole}.${frac}` : `${whole}`;
        const r = parseMl(text);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value).toBe(whole * 1000 + Number(frac.padEnd(3, '0')));
          expect(parseMl(formatVolume(r.value))).toEqual(r);
        }
      }),
    );
  });
});

describe('durations, times of day and local times: one formatter each', () => {
  /** Reads a formatted duration back to seconds (the inverse the words promise). */
  function readDuration(text: string): number {
    const unit: Record<string, number> = { day: 86_400, days: 86_400, h: 3600, min: 60, s: 1 };
    const parts = text.split(' ');
    let total = 0;
    for (let i = 0; i < parts.length; i += 2) total += Number(parts[i]) * unit[parts[i + 1]!]!;
    return total;
  }
  const durations = fc.integer({ min: 0, max: 10 * 365 * 86_400 });

  it('reads 7199 s as "1 h 59 min" (never "1 h 60 min" or "2 h"), and exactly as "1 h 59 min 59 s"', () => {
    expect(formatDuration(7199)).toBe('1 h 59 min');
    expect(formatDuration(7199, { exact: true })).toBe('1 h 59 min 59 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(86_400 + 3 * 3600 + 59 * 60)).toBe('1 day 3 h');
    expect(formatDuration(5400, { exact: true })).toBe('1 h 30 min');
    expect(() => formatDuration(-1)).toThrow(ClinicalInputError);
    expect(() => formatDuration(1.5)).toThrow(ClinicalInputError);
  });

  it('a duration in words never shows 60 min, 60 s or 24 h, and reads back to the value it rounds down', () => {
    fc.assert(
      fc.property(durations, fc.boolean(), (s, exact) => {
        const text = formatDuration(s, { exact });
        expect(text).not.toMatch(/\b(60 min|60 s|24 h)\b/);
        expect(text).toMatch(/^\d+ (days?|h|min|s)( \d+ (h|min|s))*$/);
        const back = readDuration(text);
        if (exact) expect(back).toBe(s);
        else {
          // Whole units, rounded down: under a minute exact, under a day to the minute, else to the hour.
          const step = s < 60 ? 1 : s < 86_400 ? 60 : 3600;
          expect(back).toBe(s - (s % step));
        }
      }),
    );
  });

  it('a time of day reads "hh:mm" and parses back to the same whole minute', () => {
    expect(formatTimeOfDay(0)).toBe('00:00');
    expect(formatTimeOfDay(6 * 3600 + 30 * 60 + 59)).toBe('06:30');
    expect(formatTimeOfDay(86_399)).toBe('23:59');
    expect(formatTimeOfDay(86_400)).toBe('24:00');
    expect(() => formatTimeOfDay(86_401)).toThrow(ClinicalInputError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), (s) => {
        const text = formatTimeOfDay(s);
        expect(text).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        const back = parseTimeOfDay(text);
        expect(back).toEqual({ ok: true, value: s - (s % 60) });
      }),
    );
    expect(parseTimeOfDay('24:00').ok).toBe(false);
    expect(parseTimeOfDay('7:60').ok).toBe(false);
  });

  it('a local date and time names the zone and the seconds when asked', () => {
    const t = Date.UTC(2026, 11, 7, 13, 5, 9) / 1000;
    const opts = { locale: 'en-GB', timeZone: 'Europe/Paris' };
    expect(formatLocalDateTime(t, opts)).toBe('7 Dec 2026, 14:05');
    expect(formatLocalDateTime(t, { ...opts, seconds: true, withZone: true })).toBe(
      '7 Dec 2026, 14:05:09 CET',
    );
    expect(formatCaseTime(t, t)).toBe('at the start');
    expect(formatCaseTime(t + 86_400 + 6 * 3600, t)).toBe('1 day 6 h in');
  });
});
