/**
 * The workflows' single door to value formatting: every value is shown with its unit, the same way as on the
 * shell's screens (src/renderer/components/units.ts), so a dose reads identically everywhere.
 */
import {
  formatAmount,
  formatConcentration,
  formatDailyDose,
  formatPumpDate,
  formatPumpDateTime,
  formatRateMlPerDay,
  formatVolumeMl,
} from '../components/units';

export { formatAmount, formatConcentration, formatPumpDate };
export const formatDose = formatDailyDose;
export const formatVolume = formatVolumeMl;
export const formatRate = formatRateMlPerDay;
export const formatPumpTime = formatPumpDateTime;

/** Seconds -> "1 h 30 min". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min`;
}
