import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmCode, PumpStatus } from '../../src/device/types';
import {
  ALARM_TEXT,
  CRITICAL_SILENCE_MAX_MINUTES,
  DEFAULT_ALARM_PRIORITY,
  SILENCE_OPTIONS,
  silenceNeedsConfirmation,
  silenceOptions,
  applyAlarmEvent,
  isSilenced,
  sortAlarms,
  soundingAlarms,
} from '../../src/renderer/screens/alarmModel';

function alarm(code: AlarmCode, raisedAt: number, silencedUntil: number | null = null): Alarm {
  return { code, priority: DEFAULT_ALARM_PRIORITY[code], raisedAt, silencedUntil, nextToneAt: raisedAt };
}

describe('sortAlarms', () => {
  it('puts critical alarms first, oldest first within a priority', () => {
    const sorted = sortAlarms([
      alarm('LOW_RESERVOIR', 100),
      alarm('ERI', 50),
      alarm('MOTOR_STALL', 300),
      alarm('EMPTY_RESERVOIR', 200),
    ]);
    expect(sorted.map((a) => a.code)).toEqual(['EMPTY_RESERVOIR', 'MOTOR_STALL', 'ERI', 'LOW_RESERVOIR']);
  });

  it('trusts the pump record priority over the default table', () => {
    const promoted: Alarm = { ...alarm('LOW_RESERVOIR', 500), priority: 'critical' };
    expect(sortAlarms([alarm('ERI', 1), promoted])[0]!.code).toBe('LOW_RESERVOIR');
  });

  it('does not mutate its input', () => {
    const input = [alarm('LOW_RESERVOIR', 1), alarm('END_OF_SERVICE', 2)];
    sortAlarms(input);
    expect(input[0]!.code).toBe('LOW_RESERVOIR');
  });
});

describe('silencing', () => {
  it('an alarm is silenced only while silencedUntil is in the future', () => {
    expect(isSilenced(alarm('LOW_RESERVOIR', 0, 1000), 999)).toBe(true);
    expect(isSilenced(alarm('LOW_RESERVOIR', 0, 1000), 1000)).toBe(false);
    expect(isSilenced(alarm('LOW_RESERVOIR', 0, null), 5)).toBe(false);
  });

  it('sounding alarms exclude silenced ones and keep priority order', () => {
    const list = [alarm('LOW_RESERVOIR', 0), alarm('MOTOR_STALL', 10, 5000), alarm('END_OF_SERVICE', 20)];
    expect(soundingAlarms(list, 100).map((a) => a.code)).toEqual(['END_OF_SERVICE', 'LOW_RESERVOIR']);
  });
});

describe('applyAlarmEvent', () => {
  it('adds a raised alarm with its default priority and removes a cleared one', () => {
    let list = applyAlarmEvent([], { code: 'LOW_RESERVOIR', raised: true, status: null }, 1000);
    list = applyAlarmEvent(list, { code: 'CATHETER_OCCLUSION', raised: true, status: null }, 2000);
    expect(list.map((a) => [a.code, a.priority])).toEqual([
      ['CATHETER_OCCLUSION', 'critical'],
      ['LOW_RESERVOIR', 'nonCritical'],
    ]);
    list = applyAlarmEvent(list, { code: 'CATHETER_OCCLUSION', raised: false, status: null }, 3000);
    expect(list.map((a) => a.code)).toEqual(['LOW_RESERVOIR']);
  });

  it('keeps the original raise time when an alarm is raised again', () => {
    const first = applyAlarmEvent([], { code: 'ERI', raised: true, status: null }, 1000);
    const again = applyAlarmEvent(first, { code: 'ERI', raised: true, status: null }, 9000);
    expect(again[0]!.raisedAt).toBe(1000);
  });

  it('replaces the list with the status alarms when the event carries a status', () => {
    const status = { alarms: [alarm('ERI', 5), alarm('EMPTY_RESERVOIR', 7)], pumpTime: 10 } as PumpStatus;
    const list = applyAlarmEvent([alarm('LOW_RESERVOIR', 1)], { code: 'ERI', raised: true, status }, 10);
    expect(list.map((a) => a.code)).toEqual(['EMPTY_RESERVOIR', 'ERI']);
  });
});

describe('silence (issue 17)', () => {
  const a2 = (
    code: Alarm['code'],
    priority: Alarm['priority'],
    silencedUntil: number | null = null,
  ): Alarm => ({
    code,
    priority,
    raisedAt: 100,
    silencedUntil,
    nextToneAt: 100,
  });
  it('a sounding critical alarm needs confirmation and caps the silence at the critical maximum', () => {
    const alarms = [a2('MOTOR_STALL', 'critical'), a2('LOW_RESERVOIR', 'nonCritical')];
    expect(silenceNeedsConfirmation(alarms, 200)).toBe(true);
    expect(silenceOptions(alarms, 200)).toEqual([15, 60]);
    expect(Math.max(...silenceOptions(alarms, 200))).toBe(CRITICAL_SILENCE_MAX_MINUTES);
  });
  it('non-critical alarms alone, or a critical one already silenced, need no confirmation', () => {
    expect(silenceNeedsConfirmation([a2('LOW_RESERVOIR', 'nonCritical')], 200)).toBe(false);
    expect(silenceOptions([a2('LOW_RESERVOIR', 'nonCritical')], 200)).toEqual([...SILENCE_OPTIONS]);
    expect(silenceNeedsConfirmation([a2('MOTOR_STALL', 'critical', 300)], 200)).toBe(false);
    // The silence has ended: it sounds again and needs confirmation again.
    expect(silenceNeedsConfirmation([a2('MOTOR_STALL', 'critical', 300)], 300)).toBe(true);
  });
  it('every alarm has a title, a meaning for the patient and an action', () => {
    for (const t of Object.values(ALARM_TEXT)) {
      expect(t.title.length).toBeGreaterThan(3);
      expect(t.meaning.length).toBeGreaterThan(20);
      expect(t.action.length).toBeGreaterThan(10);
    }
  });
});
