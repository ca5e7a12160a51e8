/** The last dose increase as the programmer reads it from the real pump model's log. */
import { describe, expect, it } from 'vitest';
import { createPump } from '../../src/device';
import { lastIncreaseInLog } from '../../src/main/service/dose-history';

const T0 = 1_800_000_000;
const fill = {
  refill: { withdrawnVolume: 0, drugName: 'baclofen', concentration: 500, fillVolume: 20_000 },
  therapy: { mode: 'continuous' as const, dailyDose: 400_000 },
};

function pumpWithDoses(...doses: number[]) {
  const pump = createPump({ model: 'SM2-20', serial: 'T1', startTime: T0 });
  expect(pump.apply(fill).ok).toBe(true);
  for (const [i, dailyDose] of doses.entries()) {
    pump.advanceTo(T0 + (i + 1) * 3600);
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDose } }).ok).toBe(true);
  }
  return pump;
}

describe('lastIncreaseInLog', () => {
  it('finds the newest increase and the dose before it', () => {
    const pump = pumpWithDoses(440_000, 420_000);
    expect(lastIncreaseInLog(pump.readLog(0, 50).entries)).toEqual({ at: T0 + 3600, doseBefore: 400_000 });
  });

  it('counts a flex schedule by its daily dose, and a stop as zero', () => {
    const pump = pumpWithDoses();
    pump.advanceTo(T0 + 3600);
    const flex = {
      mode: 'flex' as const,
      steps: [
        { start: 0, dailyDose: 400_000 },
        { start: 43_200, dailyDose: 600_000 },
      ],
    };
    expect(pump.apply({ therapy: flex }).ok).toBe(true);
    expect(lastIncreaseInLog(pump.readLog(0, 50).entries)).toEqual({ at: T0 + 3600, doseBefore: 400_000 });
    pump.advanceTo(T0 + 7200);
    expect(pump.apply({ therapy: { mode: 'stopped' } }).ok).toBe(true);
    pump.advanceTo(T0 + 10_800);
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDose: 100_000 } }).ok).toBe(true);
    expect(lastIncreaseInLog(pump.readLog(0, 50).entries)).toEqual({ at: T0 + 10_800, doseBefore: 0 });
  });

  it('is null when the log shows only decreases or a single therapy', () => {
    expect(lastIncreaseInLog(pumpWithDoses().readLog(0, 50).entries)).toBeNull();
    expect(lastIncreaseInLog(pumpWithDoses(380_000, 360_000).readLog(0, 50).entries)).toBeNull();
  });
});
