import { describe, expect, it } from 'vitest';
import {
  formatDailyDose,
  formatPumpDate,
  formatPumpDateTime,
  formatRateMlPerDay,
  formatTimeOfDay,
  formatVolumeMl,
} from '../../src/renderer/components/units';

describe('units', () => {
  it('formats fixed-point integers exactly, always with a unit', () => {
    expect(formatDailyDose(400_000)).toBe('400 mcg/day');
    expect(formatDailyDose(100_500)).toBe('100.5 mcg/day');
    expect(formatDailyDose(1)).toBe('0.001 mcg/day');
    expect(formatVolumeMl(20_000)).toBe('20.0 mL');
    expect(formatVolumeMl(12_345)).toBe('12.345 mL');
    expect(formatRateMlPerDay(200)).toBe('0.200 mL/day');
    expect(formatRateMlPerDay(24_000)).toBe('24.000 mL/day');
  });

  it('formats pump time in UTC', () => {
    const t = Date.UTC(2025, 10, 25, 13, 4, 59) / 1000;
    expect(formatPumpDateTime(t)).toBe('2025-11-25 13:04 UTC');
    expect(formatPumpDate(t)).toBe('2025-11-25');
    expect(formatTimeOfDay(6 * 3600 + 30 * 60)).toBe('06:30');
  });
});
