import { describe, expect, it } from 'vitest';
import {
  formatDailyDose,
  formatHostClock,
  formatPumpDateTime,
  formatRateMlPerDay,
  formatTimeOfDay,
  formatVolumeMl,
} from '../../src/renderer/components/units';

describe('units', () => {
  it('shows every pump quantity with its unit (clinical formatters)', () => {
    expect(formatDailyDose(100_500)).toBe('100.5 mcg/day');
    expect(formatVolumeMl(12_345)).toBe('12.345 mL');
    expect(formatRateMlPerDay(200)).toBe('0.200 mL/day');
    expect(formatPumpDateTime(Date.UTC(2025, 10, 25, 13, 4, 59) / 1000)).toBe('2025-11-25T13:04:59Z');
  });

  it('formats second of day and host clock', () => {
    expect(formatTimeOfDay(6 * 3600 + 30 * 60)).toBe('06:30');
    expect(formatTimeOfDay(0)).toBe('00:00');
    expect(formatHostClock(new Date(2025, 0, 1, 7, 5).getTime())).toBe('07:05');
  });
});
