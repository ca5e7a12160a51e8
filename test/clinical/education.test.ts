import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TONE_PATTERNS } from '../../src/shared/device-facts/profiles';
import {
  caregiverSheet,
  OVERDOSE_SIGNS,
  SheetInputError,
  WITHDRAWAL_EARLY_SIGNS,
  type CaregiverSheetInput,
} from '../../src/shared/clinical/education';

// 2027-03-16 09:00 UTC, a Tuesday; Paris is on CET (UTC+1) then.
const MARCH_16_0900Z = 1_805_187_600;
const DAY = 86_400;

function input(): CaregiverSheetInput {
  return {
    patientName: 'A. Martin',
    pumpName: 'SynchroMed II 20 mL',
    dailyDose: 400_000,
    concentration: 2000,
    refillBy: MARCH_16_0900Z + 90 * DAY,
    lowReservoirAlarmAt: MARCH_16_0900Z + 94 * DAY,
    clinicPhone: '+33 1 23 45 67 89',
    printedAt: MARCH_16_0900Z,
    timeZone: 'Europe/Paris',
  };
}

describe('caregiverSheet', () => {
  it('prints the dose, the refill and alarm dates in the clinic zone with its name, the alarms, and the signs with what to do', () => {
    const s = caregiverSheet(input());
    expect(new Date(MARCH_16_0900Z * 1000).toISOString()).toBe('2027-03-16T09:00:00.000Z');
    expect(s.text).toContain('Dose: 400 mcg/day');
    expect(s.text).toContain('intrathecal baclofen 2000 mcg/mL');
    // 90 days later is 14 June 2027, summer time in Paris.
    expect(s.text).toContain('Refill no later than: Monday 14 June 2027 (CEST)');
    expect(s.text).toContain('low-reservoir alarm is expected on: Friday 18 June 2027 (CEST)');
    expect(s.text).toContain('Printed Tuesday 16 March 2027, 10:00 CET');
    const crit = TONE_PATTERNS.critical.segments.reduce((a, x) => a + x.durationMs, 0) / 1000;
    expect(s.text).toContain(`a ${crit}-second two-tone alarm`);
    expect(s.text).toContain('a single 1-second beep about once every 1 hour');
    for (const sign of [...WITHDRAWAL_EARLY_SIGNS, ...OVERDOSE_SIGNS]) expect(s.text).toContain(sign);
    expect(s.text).toMatch(/call the emergency services/);
    expect(s.sections.map((x) => x.heading)).toEqual([
      'Your pump',
      'What the alarms sound like',
      'Signs of withdrawal (too little baclofen)',
      'Signs of overdose (too much baclofen)',
      'Bring this sheet',
    ]);
    // The HTML carries the same lines, escaped.
    for (const sec of s.sections)
      for (const l of sec.lines) expect(s.html).toContain(l.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
  });

  it('the same instant prints in another zone with that zone (its offset where en-GB has no abbreviation)', () => {
    const s = caregiverSheet({ ...input(), timeZone: 'America/New_York' });
    expect(s.text).toContain('Printed Tuesday 16 March 2027, 05:00 GMT-4');
  });

  it('escapes what the clinic typed', () => {
    const s = caregiverSheet({ ...input(), patientName: '<b>Tom & "Jerry"</b>' });
    expect(s.html).toContain('&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;');
    expect(s.html).not.toContain('<b>Tom');
  });

  it('no alarm expected when nothing is delivered is said in words', () => {
    expect(caregiverSheet({ ...input(), lowReservoirAlarmAt: null }).text).toContain('none expected');
  });

  it('bad input is refused with a clear error', () => {
    expect(() => caregiverSheet({ ...input(), timeZone: 'Mars/Olympus' })).toThrow(/not a known time zone/);
    expect(() => caregiverSheet({ ...input(), refillBy: MARCH_16_0900Z - 1 })).toThrow(/already past/);
    expect(() => caregiverSheet({ ...input(), dailyDose: 0 })).toThrow(/dailyDose/);
    expect(() => caregiverSheet({ ...input(), patientName: ' ' })).toThrow(/patientName is required/);
    fc.assert(
      fc.property(
        fc.constantFrom<keyof CaregiverSheetInput>(
          'patientName',
          'pumpName',
          'dailyDose',
          'concentration',
          'refillBy',
          'printedAt',
          'clinicPhone',
          'timeZone',
        ),
        fc.oneof(
          fc.constant(null),
          fc.constant(-5),
          fc.constant(1.5),
          fc.constant(''),
          fc.constant('x'.repeat(200)),
          fc.constant(Number.NaN),
        ),
        (field, value) => {
          const bad = { ...input(), [field]: value } as CaregiverSheetInput;
          let err: unknown;
          try {
            caregiverSheet(bad);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(SheetInputError);
          expect((err as Error).message).toMatch(new RegExp(field === 'refillBy' ? 'refill' : field));
        },
      ),
    );
  });
});
