import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/device/types';
import { sinceLastVisit, sinceLastVisitWords } from '../../src/shared/clinical/since-last-visit';

const T = 1_800_000_000;
let seq = 0;
const e = (time: number, kind: LogEntry['kind'], detail = ''): LogEntry => ({
  seq: ++seq,
  time,
  kind,
  detail,
});
const PREV = { pumpTime: T, reservoirVolumeUl: 12_000, concentrationMcgPerMl: 500 };

describe('since the last visit', () => {
  it('counts only what happened after the previous visit, in words', () => {
    const log = [
      e(T - 100, 'ALARM_RAISED', 'LOW_RESERVOIR'), // before the visit: not counted
      e(T + 10, 'ALARM_RAISED', 'LOW_RESERVOIR'),
      e(T + 20, 'ALARM_SILENCED', 'LOW_RESERVOIR 60 min'),
      e(T + 30, 'ALARM_RAISED', 'MOTOR_STALL'),
      e(T + 31, 'MOTOR_STALL'),
      e(T + 40, 'ALARM_RAISED', 'LOW_RESERVOIR'),
      e(T + 50, 'BOLUS_START', 'bolus'),
      e(T + 60, 'PATIENT_BOLUS'),
    ];
    const s = sinceLastVisit(PREV, { reservoirVolumeUl: 8_000 }, log, true);
    expect(s.deliveredUl).toBe(4_000);
    expect(s.deliveredMcg).toBe(2_000);
    expect(s.alarmsRaised).toEqual([
      { code: 'LOW_RESERVOIR', title: 'Low reservoir', count: 2 },
      { code: 'MOTOR_STALL', title: 'Motor stall', count: 1 },
    ]);
    expect([s.silenced, s.motorStalls, s.boluses, s.patientBoluses, s.refills]).toEqual([1, 1, 1, 1, 0]);
    expect(sinceLastVisitWords(s)).toEqual([
      'Delivered, as the pump calculates: 4.0 mL (2000 mcg).',
      'Alarms raised: Low reservoir (2 times), Motor stall; silenced 1 time.',
      '1 motor stall, 1 clinician bolus, 1 patient bolus, no refills, no program changes, no stops.',
    ]);
  });

  it('a refill since: no delivered volume (the reservoir was filled in between); first visit; a short log', () => {
    const s = sinceLastVisit(PREV, { reservoirVolumeUl: 20_000 }, [e(T + 5, 'REFILL')], true);
    expect(s.deliveredUl).toBeNull();
    expect(sinceLastVisitWords(s)[0]).toMatch(/not computed/);
    expect(sinceLastVisitWords(sinceLastVisit(null, { reservoirVolumeUl: 1 }, [], true))).toEqual([
      'No earlier visit with this pump on this programmer: nothing to compare with.',
    ]);
    expect(sinceLastVisit(PREV, { reservoirVolumeUl: 1 }, [], false).logIncomplete).toBe(true);
  });

  it('delivered volume and drug follow the reservoir and the concentration (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 4000 }),
        (before, after, conc) => {
          const s = sinceLastVisit(
            { pumpTime: T, reservoirVolumeUl: before, concentrationMcgPerMl: conc },
            { reservoirVolumeUl: after },
            [],
            true,
          );
          expect(s.deliveredUl).toBe(Math.max(0, before - after));
          expect(s.deliveredMcg).toBe(Math.round((Math.max(0, before - after) * conc) / 1000));
        },
      ),
    );
  });
});
