import { describe, expect, it } from 'vitest';
import type { PumpProgram } from '../../src/device/pump-api';
import type { PumpStatus } from '../../src/device/types';
import type { ConnectionInfo } from '../../src/shared/contract';
import type { TransportState } from '../../src/renderer/api';
import {
  DAY_SECONDS,
  flexChart,
  linkView,
  lastRefillTime,
  refillPlan,
  refillStateText,
  reservoirGauge,
  scheduleSteps,
  staleness,
} from '../../src/renderer/screens/summaryModel';

const OPEN: TransportState = { state: 'open', attempts: 0, closedAt: null };
const stats = {
  framesSent: 12,
  framesReceived: 11,
  retries: 2,
  crcErrors: 1,
  fecCorrected: 4,
  timeouts: 3,
  naks: 0,
  authFailures: 0,
};

function conn(state: ConnectionInfo['state'], lastContactAt: number | null = null): ConnectionInfo {
  return {
    state,
    portPath: '/dev/pts/3',
    embedded: true,
    pumpSerial: 'NGP123',
    protocolVersion: 1,
    stats,
    lastContactAt,
    clock: null,
    patientId: null,
    clinician: null,
  };
}

describe('staleness', () => {
  it('is fresh while connected or retrying', () => {
    expect(staleness(conn('connected'), OPEN).stale).toBe(false);
    expect(staleness(conn('retrying'), OPEN).stale).toBe(false);
  });

  it('marks values stale when the link is lost, with the time of last contact', () => {
    const lostAt = new Date(2025, 0, 1, 13, 4).getTime();
    const s = staleness(conn('lost', lostAt), OPEN);
    expect(s).toEqual({ stale: true, lostAt, label: 'STALE — link lost at 13:04' });
  });

  it('marks values stale when the host socket is gone even if the last link state was connected', () => {
    const closedAt = new Date(2025, 0, 1, 9, 30).getTime();
    const s = staleness(conn('connected'), { state: 'reconnecting', attempts: 2, closedAt });
    expect(s.stale).toBe(true);
    expect(s.label).toBe('STALE — host connection lost at 09:30');
  });

  it('has no time in the label when none is known', () => {
    expect(staleness(conn('lost', null), OPEN).label).toBe('STALE — link lost');
  });
});

describe('linkView', () => {
  it('shows state and statistics', () => {
    const v = linkView(conn('connected'), OPEN);
    expect(v.tone).toBe('ok');
    expect(v.label).toBe('Connected to NGP123 (virtual pump)');
    expect(v.statsText).toBe(
      'frames 12 sent/11 received · retries 2 · CRC errors 1 · repaired 4 · timeouts 3',
    );
    expect(linkView(conn('retrying'), OPEN).tone).toBe('warn');
    expect(linkView(conn('lost'), OPEN).tone).toBe('bad');
  });

  it('reports the host channel first when it is down', () => {
    const v = linkView(conn('connected'), { state: 'reconnecting', attempts: 3, closedAt: 1 });
    expect(v.tone).toBe('bad');
    expect(v.label).toContain('attempt 3');
  });
});

const status = (over: Partial<PumpStatus> = {}): PumpStatus => ({
  model: 'SM2-20',
  serial: 'NGP123',
  drugName: 'baclofen',
  concentrationMcgPerMl: 2000,
  mode: 'continuous',
  deliverySuspended: false,
  dailyDoseNgPerDay: 400_000,
  rateUlPerDay: 200,
  reservoirVolumeUl: 15_000,
  reservoirCapacityUl: 20_000,
  lowReservoirAlarmVolumeUl: 2_000,
  lowReservoirAlarmTime: 1_000_000 + 65 * DAY_SECONDS,
  emptyTime: 1_000_000 + 75 * DAY_SECONDS,
  battery: 'ok',
  eriTime: null,
  replaceByTime: null,
  alarms: [],
  pumpTime: 1_000_000,
  ...over,
});

describe('reservoirGauge', () => {
  it('gives the fraction of capacity and flags the low threshold', () => {
    expect(reservoirGauge(status())).toMatchObject({ fraction: 0.75, belowThreshold: false });
    expect(reservoirGauge(status({ reservoirVolumeUl: 2_000 })).belowThreshold).toBe(true);
  });

  it('clamps an out-of-range volume instead of drawing past the gauge', () => {
    expect(reservoirGauge(status({ reservoirVolumeUl: 25_000 })).fraction).toBe(1);
    expect(reservoirGauge(status({ reservoirVolumeUl: -5 })).fraction).toBe(0);
  });
});

