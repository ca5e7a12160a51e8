import { describe, expect, it } from 'vitest';
import { formatHostClock } from '../../src/renderer/components/units';
import {
  formatDose,
  formatPumpTime,
  formatRate,
  formatTimeOfDay,
  formatVolume,
} from '../../src/shared/clinical/format';

describe('units', () => {
  it('shows every pump quantity with its unit (clinical formatters)', () => {
    expect(formatDose(100_500)).toBe('100.5 mcg/day');
    expect(formatVolume(12_345)).toBe('12.345 mL');
    expect(formatRate(200)).toBe('0.200 mL/day');
    expect(formatPumpTime(Date.UTC(2025, 10, 25, 13, 4, 59) / 1000)).toBe('2025-11-25T13:04:59Z');
  });

  it('formats second of day and host clock', () => {
    expect(formatTimeOfDay(6 * 3600 + 30 * 60)).toBe('06:30');
    expect(formatTimeOfDay(0)).toBe('00:00');
    expect(formatHostClock(new Date(2025, 0, 1, 7, 5).getTime())).toBe('07:05');
  });
});
