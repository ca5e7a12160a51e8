import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatAmount,
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