describe('refillPlan', () => {
  const fill = 1_000_000 - 10 * DAY_SECONDS;
  it('is due 3 days before the low-reservoir alarm date, window opening 5 days before', () => {
    const plan = refillPlan(status(), fill);
    expect(plan.latest).toBe(1_000_000 + 62 * DAY_SECONDS);
    expect(plan.earliest).toBe(1_000_000 + 60 * DAY_SECONDS);
    expect(plan.fillKnown).toBe(true);
  });

  it('is limited by the drug stability (180 days from the fill) when the alarm is later', () => {
    const plan = refillPlan(status({ lowReservoirAlarmTime: 1_000_000 + 400 * DAY_SECONDS }), fill);
    expect(plan.latest).toBe(fill + 180 * DAY_SECONDS);
  });

  it('says so when the fill time is unknown', () => {
    const plan = refillPlan(status(), null);
    expect(plan.fillKnown).toBe(false);
    expect(plan.reason).toContain('No refill in the log');
  });

  it('finds the newest refill in a log page', () => {
    const e = (seq: number, time: number, kind: 'REFILL' | 'PROGRAM') => ({ seq, time, kind, detail: '' });
    expect(lastRefillTime([e(3, 300, 'PROGRAM'), e(2, 200, 'REFILL'), e(1, 100, 'REFILL')])).toBe(200);
    expect(lastRefillTime([e(1, 100, 'PROGRAM')])).toBeNull();
  });
});

describe('flex schedule chart', () => {
  const program = (therapy: PumpProgram['therapy']): PumpProgram => ({
    drugName: 'baclofen',
    concentrationMcgPerMl: 2000,
    therapy,
    lowReservoirAlarmVolumeUl: 2000,
    patientBolus: null,
    programmedAt: 0,
    programVersion: 1,
  });

  it('turns the therapy into steps covering the day', () => {
    expect(scheduleSteps(program({ mode: 'continuous', dailyDoseNgPerDay: 300_000 }))).toEqual([
      { startSecondOfDay: 0, dailyDoseNgPerDay: 300_000 },
    ]);
    expect(scheduleSteps(program({ mode: 'stopped' }))).toEqual([]);
    expect(
      scheduleSteps(
        program({
          mode: 'flex',
          steps: [
            { startSecondOfDay: 43_200, dailyDoseNgPerDay: 2 },
            { startSecondOfDay: 0, dailyDoseNgPerDay: 1 },
          ],
        }),
      ).map((s) => s.startSecondOfDay),
    ).toEqual([0, 43_200]);
  });

  it('draws bars whose widths cover 24 hours and whose heights scale to the largest dose', () => {
    const c = flexChart(
      [
        { startSecondOfDay: 0, dailyDoseNgPerDay: 200_000 },
        { startSecondOfDay: 6 * 3600, dailyDoseNgPerDay: 400_000 },
        { startSecondOfDay: 18 * 3600, dailyDoseNgPerDay: 100_000 },
      ],
      240,
      100,
    );
    expect(c.bars.map((b) => [b.x, b.width, b.height])).toEqual([
      [0, 60, 50],
      [60, 120, 100],
      [180, 60, 25],
    ]);
    expect(c.bars.reduce((s, b) => s + b.width, 0)).toBe(240);
    expect(c.path).toBe('M 0 100 L 0 50 L 60 50 L 60 0 L 180 0 L 180 75 L 240 75 L 240 100 Z');
  });

  it('draws nothing for no steps and ignores steps outside the day', () => {
    expect(flexChart([], 100, 50).path).toBe('');
    expect(flexChart([{ startSecondOfDay: DAY_SECONDS, dailyDoseNgPerDay: 5 }], 100, 50).bars).toEqual([]);
  });
});

describe('refill state (issue 17)', () => {
  it('not yet, due in the window, overdue after it with the date it was due', () => {
    const fill = 1_000_000;
    const alarmAt = fill + 65 * DAY_SECONDS;
    const at = (t: number) => refillPlan(status({ pumpTime: t, lowReservoirAlarmTime: alarmAt }), fill);
    const early = at(fill + DAY_SECONDS);
    expect(early.state).toBe('notYet');
    expect(early.dueBy).toBe(alarmAt - 3 * DAY_SECONDS);
    expect(at(alarmAt - 4 * DAY_SECONDS).state).toBe('due');
    const late = at(alarmAt + 77 * DAY_SECONDS);
    expect(late.state).toBe('overdue');
    expect(late.dueBy).toBe(alarmAt - 3 * DAY_SECONDS);
    const date = (t: number) => `day ${(t - fill) / DAY_SECONDS}`;
    expect(refillStateText(late, date)).toBe('Refill OVERDUE since day 62');
    expect(refillStateText(early, date)).toBe('Next refill due by day 62');
  });
});

describe('staleness after a normal end (issue 17)', () => {
  it('says the session ended, not that the link was lost', () => {
    const s = staleness(conn('disconnected', 1000), OPEN);
    expect(s.stale).toBe(true);
    expect(s.label).toBe('Session ended: values are from the last interrogation');
    expect(s.label).not.toMatch(/lost/);
  });
});
