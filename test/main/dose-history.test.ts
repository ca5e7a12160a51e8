/** The therapy history as the programmer reads it from the real pump model's log. */
import { describe, expect, it } from 'vitest';
import { createPump } from '../../src/device';
import { readClinicalHistory } from '../../src/main/service/dose-history';
import {
  doseAt,
  historyFromLog,
  lastIncrease,
  phaseAt,
  therapyStartedAt,
} from '../../src/shared/clinical/history';

const T0 = 1_800_000_000;
const H = 3600;
const fill = {
  refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 500, fillVolumeUl: 20_000 },
  therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: 400_000 },
};

function pumpWithDoses(...doses: number[]) {
  const pump = createPump({ model: 'SM2-20', serial: 'T1', startTime: T0 });
  expect(pump.apply(fill).ok).toBe(true);
  for (const [i, dailyDose] of doses.entries()) {
    pump.advanceTo(T0 + (i + 1) * H);
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: dailyDose } }).ok).toBe(true);
  }
  return pump;
}

function history(pump: ReturnType<typeof createPump>) {
  const page = pump.readLog(0, 50);
  return historyFromLog(page.entries, page.total, pump.status());
}

describe('clinical history from the pump log', () => {
  it('finds the newest increase and the dose before it', () => {
    const h = history(pumpWithDoses(440_000, 420_000));
    expect(lastIncrease(h)).toEqual({ at: T0 + H, doseBefore: 400_000 });
    expect(doseAt(h, T0 + H - 1)).toBe(400_000);
    expect(doseAt(h, T0 + 2 * H)).toBe(420_000);
  });

  it('issue 16 #7: the first program is the start of therapy (an increase from 0), across sessions', () => {
    const h = history(pumpWithDoses());
    expect(therapyStartedAt(h)).toBe(T0);
    expect(lastIncrease(h)).toEqual({ at: T0, doseBefore: 0 });
    expect(doseAt(h, T0 - 1)).toBe(0);
    expect(phaseAt(h, T0 + H)).toBe('titration');
    expect(phaseAt(h, T0 + 28 * 86_400)).toBe('maintenance');
  });

  it('counts a flex schedule by its daily dose, a stop as zero, and a restart as a new start', () => {
    const pump = pumpWithDoses();
    pump.advanceTo(T0 + H);
    const flex = {
      mode: 'flex' as const,
      steps: [
        { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
        { startSecondOfDay: 43_200, dailyDoseNgPerDay: 600_000 },
      ],
    };
    expect(pump.apply({ therapy: flex }).ok).toBe(true);
    expect(lastIncrease(history(pump))).toEqual({ at: T0 + H, doseBefore: 400_000 });
    pump.advanceTo(T0 + 2 * H);
    expect(pump.apply({ therapy: { mode: 'stopped' } }).ok).toBe(true);
    pump.advanceTo(T0 + 3 * H);
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 100_000 } }).ok).toBe(true);
    const h = history(pump);
    expect(lastIncrease(h)).toEqual({ at: T0 + 3 * H, doseBefore: 0 });
    expect(therapyStartedAt(h)).toBe(T0 + 3 * H);
  });

  it('knows nothing before the log when the log does not reach the first entry', () => {
    const pump = pumpWithDoses(380_000, 360_000);
    const page = pump.readLog(0, 2); // only the newest entries
    const h = historyFromLog(page.entries, page.total, pump.status());
    expect(h.complete).toBe(false);
    expect(doseAt(h, T0)).toBeNull();
    expect(therapyStartedAt(h)).toBeNull();
    expect(phaseAt(h, pump.status().pumpTime)).toBe('maintenance');
  });

  it('shows a running bridge bolus with what is left of it, and the concentration before the refill', () => {
    const pump = pumpWithDoses();
    pump.advanceTo(T0 + H);
    const refill = {
      withdrawnVolumeUl: 19_000,
      drugName: 'baclofen',
      concentrationMcgPerMl: 1000,
      fillVolumeUl: 20_000,
    };
    const bridge = { kind: 'bridge' as const, amountNg: 320_000, durationS: 8 * H };
    expect(
      pump.apply({ refill, therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 }, bolus: bridge }).ok,
    ).toBe(true);
    pump.advanceTo(T0 + 3 * H); // a quarter of the bridge delivered
    const h = history(pump);
    expect(h.previousConcentration).toBe(500);
    expect(h.lastRefillAt).toBe(T0 + H);
    expect(h.runningBolus).toEqual({
      kind: 'bridge',
      startTime: T0 + H,
      endTime: T0 + 9 * H,
      volume: 320_000,
      remaining: 240_000,
    });
  });

  it('reads pages until the log reaches far enough back, and no further', async () => {
    const pump = pumpWithDoses(410_000, 420_000);
    const calls: number[] = [];
    const h = await readClinicalHistory(async (offset, count) => {
      calls.push(offset);
      return pump.readLog(offset, count);
    }, pump.status());
    expect(calls).toEqual([0]);
    expect(h.complete).toBe(true);
    expect(h.doseEvents.map((e) => e.dose)).toEqual([400_000, 410_000, 420_000]);
  });
});
